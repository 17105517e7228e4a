/**
 * The runtime drift fingerprint (ManifestTarget.sourceHash), computed exactly as the generated core's
 * `_source_hash` does: lines start..end (1-based, inclusive) of the file's bytes, CRLF/CR → LF,
 * trailing [ \t\f\v] stripped per line, joined with LF, sha256, first 16 hex digits.
 */
import { createHash } from 'node:crypto';

export const sourceHash = (file: Buffer, start: number, end: number): string => {
  const text = file.toString('latin1').replace(/\r\n?/g, '\n');
  const lines = text
    .split('\n')
    .slice(start - 1, end)
    .map((line) => line.replace(/[ \t\f\v]+$/, ''));
  return createHash('sha256')
    .update(Buffer.from(lines.join('\n'), 'latin1'))
    .digest('hex')
    .slice(0, 16);
};
