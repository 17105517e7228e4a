/**
 * Thousands-deep nesting: tree-sitter must not blow the stack (native or wasm), node must not crash,
 * and the definitions around the deep expression must survive. Also the inputs that once made the
 * scan quadratic: deep indentation (fingerprints stripped trailing blanks with a backtracking regex,
 * 20 s for 500 nested classes) and a huge blank run inside an `except (…)` header.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/scan/model.js';
import { tempDir } from '../helpers/python.js';
import { record, scanCli, symbolsOf } from './scan-helpers.js';
import { rm } from 'node:fs/promises';

const N = 5000;
const wrap = (expression: string) => `def before():\n    pass\nx = ${expression}\ndef after():\n    pass\n`;

const DEEP: Record<string, string> = {
  parens: wrap(`${'('.repeat(N)}1${')'.repeat(N)}`),
  brackets: wrap(`${'['.repeat(N)}${']'.repeat(N)}`),
  braces: wrap(`${'{1: '.repeat(N)}1${'}'.repeat(N)}`),
  binops: wrap(Array.from({ length: N }, () => '1').join(' + ')),
  right_binops: wrap(`${'2 ** '.repeat(N)}2`),
  unary: wrap(`${'-'.repeat(N)}1`),
  not_chain: wrap(`${'not '.repeat(N)}x`),
  lambdas: wrap(`${'lambda: '.repeat(N)}1`),
  calls: wrap(`f${'(f'.repeat(N)}${')'.repeat(N)}`),
  subscripts: wrap(`a${'[0]'.repeat(N)}`),
  attributes: wrap(`a${'.b'.repeat(N * 4)}`),
  conditional: wrap(`${'1 if x else '.repeat(N)}1`),
  unclosed: wrap('('.repeat(N)),
  // CPython stops at 100 indentation levels; tree-sitter keeps going.
  nested_ifs: `${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('')}${' '.repeat(1000)}def deep():\n    pass\ndef after():\n    pass\n`,
};

const LINES_AFTER: Record<string, string[]> = { nested_ifs: ['deep:1001', 'after:1003'] };

let base: string;
beforeAll(async () => {
  base = await tempDir('patchkit-deep-');
  for (const [name, text] of Object.entries(DEEP)) await writeFile(join(base, `${name}.py`), text);
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe.each(['native', 'wasm'])('deep nesting, --parser %s', (parser) => {
  let result: ScanResult;
  beforeAll(async () => {
    const run = await scanCli(base, ['--parser', parser], { timeoutMs: 120_000 });
    record(`${N}-deep expressions (${parser})`, run);
    result = run.result;
  }, 150_000);

  it.each(Object.keys(DEEP))('%s: the definitions around it survive', (name) => {
    const module = `${base.split('/').pop()}.${name}`;
    expect(symbolsOf(result, module)).toEqual(LINES_AFTER[name] ?? ['before:1', 'after:4']);
  });

  it('reports the broken ones once each, the rest not at all', () => {
    const paths = result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain(join(base, 'unclosed.py'));
  });
});

describe('inputs that were quadratic', () => {
  it('500 nested classes: every level listed, in seconds', async () => {
    const dir = await tempDir('patchkit-deep-');
    try {
      const depth = 500;
      const text = `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}class C${i}:\n`).join('')}${' '.repeat(depth)}def deep(self):\n${' '.repeat(depth + 1)}pass\n`;
      await writeFile(join(dir, 'nest.py'), text);
      const run = await scanCli(join(dir, 'nest.py'), [], { timeoutMs: 120_000 });
      record('500 nested classes', run);
      const symbols = run.result.modules[0].symbols;
      expect(symbols).toHaveLength(depth + 1);
      expect(symbols[depth].qualname).toBe(`${Array.from({ length: depth }, (_, i) => `C${i}`).join('.')}.deep`);
      // Took 21 s before the fix (stripping trailing blanks backtracked over each indentation run).
      expect(run.wallSeconds).toBeLessThan(10);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('200,000 blanks inside an except header', async () => {
    const dir = await tempDir('patchkit-deep-');
    try {
      await writeFile(
        join(dir, 'exc.py'),
        `try:\n    pass\nexcept (A,${' '.repeat(200_000)}B):\n    def f():\n        pass\n`,
      );
      const run = await scanCli(join(dir, 'exc.py'), [], { timeoutMs: 120_000 });
      record('200,000 blanks in an except header', run);
      expect(run.result.modules[0].symbols.map((s) => [s.qualname, s.branch])).toEqual([['f', ['except (A, B)']]]);
      // The old `\s+as\s+\w+\s*$` is quadratic in a blank run: 178 ms for 20,000 blanks, ~100x that here.
      expect(run.wallSeconds).toBeLessThan(10);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('a 1 MB module with a syntax error in every class is recovered in linear time', async () => {
    const dir = await tempDir('patchkit-deep-');
    try {
      const chunks = Array.from(
        { length: 6000 },
        (_, i) =>
          `class C${i}:\n    def m(self):\n        x = = 1\n        pass\n    def n(self):\n        return ${i}\n\n`,
      );
      await writeFile(join(dir, 'broken.py'), chunks.join(''));
      const run = await scanCli(join(dir, 'broken.py'), [], { timeoutMs: 120_000 });
      record('6,000 broken classes (1 MB)', run);
      const names = new Set(run.result.modules[0].symbols.map((s) => `${s.qualname}:${s.line}`));
      // Each class is its own column-0 chunk, parsed again alone: class and second method recovered.
      for (let i = 0; i < 6000; i += 997) {
        expect(names).toContain(`C${i}:${i * 7 + 1}`);
        expect(names).toContain(`C${i}.n:${i * 7 + 5}`);
      }
      expect(run.result.diagnostics.filter((d) => d.severity !== 'info')).toHaveLength(1);
      expect(run.wallSeconds).toBeLessThan(60);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
