/**
 * Property: for generated Python sources, the scan's (module, qualname, line, async) set equals
 * CPython's ast (ast_oracle.py). Sources mix classes, nested classes, defs, async defs, decorators,
 * if/elif/else, try/except/else/finally, with, for/while(-else) and match blocks at module and class
 * level, function bodies holding defs that must not be listed, strings and comments containing
 * `def`/`class`, backslash continuations, CRLF and tab indentation.
 *
 * Each fast-check run writes a whole batch of modules into ONE package, so Python and the CLI start
 * once per batch. CI: 3 runs x 50 modules (about 150 samples). Longer: PATCHKIT_FUZZ_RUNS=5000 (total
 * samples, still 50 per batch). On failure fast-check prints the seed and path; replay with
 * PATCHKIT_FUZZ_SEED=<seed> (and PATCHKIT_FUZZ_PATH=<path>).
 */
import fc from 'fast-check';
import { rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { cpythonRejects, oracleSet, scanSet } from '../helpers/oracle.js';
import { PYTHON } from '../helpers/python.js';
import { scanCli, writeTree } from './scan-helpers.js';

const PER_BATCH = 50;
const SAMPLES = Number(process.env.PATCHKIT_FUZZ_RUNS ?? 150);
const RUNS = Math.max(1, Math.ceil(SAMPLES / PER_BATCH));

type Block = string[]; // lines without indentation of the block itself

const name = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'run', 'get', '__init__', '__call__', '_private', 'x1');
const className = fc.constantFrom('A', 'Base', 'Inner', 'Config', 'K2');
/** Placeholder for one level of indentation: each module then uses one unit throughout (CPython's TabError). */
const UNIT = '\u0001';
const indentUnit = fc.constant(UNIT);

const indent = (unit: string, block: Block): Block => block.map((l) => (l === '' ? l : `${unit}${l}`));

/** Filler statements: strings and comments that look like definitions, continuations. */
const filler: fc.Arbitrary<Block> = fc.constantFrom<Block>(
  ['pass'],
  ['x = "def not_a_def(): pass"'],
  ["y = '''", 'def inside_string():', '    pass', "'''"],
  ['# def in_comment(): pass', 'pass'],
  ['z = 1 + \\', '    2'],
  ['w = (1,', '2)'],
  ['s = "class Fake: pass"  # class Fake2:'],
  ['v = lambda: 0'],
  ['...'],
);

const params = fc.constantFrom(
  '()',
  '(self)',
  '(self, a, b=1)',
  '(*args, **kw)',
  '(a: int = 2) -> str',
  '(\n    a,\n    b,\n)',
);
const decorator = fc.constantFrom(
  '@staticmethod',
  '@property',
  '@functools.lru_cache(maxsize=None)',
  '@deco',
  '@a.b(\n    1)',
);

const tree = fc.letrec<{ block: Block; fnBody: Block }>((tie) => ({
  fnBody: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'fn' },
    filler,
    // Definitions inside a function body: never listed.
    fc.tuple(name, tie('fnBody'), indentUnit).map(([n, body, u]) => [`def ${n}_local():`, ...indent(u, body)]),
    fc.tuple(className, tie('fnBody'), indentUnit).map(([n, body, u]) => [`class ${n}Local:`, ...indent(u, body)]),
  ),
  block: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'block' },
    filler,
    fc
      .tuple(fc.array(decorator, { maxLength: 2 }), fc.boolean(), name, params, tie('fnBody'), indentUnit)
      .map(([decos, isAsync, n, p, body, u]) => [
        ...decos.flatMap((d) => d.split('\n')),
        ...`${isAsync ? 'async ' : ''}def ${n}${p}:`.split('\n'),
        ...indent(u, body),
      ]),
    fc
      .tuple(fc.array(decorator, { maxLength: 1 }), className, fc.constantFrom('', '(Base)', '(object, metaclass=M)'))
      .chain(([decos, n, bases]) =>
        fc
          .tuple(fc.array(tie('block'), { minLength: 1, maxLength: 3 }), indentUnit)
          .map(([body, u]) => [
            ...decos.flatMap((d) => d.split('\n')),
            `class ${n}${bases}:`,
            ...indent(u, body.flat()),
          ]),
      ),
    fc
      .tuple(tie('block'), fc.option(tie('block')), fc.option(tie('block')), indentUnit)
      .map(([a, b, c, u]) => [
        'if cond:',
        ...indent(u, a),
        ...(b ? ['elif other:', ...indent(u, b)] : []),
        ...(c ? ['else:', ...indent(u, c)] : []),
      ]),
    fc
      .tuple(tie('block'), tie('block'), fc.option(tie('block')), fc.option(tie('block')), indentUnit)
      .map(([a, b, c, d, u]) => [
        'try:',
        ...indent(u, a),
        'except (ImportError, ValueError) as e:',
        ...indent(u, b),
        ...(c ? ['else:', ...indent(u, c)] : []),
        ...(d ? ['finally:', ...indent(u, d)] : []),
      ]),
    fc.tuple(tie('block'), indentUnit).map(([a, u]) => ['with open(p) as f, lock:', ...indent(u, a)]),
    fc
      .tuple(tie('block'), fc.option(tie('block')), fc.constantFrom('for i in range(3):', 'while flag:'), indentUnit)
      .map(([a, b, head, u]) => [head, ...indent(u, a), ...(b ? ['else:', ...indent(u, b)] : [])]),
    fc
      .tuple(tie('block'), tie('block'), indentUnit)
      .map(([a, b, u]) => [
        'match command:',
        `${u}case [x, y]:`,
        ...indent(u + u, a),
        `${u}case {"k": _} | None:`,
        ...indent(u + u, b),
      ]),
  ),
}));

const moduleSource = fc
  .tuple(
    fc.array(tree.block, { minLength: 1, maxLength: 6 }),
    fc.constantFrom('    ', '\t', '  '),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([blocks, unit, crlf, trailingNewline]) => {
    const text = (blocks.flat().join('\n') + (trailingNewline ? '\n' : '')).replaceAll(UNIT, unit);
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

it(`matches CPython ast on generated sources (${RUNS} runs of ${PER_BATCH} modules)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(moduleSource, { minLength: PER_BATCH, maxLength: PER_BATCH }), async (sources) => {
      const files: Record<string, string> = { '__init__.py': '' };
      sources.forEach((text, i) => (files[`m${i}.py`] = text));
      const { root, base } = await writeTree(files, 'fuzz');
      try {
        const [oracle, run, rejected] = await Promise.all([
          oracleSet(PYTHON, root),
          scanCli(root),
          cpythonRejects(PYTHON, root),
        ]);
        // The generator writes only valid Python: otherwise the oracle skips the file silently.
        expect(rejected.map((p) => [p, files[p.slice(root.length + 1)]])).toEqual([]);
        const ours = scanSet(run.result);
        const missing = [...oracle].filter((k) => !ours.has(k));
        const extra = [...ours].filter((k) => !oracle.has(k));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
        expect(run.result.modules.filter((m) => m.lowConfidence).map((m) => m.path)).toEqual([]);
      } finally {
        await rm(base, { recursive: true, force: true });
      }
    }),
    {
      numRuns: RUNS,
      seed: process.env.PATCHKIT_FUZZ_SEED ? Number(process.env.PATCHKIT_FUZZ_SEED) : undefined,
      path: process.env.PATCHKIT_FUZZ_PATH,
      endOnFailure: true,
    },
  );
}, 600_000);
