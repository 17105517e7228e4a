/**
 * `patchkit scan --json` against CPython's own ast (test/oracle/ast_oracle.py) on real code:
 * the machine's stdlib, CPython's own test suite (Lib/test, where the interpreter ships it) and
 * Debian's python3-django and python3-torch (where apt installed them). The (module, qualname,
 * line, async) sets must be identical, except for the two documented CPython-vs-grammar cases:
 *   1. files CPython refuses to parse (Python 2 syntax, deliberate syntax-error fixtures): the oracle
 *      skips them, tree-sitter (a superset grammar) still lists their definitions;
 *   2. definitions lost to a tree-sitter ERROR that chunk re-parsing cannot recover: only in modules
 *      the scan itself marks lowConfidence (tree-sitter-python #256 in test_compile.py).
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cpythonRejects, key, oracleSet, scanJson, scanSet } from '../helpers/oracle.js';
import { needsCpythonTestSuite, needsDebianPackage, skipUnmet } from '../helpers/needs.js';
import { PYTHON, SYSTEM_PYTHON, tempDir } from '../helpers/python.js';

const moduleOf = (k: string) => (JSON.parse(k) as [string])[0];

const compare = async (python: string, dir: string) => {
  const [oracle, rejected, result] = await Promise.all([
    oracleSet(python, dir),
    cpythonRejects(python, dir),
    scanJson([dir, '--no-cache']),
  ]);
  const ours = scanSet(result);
  const rejectedPaths = new Set(rejected);
  const rejectedModules = new Set(result.modules.filter((m) => rejectedPaths.has(m.path)).map((m) => m.name));
  const lowConfidence = new Set(result.modules.filter((m) => m.lowConfidence).map((m) => m.name));
  const extra = [...ours].filter((k) => !oracle.has(k));
  const missing = [...oracle].filter((k) => !ours.has(k));
  // Case 2 can also misattribute a method (same line, class lost): module and line match a missing key.
  const lineOf = (k: string) => {
    const [m, , line] = JSON.parse(k) as [string, string, number];
    return `${m}:${line}`;
  };
  const missingLines = new Set(missing.map(lineOf));
  const unexplainedExtra = extra.filter(
    (k) => !rejectedModules.has(moduleOf(k)) && !(lowConfidence.has(moduleOf(k)) && missingLines.has(lineOf(k))),
  );
  const unexplainedMissing = missing.filter((k) => !lowConfidence.has(moduleOf(k)));
  return { oracle, ours, extra, missing, unexplainedExtra, unexplainedMissing, result };
};

const stdlibDir = async () =>
  (await execa(PYTHON, ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'])).stdout.trim();

const NO_TEST_SUITE = skipUnmet(
  "CPython's test suite (Lib/test) as the oracle lists it",
  needsCpythonTestSuite(PYTHON),
);

describe('scan matches CPython ast', () => {
  it('on the stdlib of the machine python3, its test suite aside', async () => {
    const stdlib = await stdlibDir();
    const dir = join(await tempDir(), 'stdlib');
    // The pyenv stdlib dir also holds site-packages; the test suite has a test of its own below.
    await cp(stdlib, dir, {
      recursive: true,
      filter: (src) => !/[\\/](site-packages|__pycache__)$/.test(src) && src !== join(stdlib, 'test'),
    });
    try {
      const r = await compare(PYTHON, dir);
      expect(r.oracle.size).toBeGreaterThan(15_000);
      expect(r.unexplainedExtra).toEqual([]);
      expect(r.unexplainedMissing).toEqual([]);
      expect(r.missing.length).toBeLessThanOrEqual(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(NO_TEST_SUITE)("on CPython's own test suite (Lib/test), the hardest code there is", async () => {
    const dir = join(await tempDir(), 'suite');
    await cp(join(await stdlibDir(), 'test'), join(dir, 'test'), {
      recursive: true,
      filter: (src) => !/[\\/]__pycache__$/.test(src),
    });
    try {
      const r = await compare(PYTHON, dir);
      expect(r.oracle.size).toBeGreaterThan(25_000);
      expect(r.unexplainedExtra).toEqual([]);
      expect(r.unexplainedMissing).toEqual([]);
      // Documented case 2 stays small: one method of test_compile.TestSourcePositions on 3.11.
      expect(r.missing.length).toBeLessThanOrEqual(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const [pkg, apt] of [
    ['django', 'python3-django'],
    ['torch', 'python3-torch'],
  ]) {
    const dir = `/usr/lib/python3/dist-packages/${pkg}`;
    it.skipIf(skipUnmet(`scan matches CPython ast on ${apt}`, needsDebianPackage(pkg, apt)))(
      `on Debian's ${apt}`,
      async () => {
        const r = await compare(SYSTEM_PYTHON, dir);
        expect(r.oracle.size).toBeGreaterThan(1000);
        expect(r.unexplainedExtra).toEqual([]);
        expect(r.unexplainedMissing).toEqual([]);
      },
    );
  }

  it('reports the #256 grammar case as low confidence with recovered classes', async () => {
    const dir = await tempDir();
    // The statement CPython accepts and tree-sitter-python #256 does not (from CPython's test_compile.py).
    const source = [
      'class Before:',
      '    def ok(self):',
      '        def f():',
      '            (bar.',
      '        baz)',
      '        return f',
      '',
      'class After:',
      '    def method(self):',
      '        return 1',
      '',
    ].join('\n');
    await (await import('node:fs/promises')).writeFile(join(dir, 'broken.py'), source);
    const result = await scanJson([join(dir, 'broken.py')]);
    const module = result.modules[0];
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(module.lowConfidence).toBe(true);
    const found = new Set(module.symbols.map((s) => key(module.name, s.qualname, s.line, s.async)));
    expect(found).toContain(key('broken', 'After', 8, false));
    expect(found).toContain(key('broken', 'After.method', 9, false));
    expect(found).toContain(key('broken', 'Before', 1, false));
  });
});
