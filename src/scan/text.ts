/** Small text helpers shared by the extractor. */
import { createHash } from 'node:crypto';
import { anyWithin } from '../util/sorted.js';

/** Something collapse changes: whitespace but a single space, a space inside a bracket, at an end. */
const UNCOLLAPSED = /\s\s|[^\S ]|[([{] | [)\]}]|^ | $/;

/** Whitespace (newlines, indentation) collapsed to single spaces; brackets hugged. */
export const collapse = (text: string): string =>
  // Most signatures and decorators are collapsed already: answered without four replacements.
  !UNCOLLAPSED.test(text)
    ? text
    : text
        .replace(/\s+/g, ' ')
        .replace(/([([{]) /g, '$1')
        .replace(/ ([)\]}])/g, '$1')
        .replace(/, ([)\]}])/g, '$1')
        .trim();

/**
 * Python source text with its comments removed (a `#` inside a string literal is kept): a signature
 * as `scan` reports it and `check` compares it says what the definition accepts, not what was noted.
 */
export const stripComments = (text: string): string => {
  if (!text.includes('#')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const quote = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) j += text[j] === '\\' ? 2 : 1;
      j = Math.min(text.length, j + quote.length);
      out += text.slice(i, j);
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
};

/**
 * First 16 hex digits of sha256 over a definition's text with trailing whitespace stripped per
 * line: stable across line-ending and editor-whitespace noise, changed by any real edit.
 */
export const fingerprint = (text: string): string =>
  createHash('sha256').update(stripTrailingBlanks(text)).digest('hex').slice(0, 16);

/**
 * `fingerprint(source.slice(start, end))` for the definitions of one text. A class's text holds its
 * methods', each fingerprinted again, and each had been scanned for trailing blanks: the text's own
 * are found once here, and a range holds one when one lies inside it or the range ends on a blank
 * (where the regex's `$` matches in a slice).
 */
export const rangeFingerprinter = (source: string) => {
  let blanks: number[] | undefined;
  return (start: number, end: number): string => {
    blanks ??= lineEndingBlanks(source);
    const text = source.slice(start, end);
    const blank = anyWithin(blanks, start, end) || (end > start && isBlank(source.charCodeAt(end - 1)));
    return blank ? fingerprint(text) : createHash('sha256').update(text).digest('hex').slice(0, 16);
  };
};

/**
 * The last blank before each line end of the text: a range that holds a blank ending one of its
 * lines holds one of these, or ends on a blank. Line feeds are found by indexOf; a text with another
 * line end (`\r`, U+2028, U+2029) takes the regex.
 */
const lineEndingBlanks = (source: string): number[] => {
  const blanks: number[] = [];
  if (OTHER_LINE_END.test(source)) {
    const ending = /[ \t\f\v](?=[\n\r\u2028\u2029]|$)/g;
    for (let found = ending.exec(source); found; found = ending.exec(source)) blanks.push(found.index);
    return blanks;
  }
  for (let nl = source.indexOf('\n'); nl >= 0; nl = source.indexOf('\n', nl + 1))
    if (nl > 0 && isBlank(source.charCodeAt(nl - 1))) blanks.push(nl - 1);
  return blanks;
};
const OTHER_LINE_END = /[\r\u2028\u2029]/;

const isBlank = (code: number) => code === 0x20 || code === 0x09 || code === 0x0c || code === 0x0b;
/** The line ends of the regex's `$` under the m flag. */
const LINE_END = /[\n\r\u2028\u2029]/g;

/**
 * `text.replace(/[ \t\f\v]+$/gm, '')` in one pass. The regex backtracks over every blank run that
 * does not end a line, quadratically: 500 nested classes (deep indentation) took 20 s to fingerprint.
 * Line ends are the regex's, so fingerprints stay identical; text without trailing blanks is
 * returned as it is (nested definitions hash their enclosing text again and again).
 */
/** A blank that ends a line (or the text): what stripTrailingBlanks removes. One linear scan. */
const TRAILING_BLANK = /[ \t\f\v](?:[\n\r\u2028\u2029]|$)/;

export const stripTrailingBlanks = (text: string): string => {
  // Most definitions have none: answered by one regex scan instead of a pass per line.
  if (!TRAILING_BLANK.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  let lineStart = 0;
  for (;;) {
    LINE_END.lastIndex = lineStart;
    const found = LINE_END.exec(text);
    const lineEnd = found ? found.index : text.length;
    let end = lineEnd;
    while (end > lineStart && isBlank(text.charCodeAt(end - 1))) end--;
    if (end < lineEnd) {
      parts.push(text.slice(copied, end));
      copied = lineEnd;
    }
    if (!found) break;
    lineStart = lineEnd + 1;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
};
