/** The web-tree-sitter fallback yields the same JSON as the native binding. */
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadParser } from '../../src/parser/adapter.js';
import { querySources } from '../../src/scan/queries.js';
import { scanJson } from '../helpers/oracle.js';
import { tempDir } from '../helpers/python.js';

const fixture = fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url));

describe('parser adapter', () => {
  it('loads both bindings', async () => {
    expect((await loadParser('native', querySources())).kind).toBe('native');
    expect((await loadParser('wasm', querySources())).kind).toBe('wasm');
  });

  it.each([fixture, 'email'])('wasm and native scans of %s are identical', async (target) => {
    const native = await scanJson([target, '--no-cache', '--parser', 'native']);
    const wasm = await scanJson([target, '--no-cache', '--parser', 'wasm']);
    expect(wasm).toEqual(native);
    expect(native.modules.length).toBeGreaterThan(3);
  });

  it('agrees on non-ASCII sources (UTF-16 indices, PEP 263 cookies)', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'uni.py'),
      'x = "h\u00e9llo \ud83d\ude00"\ndef f(a="\ud83d\ude00\ud83d\ude00"):\n    pass\nclass \u00dc:\n    def m(self) -> "\u00f1": ...\n',
    );
    await writeFile(
      join(dir, 'latin.py'),
      Buffer.concat([
        Buffer.from('# -*- coding: latin-1 -*-\ns = "'),
        Buffer.from([0xe9]),
        Buffer.from('"\ndef g(x="\u00e9"):\n    pass\n'.replace('\u00e9', 'e')),
      ]),
    );
    for (const parser of ['native', 'wasm']) {
      const result = await scanJson([dir, '--no-cache', '--parser', parser]);
      const uni = result.modules.find((m) => m.name.endsWith('uni'))!;
      expect(uni.symbols.map((s) => [s.qualname, s.signature, s.line])).toEqual([
        ['f', '(a="\ud83d\ude00\ud83d\ude00")', 2],
        ['\u00dc', '', 4],
        ['\u00dc.m', '(self) -> "\u00f1"', 5],
      ]);
      const latin = result.modules.find((m) => m.name.endsWith('latin'))!;
      expect(latin.lowConfidence).toBeUndefined();
      expect(latin.symbols.map((s) => s.qualname)).toEqual(['g']);
    }
  });
});
