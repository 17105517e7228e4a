/**
 * The extractor's text helpers take shortcuts (scan/text.ts): each must answer exactly what the
 * plain computation answers, on texts made to reach every branch and on real files.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collapse, fingerprint, rangeFingerprinter } from '../../src/scan/text.js';
import { pythonFiles } from '../helpers/python-files.js';
import { PYTHON } from '../helpers/python.js';

/** collapse as it was written before its shortcut. */
const plainCollapse = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/([([{]) /g, '$1')
    .replace(/ ([)\]}])/g, '$1')
    .replace(/, ([)\]}])/g, '$1')
    .trim();

/** fingerprint as it was written before any shortcut: the regex over every line. */
const plainFingerprint = (text: string) =>
  createHash('sha256')
    .update(text.replace(/[ \t\f\v]+$/gm, ''))
    .digest('hex')
    .slice(0, 16);

/** A small deterministic generator (the same cases on every run). */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

describe('collapse', () => {
  it.each([
    '(self, x: int = 1)',
    '(self,\n        x: int = 1,\n    )',
    '( a, b )',
    '[a,  b]',
    '{a: b, }',
    ' leading',
    'trailing ',
    'tab\there',
    'nbsp\u00a0here',
    'line\u2028sep',
    '(a, )',
    'f(a)(b)',
    '',
    ' ',
  ])('%j: what the four replacements give', (text) => {
    expect(collapse(text)).toBe(plainCollapse(text));
  });

  it('random texts of spaces, brackets, commas and words', () => {
    const next = random(7);
    const alphabet = [' ', '  ', '\n', '\t', '(', ')', '[', ']', '{', '}', ',', 'a', 'bc', '\u00a0', '\r\n'];
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const length = Math.floor(next() * 12);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      expect(collapse(text), JSON.stringify(text)).toBe(plainCollapse(text));
    }
  });
});

describe('rangeFingerprinter', () => {
  it.each([
    ['every line end', ['\r\n', '\r', '\u2028', '\u2029']],
    ['line feeds only', []],
  ])('random ranges of a text with trailing blanks and %s: the fingerprint of the slice', (_name, ends) => {
    const next = random(11);
    const pieces = ['x = 1', ' ', '\t', '\f', '\v', '\n', 'def f():', '    ', '# c  ', ...ends];
    let text = '';
    for (let i = 0; i < 4000; i++) text += pieces[Math.floor(next() * pieces.length)];
    const of = rangeFingerprinter(text);
    for (let n = 0; n < 3000; n++) {
      const start = Math.floor(next() * text.length);
      const end = start + Math.floor(next() * Math.min(200, text.length - start + 1));
      const slice = text.slice(start, end);
      expect(of(start, end), JSON.stringify(slice)).toBe(plainFingerprint(slice));
      expect(fingerprint(slice)).toBe(plainFingerprint(slice));
    }
  });

  it('every third line of 60 stdlib files, three lines at a time', async () => {
    const { stdout } = await execa(PYTHON, ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']);
    for (const file of pythonFiles(stdout.trim(), 60)) {
      const text = readFileSync(file, 'utf8');
      const of = rangeFingerprinter(text);
      const starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      for (let k = 0; k + 3 < starts.length; k += 3) {
        const slice = text.slice(starts[k], starts[k + 3] - 1);
        expect(of(starts[k], starts[k + 3] - 1), file).toBe(plainFingerprint(slice));
      }
    }
  });
});
