/** Small text helpers shared by the extractor. */
import { createHash } from 'node:crypto';

/** Whitespace (newlines, indentation) collapsed to single spaces; brackets hugged. */
export const collapse = (text: string): string =>
  text
    .replace(/\s+/g, ' ')
    .replace(/([([{]) /g, '$1')
    .replace(/ ([)\]}])/g, '$1')
    .replace(/, ([)\]}])/g, '$1')
    .trim();

/**
 * First 16 hex digits of sha256 over a definition's text with trailing whitespace stripped per
 * line: stable across line-ending and editor-whitespace noise, changed by any real edit.
 */
export const fingerprint = (text: string): string =>
  createHash('sha256')
    .update(text.replace(/[ \t\f\v]+$/gm, ''))
    .digest('hex')
    .slice(0, 16);
