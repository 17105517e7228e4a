/**
 * sourceHash (the runtime's drift fingerprint, recorded in the manifest): the same digest as the
 * generated core's `_source_hash`, and linear in the line length (a run of blanks that does not
 * end its line made the trailing-blank regex quadratic: seconds for one long line).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sourceHash } from '../../src/generate/source-hash.js';

/** The definition, written the slow and obvious way. */
const reference = (file: Buffer, start: number, end: number) => {
  const lines = file
    .toString('latin1')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .slice(start - 1, end)
    .map((line) => line.replace(/[ \t\f\v]+$/, ''));
  return createHash('sha256')
    .update(Buffer.from(lines.join('\n'), 'latin1'))
    .digest('hex')
    .slice(0, 16);
};

describe('sourceHash', () => {
  it('strips trailing blanks per line and normalises line ends, as the runtime does', () => {
    const file = Buffer.from('def f(x):  \r\n\treturn x \t\f\v\rpass\n  # é \xff\n\n   \nend', 'latin1');
    for (const [start, end] of [
      [1, 1],
      [1, 3],
      [2, 6],
      [1, 7],
    ])
      expect(sourceHash(file, start, end), `${start}..${end}`).toBe(reference(file, start, end));
    expect(sourceHash(Buffer.from('a \nb'), 1, 2)).toBe(sourceHash(Buffer.from('a\r\nb\t'), 1, 2));
  });

  it('is linear: two lines of 50,000 blanks that do not end the line', () => {
    const line = `${' '.repeat(50_000)}x`;
    const file = Buffer.from(`${line}\n${line}  \n`);
    const started = performance.now();
    const hash = sourceHash(file, 1, 2);
    expect(performance.now() - started).toBeLessThan(500);
    expect(hash).toBe(createHash('sha256').update(`${line}\n${line}`).digest('hex').slice(0, 16));
  });
});
