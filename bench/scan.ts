/**
 * Scan benchmarks, same run: patchkit cold, warm and subpackage next to the floor (a bare
 * tree-sitter parse of the corpus on every core, bench/floor.ts), CPython's ast and griffe; a second
 * version of a package scanned after the first; one large generated module against ast.parse.
 */
import { execa } from 'execa';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { budget, type BudgetLine } from './budget.js';
import { compare, type Command, type Timing } from './measure.js';
import type { BenchContext } from './context.js';

export interface Corpus {
  label: string;
  /** `patchkit scan` target and interpreter. */
  target: string;
  python: string;
  /** Directory the oracle and the floor walk (the package root). */
  dir: string;
  /** griffe: package name and search dir. */
  griffe: { name: string; searchDir: string } | null;
  subpackage: string | null;
}

/** A package tree given with --corpus: scanned as a directory, griffe pointed at its parent. */
const treeCorpus = (dir: string): Corpus => ({
  label: `${basename(dir)} (${dir})`,
  target: dir,
  python: 'python3',
  dir,
  griffe: { name: basename(dir), searchDir: dirname(dir) },
  subpackage: null,
});

export const scanCorpora = async (ctx: BenchContext): Promise<Corpus[]> => {
  if (ctx.quick) {
    return [
      {
        label: 'stdlib email (Debian python3.11)',
        target: 'email',
        python: '/usr/bin/python3',
        dir: '/usr/lib/python3.11/email',
        griffe: { name: 'email', searchDir: '/usr/lib/python3.11' },
        subpackage: 'email.mime',
      },
      ...ctx.corpora.map(treeCorpus),
    ];
  }
  // The machine's stdlib without the site-packages that pyenv keeps inside it; griffe needs a package: add an __init__.
  const stdlib = join(await mkdtemp(join(tmpdir(), 'patchkit-bench-stdlib-')), 'stdlib');
  await cp(ctx.stdlibDir, stdlib, { recursive: true, filter: (src) => !/[\\/](site-packages|__pycache__)$/.test(src) });
  await writeFile(join(stdlib, '__init__.py'), '');
  const torch = '/usr/lib/python3/dist-packages/torch';
  return [
    {
      label: `stdlib (${ctx.stdlibDir})`,
      target: stdlib,
      python: 'python3',
      dir: stdlib,
      griffe: { name: 'stdlib', searchDir: dirname(stdlib) },
      subpackage: null,
    },
    ...(existsSync(torch)
      ? [
          {
            label: "Debian's python3-torch",
            target: 'torch',
            python: '/usr/bin/python3',
            dir: torch,
            griffe: { name: 'torch', searchDir: '/usr/lib/python3/dist-packages' },
            subpackage: 'torch.nn',
          },
        ]
      : []),
    ...ctx.corpora.map(treeCorpus),
  ];
};

const ms = (t: Timing) => `${t.wallMs.toFixed(0)} ms wall, ${t.cpuMs.toFixed(0)} ms CPU`;

const scanArgv = (ctx: BenchContext, corpus: Corpus, target: string, extra: string[]) => [
  process.execPath,
  ctx.bin,
  'scan',
  target,
  '--python',
  corpus.python,
  '--json',
  ...extra,
];

const floorArgv = (ctx: BenchContext, dir: string) => [process.execPath, join(ctx.repo, 'bench/build/floor.js'), dir];

const griffeArgv = (ctx: BenchContext, griffe: { name: string; searchDir: string }) => [
  '/usr/bin/python3',
  '-m',
  'griffe',
  'dump',
  griffe.name,
  '-s',
  griffe.searchDir,
  '-o',
  join(ctx.work, 'griffe.json'),
];

const benchCorpus = async (ctx: BenchContext, corpus: Corpus, index: number) => {
  ctx.log(`scan: ${corpus.label}`);
  const commands: Command[] = [
    { label: 'patchkit cold', argv: scanArgv(ctx, corpus, corpus.target, ['--no-cache']) },
    {
      label: 'patchkit warm',
      argv: scanArgv(ctx, corpus, corpus.target, []),
      env: { PATCHKIT_CACHE_DIR: join(ctx.work, `cache-${index}`) },
    },
    { label: 'floor: bare tree-sitter parse on every core (bench/floor.ts)', argv: floorArgv(ctx, corpus.dir) },
    { label: 'CPython ast (test/oracle/ast_oracle.py)', argv: ['/usr/bin/python3', ctx.oracle, corpus.dir] },
    ...(corpus.griffe ? [{ label: 'griffe dump', argv: griffeArgv(ctx, corpus.griffe) }] : []),
    ...(corpus.subpackage
      ? [
          {
            label: `patchkit cold ${corpus.subpackage}`,
            argv: scanArgv(ctx, corpus, corpus.subpackage, ['--no-cache']),
          },
        ]
      : []),
  ];
  const result = await compare(commands, ctx.runs, ctx.log);
  const [cold, warm, floor, ast] = result;
  const griffe = corpus.griffe ? result[4] : null;
  const sub = corpus.subpackage ? result[result.length - 1] : null;
  const name = corpus.label;
  const lines: BudgetLine[] = [
    budget(
      'scan',
      `${name}: floor, a bare tree-sitter parse of every file on every core / CPython ast (reported)`,
      floor.wallMs / ast.wallMs,
      Infinity,
      `${ms(floor)} / ${ms(ast)}`,
    ),
    budget('scan', `${name}: cold wall / floor`, cold.wallMs / floor.wallMs, 1.4, `${ms(cold)} / ${ms(floor)}`),
    budget(
      'scan',
      `${name}: cold / CPython ast (reported)`,
      cold.wallMs / ast.wallMs,
      Infinity,
      `${ms(cold)} / ${ms(ast)}`,
    ),
  ];
  if (griffe) {
    lines.push(
      budget('scan', `${name}: cold wall / griffe`, cold.wallMs / griffe.wallMs, 0.7, `${ms(cold)} / ${ms(griffe)}`),
      budget(
        'scan',
        `${name}: cold peak RSS / griffe`,
        cold.rssMb / griffe.rssMb,
        1.2,
        `${cold.rssMb.toFixed(0)} / ${griffe.rssMb.toFixed(0)} MB`,
      ),
      budget('scan', `${name}: warm wall / griffe`, warm.wallMs / griffe.wallMs, 0.05, `${ms(warm)} / ${ms(griffe)}`),
    );
  }
  if (sub)
    lines.push(
      budget(
        'scan',
        `${name}: ${corpus.subpackage} cold / whole cold`,
        sub.wallMs / cold.wallMs,
        0.2,
        `${ms(sub)} / ${ms(cold)}`,
      ),
    );
  return { timings: result.map((t) => ({ ...t, label: `${corpus.label}: ${t.label}` })), lines };
};

/**
 * What `check` and `update` do at every release: scan version B of a package whose version A was
 * scanned before (by content, unchanged files are not parsed again), against B's own cold scan.
 * Every timed run starts from the cache exactly as A's scan left it.
 */
const benchNextVersion = async (ctx: BenchContext, first: Corpus, next: Corpus) => {
  ctx.log(`scan: ${next.label} after ${first.label}`);
  const filled = join(ctx.work, 'cache-first-version');
  const run = join(ctx.work, 'cache-next-version');
  const [node, ...args] = scanArgv(ctx, first, first.target, []);
  await execa(node, args, { env: { PATCHKIT_CACHE_DIR: filled }, stdout: 'ignore' });
  const result = await compare(
    [
      { label: 'patchkit cold', argv: scanArgv(ctx, next, next.target, ['--no-cache']) },
      {
        label: `patchkit with the cache ${basename(first.dir)} left`,
        argv: scanArgv(ctx, next, next.target, []),
        env: { PATCHKIT_CACHE_DIR: run },
        before: async () => {
          await rm(run, { recursive: true, force: true });
          await cp(filled, run, { recursive: true });
        },
      },
    ],
    ctx.runs,
    ctx.log,
  );
  const [cold, after] = result;
  return {
    timings: result.map((t) => ({ ...t, label: `${next.label} after ${first.label}: ${t.label}` })),
    lines: [
      budget(
        'scan',
        `${next.label}, scanned after ${first.label} / its cold scan`,
        after.wallMs / cold.wallMs,
        0.25,
        `${ms(after)} / ${ms(cold)}`,
      ),
    ],
  };
};

/** 120,000 small classes in one ≈7 MB module, as code generators write them. */
const largeModule = () => {
  const parts: string[] = ['"""Generated: 120,000 small classes."""\n'];
  for (let i = 0; i < 120_000; i++) parts.push(`class G${i}:\n    v = ${i}\n    def f(self): return ${i}\n`);
  return parts.join('');
};

const benchLargeModule = async (ctx: BenchContext) => {
  ctx.log('scan: one generated module of 120,000 small classes');
  const file = join(ctx.work, 'generated_classes.py');
  const text = largeModule();
  await writeFile(file, text);
  const result = await compare(
    [
      { label: 'patchkit cold', argv: [process.execPath, ctx.bin, 'scan', file, '--json', '--no-cache'] },
      {
        label: 'CPython ast.parse',
        argv: ['/usr/bin/python3', '-c', 'import ast, sys; ast.parse(open(sys.argv[1], "rb").read())', file],
      },
    ],
    ctx.quick ? 1 : 3,
    ctx.log,
  );
  const [ours, ast] = result;
  return {
    timings: result.map((t) => ({
      ...t,
      label: `generated module (${(text.length / 1e6).toFixed(1)} MB): ${t.label}`,
    })),
    lines: [
      budget(
        'scan',
        `one ${(text.length / 1e6).toFixed(1)} MB module of 120,000 classes: peak RSS / CPython ast.parse`,
        ours.rssMb / ast.rssMb,
        0.6,
        `${ours.rssMb.toFixed(0)} / ${ast.rssMb.toFixed(0)} MB; ${ms(ours)} / ${ms(ast)}`,
      ),
    ],
  };
};

export const benchScan = async (ctx: BenchContext): Promise<{ timings: Timing[]; lines: BudgetLine[] }> => {
  const timings: Timing[] = [];
  const lines: BudgetLine[] = [];
  const corpora = await scanCorpora(ctx);
  for (const [index, corpus] of corpora.entries()) {
    const r = await benchCorpus(ctx, corpus, index);
    timings.push(...r.timings);
    lines.push(...r.lines);
  }
  // Two trees of one package (two releases, two forks): the later one is scanned after the earlier.
  const trees = ctx.corpora.map(treeCorpus);
  for (let i = 1; i < trees.length; i++) {
    const first = trees.slice(0, i).find((t) => basename(t.dir) === basename(trees[i].dir));
    if (!first) continue;
    const r = await benchNextVersion(ctx, first, trees[i]);
    timings.push(...r.timings);
    lines.push(...r.lines);
  }
  // Not in quick mode (CI): one scan of it takes seconds and about a gigabyte.
  if (!ctx.quick) {
    const large = await benchLargeModule(ctx);
    timings.push(...large.timings);
    lines.push(...large.lines);
  }
  return { timings, lines };
};
