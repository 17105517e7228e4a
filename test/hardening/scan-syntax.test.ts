/**
 * Python 3.12–3.14 syntax: PEP 695 type parameters and `type` aliases, PEP 696 type-parameter
 * defaults, PEP 701 f-strings (nested same quotes, comments, backslashes), PEP 758 `except A, B:`.
 * Compared with the ast of the newest CPython on the machine that accepts the file; 3.14 syntax
 * (PEP 758) with hand-written expectations when no 3.14 is installed.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/scan/model.js';
import { needsInterpreter, skipUnmet } from '../helpers/needs.js';
import { oracleSet, scanSet } from '../helpers/oracle.js';
import { moduleKeys, scanCli, writeTree } from './scan-helpers.js';

const pyenv = (version: string) => `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/${version}/bin/python3`;
const firstExisting = (...candidates: string[]) => candidates.find((p) => existsSync(p)) ?? null;
const PY312 = firstExisting(process.env.PATCHKIT_TEST_PYTHON312 ?? '', pyenv('3.12.1'), '/usr/bin/python3.12');
const PY313 = firstExisting(process.env.PATCHKIT_TEST_PYTHON313 ?? '', pyenv('3.13.0'), '/usr/bin/python3.13');
const NO_312 = skipUnmet(
  'PEP 695/701 as CPython 3.12 lists them',
  needsInterpreter(PY312, 'CPython 3.12 (pyenv 3.12.1, /usr/bin/python3.12 or $PATCHKIT_TEST_PYTHON312)'),
);
const NO_313 = skipUnmet(
  'PEP 696 as CPython 3.13 lists it',
  needsInterpreter(PY313, 'CPython 3.13 (pyenv 3.13.0, /usr/bin/python3.13 or $PATCHKIT_TEST_PYTHON313)'),
);

const FILES: Record<string, string> = {
  'pep695.py': [
    'type Alias = list[int]',
    'type Generic[T] = dict[str, T]',
    'class Box[T]:',
    '    type Inner[U] = tuple[T, U]',
    '    def get[S: (int, str)](self, x: S) -> T:',
    '        def local[V](): pass',
    '        return x',
    '    async def aget[*Ts, **P](self) -> None:',
    '        pass',
    'def ident[T: int](x: T) -> T:',
    '    return x',
    'class Nested[T]:',
    '    class Inner[U: Nested]:',
    '        def m[V](self): pass',
    '',
  ].join('\n'),
  'pep701.py': [
    'songs = ["a", "b"]',
    'x = f"{", ".join(songs)}"',
    'y = f"{f"{f"{1}"}"}"',
    'z = f"""{',
    '    1  # a comment inside the replacement field',
    '}"""',
    'w = f"{"\\n".join(songs)}"',
    'def after_fstrings(s=f"{"def fake(): pass"}"):',
    '    return f"{s!r:>{10}}"',
    'class K:',
    '    v = f"{"class Fake: pass"}"',
    '    def m(self):',
    '        return f"{self!r}"',
    '',
  ].join('\n'),
};

const FILES_313: Record<string, string> = {
  'pep696.py': [
    'class A[T = int]:',
    '    def m[U = str](self) -> U: ...',
    'type Default[T = bytes] = list[T]',
    'def f[*Ts = *tuple[int, str], **P = [int]](): pass',
    'class B[T: int = bool]:',
    '    pass',
    '',
  ].join('\n'),
};

/** PEP 758 (3.14): no parentheses around several exception types. */
const PEP758 = [
  'try:',
  '    import fast',
  'except ImportError, ModuleNotFoundError:',
  '    def fallback(): pass',
  'try:',
  '    pass',
  'except* ValueError, TypeError:',
  '    class Grouped:',
  '        def m(self): pass',
  'def after(): pass',
  '',
].join('\n');

let cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const clean of cleanups) await clean();
  cleanups = [];
});

const scanTree = async (files: Record<string, string>, parser: string) => {
  const tree = await writeTree(files);
  cleanups.push(tree.remove);
  const run = await scanCli(tree.root, ['--parser', parser]);
  return { ...tree, result: run.result };
};

describe.each(['native', 'wasm'])('new syntax, --parser %s', (parser) => {
  it.skipIf(NO_312)('PEP 695 and PEP 701 as CPython 3.12 lists them', async () => {
    const { root, result } = await scanTree(FILES, parser);
    const oracle = await oracleSet(PY312!, root);
    expect(oracle.size).toBeGreaterThanOrEqual(10);
    expect([...scanSet(result)].sort()).toEqual([...oracle].sort());
    expect(result.modules.filter((m) => m.lowConfidence).map((m) => m.name)).toEqual([]);
  });

  it.skipIf(NO_313)('PEP 696 type-parameter defaults as CPython 3.13 lists them', async () => {
    const { root, result } = await scanTree(FILES_313, parser);
    const oracle = await oracleSet(PY313!, root);
    expect(oracle.size).toBeGreaterThan(3);
    expect([...scanSet(result)].sort()).toEqual([...oracle].sort());
  });

  it('PEP 758 except without parentheses: every definition, its except branch', async () => {
    const { result } = await scanTree({ 'pep758.py': PEP758 }, parser);
    const module = result.modules.find((m) => m.name === 'pkg.pep758')!;
    expect(module.symbols.map((s) => [s.qualname, s.line, s.branch])).toEqual([
      ['fallback', 4, ['except ImportError, ModuleNotFoundError']],
      ['Grouped', 8, ['except ValueError, TypeError']],
      ['Grouped.m', 9, []],
      ['after', 10, []],
    ]);
    expect(moduleKeys(result as ScanResult, 'pkg.pep758').size).toBe(4);
  });
});

let py314: string | null = null;
beforeAll(async () => {
  for (const candidate of ['python3.14', pyenv('3.14.0')]) {
    const ok = await execa(candidate, ['-c', 'import sys; assert sys.version_info >= (3, 14)'], { reject: false });
    if (ok.exitCode === 0) py314 = candidate;
  }
});

it('PEP 758 as CPython 3.14 lists it, where one is installed', async (context) => {
  if (!py314) {
    console.warn('skipped: PEP 758 as CPython 3.14 lists it: no CPython 3.14 (python3.14 on PATH or pyenv 3.14.0)');
    context.skip();
  }
  const tree = await writeTree({ 'pep758.py': PEP758 });
  cleanups.push(tree.remove);
  const run = await scanCli(tree.root);
  expect([...scanSet(run.result)].sort()).toEqual([...(await oracleSet(py314!, tree.root))].sort());
});
