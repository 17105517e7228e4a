/**
 * The runtime drift fingerprint (ManifestTarget.sourceHash), computed exactly as the generated core's
 * `_source_hash` does: lines start..end (1-based, inclusive) of the file's bytes, CRLF/CR → LF,
 * trailing [ \t\f\v] stripped per line, joined with LF, sha256, first 16 hex digits.
 */
import { createHash } from 'node:crypto';
import { stripTrailingBlanks } from '../scan/text.js';

export const sourceHash = (file: Buffer, start: number, end: number): string => {
  const lines = file.toString('latin1').replace(/\r\n?/g, '\n').split('\n');
  // latin1 text holds no U+2028/U+2029, so LF is the only line end the helper sees.
  const text = stripTrailingBlanks(lines.slice(start - 1, end).join('\n'));
  return createHash('sha256').update(Buffer.from(text, 'latin1')).digest('hex').slice(0, 16);
};
