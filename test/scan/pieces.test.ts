/**
 * scan/pieces.ts parses a large module as included ranges cut at top-level statements: the facts
 * must be exactly those of the whole parse. Checked with pieces of a few kilobytes on real files
 * (the fixture package and a slice of the stdlib, blanked and not) with both bindings, and on a
 * generated module large enough to be cut at the scanner's own size.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadParser, type ParserKind } from '../../src/parser/adapter.js';
import { decodeSource } from '../../src/scan/decode.js';
import { elideBodies, statementStarts } from '../../src/scan/elide.js';
import { scanFile } from '../../src/scan/file.js';
import { extractInPieces, PIECED_FROM, pieceRanges } from '../../src/scan/pieces.js';
import { querySources } from '../../src/scan/queries.js';
import { PYTHON } from '../helpers/python.js';
import { pythonFiles } from '../helpers/python-files.js';

describe('statementStarts', () => {
  it('cuts only where a top-level statement starts on its own', () => {
    const source = [
      'import os',
      '@decorator',
      'def f():',
      '    return 1',
      'if x:',
      '    pass',
      'else:',
      '    pass',
      'try:',
      '    pass',
      'except E:',
      '    pass',
      'finally:',
      '    pass',
      'class C:',
      '    x = 1',
      '# a comment the block above may hold',
      'y = """',
      'z = 1',
      '"""',
      'w = (1,',
      '2)',
      '',
    ].join('\n');
    const lineOf = (index: number) => source.slice(0, index).split('\n').length;
    expect(statementStarts(source)?.map(lineOf)).toEqual([2, 5, 9, 15, 21]);
  });
});

describe.each<ParserKind>(['native', 'wasm'])('scanning in pieces with the %s binding', (kind) => {
  it('the fixture package and 300 stdlib files cut every few kilobytes: the facts of the whole parse', async () => {
    const parser = await loadParser(kind, querySources());
    const { stdout } = await execa(PYTHON, ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']);
    const files = [
      ...pythonFiles(fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url)), 100),
      ...pythonFiles(stdout.trim(), 300),
    ];
    let pieced = 0;
    for (const file of files) {
      const whole = await scanFile(parser, file, false, Infinity);
      expect(await scanFile(parser, file, false, 4096), file).toEqual(whole);
      const source = decodeSource(readFileSync(file)).text;
      const ranges = source.length >= 4096 ? pieceRanges(source, 2048) : null;
      if (ranges && (await extractInPieces(parser, source, elideBodies(source), ranges))) pieced++;
    }
    // Most files of that size are cut; files with errors or what the lexer refuses are parsed whole.
    expect(pieced).toBeGreaterThan(files.length / 3);
  }, 180_000);

  it('a generated module past PIECED_FROM: cut into pieces, the facts of the whole parse', async () => {
    const parser = await loadParser(kind, querySources());
    const parts = ['"""Generated."""\n'];
    for (let i = 0; parts.join('').length < PIECED_FROM + 4096; i += 1000) {
      for (let k = i; k < i + 1000; k++)
        parts.push(
          `class G${k}(Base):\n    v = ${k}\n    def f(self, a, b=None):\n        return (a, b, ${k}, self.v)\n`,
        );
    }
    const text = parts.join('');
    const file = join(mkdtempSync(join(tmpdir(), 'patchkit-pieces-')), 'generated.py');
    writeFileSync(file, text);
    expect(pieceRanges(text, PIECED_FROM >> 1)?.length).toBeGreaterThanOrEqual(2);
    const pieced = await scanFile(parser, file);
    expect(pieced).toEqual(await scanFile(parser, file, false, Infinity));
    expect(pieced.facts.defs.length).toBe((parts.length - 1) * 2);
  }, 60_000);
});
