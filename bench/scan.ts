/** Scan benchmarks: patchkit cold, warm and subpackage against CPython's ast and griffe, same run. */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { budget, type BudgetLine } from './budget.js';
import { compare, type Timing } from './measure.js';
import type { BenchContext } from './context.js';

export interface Corpus {
  label: string;
  /** `patchkit scan` target and interpreter. */
  target: string;
  python: string;
  /** Directory the oracle walks (the package root). */
  dir: string;
  /** griffe: package name and search dir. */
  griffe: { name: string; searchDir: string } | null;
  subpackage: string | null;
}

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
    ];
  }
  // The machine's stdlib without the site-packages that pyenv keeps inside it; griffe needs a package: add an __init__.
  const stdlib = join(await mkdtemp(join(tmpdir(), 'patchkit-bench-stdlib-')), 'stdlib');
  await cp(ctx.stdlibDir, stdlib, { recursive: true, filter: (src) => !/[\\/](site-packages|__pycache__)$/.test(src) });
  await writeFile(join(stdlib, '__init__.py'), '');
  return [
    {
      label: `stdlib (${ctx.stdlibDir})`,
      target: stdlib,
      python: 'python3',
      dir: stdlib,
      griffe: { name: 'stdlib', searchDir: dirname(stdlib) },
      subpackage: null,
    },
    {
      label: "Debian's python3-torch",
      target: 'torch',
      python: '/usr/bin/python3',
      dir: '/usr/lib/python3/dist-packages/torch',
      griffe: { name: 'torch', searchDir: '/usr/lib/python3/dist-packages' },
      subpackage: 'torch.nn',
    },
  ];
};

export const benchScan = async (ctx: BenchContext): Promise<{ timings: Timing[]; lines: BudgetLine[] }> => {
  const timings: Timing[] = [];
  const lines: BudgetLine[] = [];
  for (const corpus of await scanCorpora(ctx)) {
    ctx.log(`scan: ${corpus.label}`);
    const scan = (target: string, extra: string[]) => [
      process.execPath,
      ctx.bin,
      'scan',
      target,
      '--python',
      corpus.python,
      '--json',
      ...extra,
    ];
    const cacheEnv = { PATCHKIT_CACHE_DIR: join(ctx.work, `cache-${timings.length}`) };
    const commands = [
      { label: 'patchkit cold', argv: scan(corpus.target, ['--no-cache']) },
      { label: 'patchkit warm', argv: scan(corpus.target, []), env: cacheEnv },
      { label: 'CPython ast (ast_oracle.py)', argv: ['/usr/bin/python3', ctx.oracle, corpus.dir] },
      ...(corpus.griffe
        ? [
            {
              label: 'griffe dump',
              argv: [
                '/usr/bin/python3',
                '-m',
                'griffe',
                'dump',
                corpus.griffe.name,
                '-s',
                corpus.griffe.searchDir,
                '-o',
                join(ctx.work, 'griffe.json'),
              ],
            },
          ]
        : []),
      ...(corpus.subpackage
        ? [{ label: `patchkit cold ${corpus.subpackage}`, argv: scan(corpus.subpackage, ['--no-cache']) }]
        : []),
    ];
    const result = await compare(commands, ctx.runs, ctx.log);
    result.forEach((t) => timings.push({ ...t, label: `${corpus.label}: ${t.label}` }));
    const [cold, warm, ast, griffe, sub] = [
      result[0],
      result[1],
      result[2],
      corpus.griffe ? result[3] : null,
      corpus.subpackage ? result[result.length - 1] : null,
    ];
    const name = corpus.label;
    lines.push(
      budget(
        'scan',
        `${name}: cold / CPython ast (reported)`,
        cold.wallMs / ast.wallMs,
        Infinity,
        `${cold.wallMs.toFixed(0)} / ${ast.wallMs.toFixed(0)} ms`,
      ),
    );
    if (griffe) {
      lines.push(
        budget(
          'scan',
          `${name}: cold wall / griffe`,
          cold.wallMs / griffe.wallMs,
          0.6,
          `${cold.wallMs.toFixed(0)} / ${griffe.wallMs.toFixed(0)} ms`,
        ),
      );
      lines.push(
        budget(
          'scan',
          `${name}: cold peak RSS / griffe`,
          cold.rssMb / griffe.rssMb,
          1.2,
          `${cold.rssMb.toFixed(0)} / ${griffe.rssMb.toFixed(0)} MB`,
        ),
      );
      lines.push(
        budget(
          'scan',
          `${name}: warm wall / griffe`,
          warm.wallMs / griffe.wallMs,
          0.05,
          `${warm.wallMs.toFixed(0)} / ${griffe.wallMs.toFixed(0)} ms`,
        ),
      );
    }
    if (sub)
      lines.push(
        budget(
          'scan',
          `${name}: ${corpus.subpackage} cold / whole cold`,
          sub.wallMs / cold.wallMs,
          0.2,
          `${sub.wallMs.toFixed(0)} / ${cold.wallMs.toFixed(0)} ms`,
        ),
      );
  }
  return { timings, lines };
};
