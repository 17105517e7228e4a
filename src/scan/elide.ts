/**
 * Function bodies blanked before parsing. Most of a package's bytes are inside the bodies of its
 * functions, and a body that gatherCaptures would not query (no `yield`, no `import` in its text)
 * gives extraction nothing but its extent and whether it starts interface-only; the tree-sitter
 * parse of its code is most of a cold scan's cost, and whitespace parses far faster than code.
 *
 * So a small Python-aware lexer finds the outermost function bodies and rewrites each as its
 * leading docstrings, comments, `pass` and `...` statements verbatim, then one empty tuple: `(`
 * where the first other statement starts, `)` on the last character of the body's last token,
 * every character between a space (newlines kept). Every index, row and column the tree reports is
 * the original's, the body starts and ends where it did, and it is interface-only exactly when the
 * original is. Extraction still reads the original text.
 *
 * A body that holds a `yield` or an `import` is queried, but only for those and the control flow
 * around them: each run of its statements that holds neither becomes such a tuple, compound
 * statements that hold one keep their headers. And the parser skips what it need not read (holes,
 * scan/included.ts): the inside of each tuple and of long triple-quoted strings.
 *
 * Whenever the lexer is unsure (tabs or form feeds in indentation, a lone carriage return, any
 * character or token it does not know, Python 2 forms tree-sitter reads as errors, indentation
 * CPython would refuse, a comment after a body's last token) it leaves the body, or the file, as it
 * is; and scan/file.ts parses the original text again when the blanked one has any error or a
 * blanked body does not end where the lexer said. An error tree-sitter would find inside a blanked
 * body is not seen: so the lexer also refuses the valid constructs tree-sitter-python misreads
 * inside bodies (a bracket continued below its statement, a starred item of an unbracketed tuple
 * that does not start with a name), and bench/NOTES.md says what is left.
 */

import { MIN_BODY } from './gather.js';

/** One logical line: its first token's index, indentation (spaces) and the end of its last token. */
interface LogicalLine {
  start: number;
  indent: number;
  end: number;
  /** First word (identifier or keyword), '' when the line starts with another token. */
  first: string;
  second: string;
  /** Starts with a string literal, `pass` or `...`: what an interface-only body is made of. */
  interfaceLike: boolean;
  /** Ends with `:` outside brackets: opens a block. */
  opens: boolean;
}

export interface Elided {
  text: string;
  /** End index of every blanked body (the end of its function): scan/file.ts checks them. */
  ends: number[];
  /**
   * Where the parser need not read (scan/included.ts), flat [start, end) pairs in order: from just
   * after a blanked body's `(` to the start of the line of its `)`, for bodies of more than one
   * line, and the insides of long strings outside them (see logicalLines).
   */
  holes: number[];
}

/** Python 3.14's t-strings are left out: not every grammar version reads them. */
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
/** Codes of the operator and delimiter characters that need no check of their own. */
const OPERATOR: boolean[] = [];
for (const ch of '+-*/%@&|^~<>=.,:;') OPERATOR[ch.charCodeAt(0)] = true;
/** `last` of a word (no character has this code). */
const WORD = -2;
const isWordChar = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
/** Python 2 octal (`0777`) and long (`10L`) literals: tree-sitter reads both as errors. */
const PY2_NUMBER = /^(?:0[0-9_]*[1-9]|[0-9][0-9_]*[lL]$)/;

/** Python's keywords: a starred item that starts with one (`*None`, `*await x`) is read as an error too. */
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

/** Whether a name that is not a keyword starts at `i`, after spaces. */
const startsWithName = (source: string, i: number): boolean => {
  while (source.charCodeAt(i) === 32) i++;
  const first = source.charCodeAt(i);
  if (!isWordChar(first) || (first >= 48 && first <= 57)) return false;
  let end = i + 1;
  while (isWordChar(source.charCodeAt(end))) end++;
  return !KEYWORDS.has(source.slice(i, end));
};

/**
 * Whether the line holds only ASCII before `index`: where a hole starts, the parser stops at a
 * column, counted in string indices here and perhaps in bytes by a binding (scan/included.ts).
 */
const asciiBefore = (source: string, index: number): boolean => {
  for (let i = index - 1; i >= 0; i--) {
    const code = source.charCodeAt(i);
    if (code === 10) return true;
    if (code > 127) return false;
  }
  return true;
};

const isWord = (source: string, start: number, end: number, word: string) =>
  start >= 0 && end - start === word.length && source.startsWith(word, start);

/**
 * Worth blanking: shorter stretches save less than the bookkeeping costs. Never below MIN_BODY, so
 * that scan/gather.ts lists every blanked body and can check where it ends.
 */
const MIN_BLANK = MIN_BODY;

/** A string's text shorter than this stays read: a hole of its own costs the parser a jump. */
const MIN_STRING_HOLE = 64;

/**
 * The logical lines of `source`, or null when the lexer is unsure of anything in it. `strings`, when
 * given, gets a hole (a flat [start, end) pair) for each long triple-quoted string that is not an
 * f-string and spans lines: from after its opening quotes to the start of the line it closes on.
 * The parser reads such a string as one token however long it is, and no capture looks inside it.
 */
const logicalLines = (source: string, strings?: number[]): LogicalLine[] | null => {
  const lines: LogicalLine[] = [];
  const brackets: number[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    // Indentation: spaces only (tabs and form feeds are counted differently by CPython and tree-sitter).
    let indent = 0;
    while (i < n && source.charCodeAt(i) === 32) {
      i++;
      indent++;
    }
    if (i >= n) break;
    const c0 = source[i];
    if (c0 === '\n') {
      i++;
      continue;
    }
    if (c0 === '\r') {
      if (source[i + 1] !== '\n') return null;
      i += 2;
      continue;
    }
    if (c0 === '#') {
      const nl = source.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c0 === '\t' || c0 === '\f' || c0 === '\\') return null;

    const line: LogicalLine = { start: i, indent, end: i, first: '', second: '', interfaceLike: false, opens: false };
    brackets.length = 0;
    let words = 0;
    /** The last token's last character code; a word's is WORD. */
    let last = 0;
    /** The last token when it is a word: [start, end), else start -1. */
    let wordStart = -1;
    let wordEnd = -1;
    let comma0 = false;
    let tokens = 0;
    let ended = false;
    while (i < n && !ended) {
      const code = source.charCodeAt(i);
      if (code === 32 || code === 9 || code === 12) {
        i++;
        continue;
      }
      if (code === 10 || code === 13) {
        if (code === 13 && source.charCodeAt(i + 1) !== 10) return null;
        i += code === 13 ? 2 : 1;
        if (brackets.length === 0) ended = true;
        else {
          // A bracketed continuation dedented below its statement: tree-sitter-python #256 reads
          // the rest of the block as an error where CPython does not.
          let col = 0;
          while (source.charCodeAt(i + col) === 32) col++;
          const next = source.charCodeAt(i + col);
          if (col < indent && next !== 10 && next !== 13 && i + col < n) return null;
        }
        continue;
      }
      if (code === 35) {
        const nl = source.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      if (code === 92) {
        if (source.charCodeAt(i + 1) === 10) i += 2;
        else if (source.charCodeAt(i + 1) === 13 && source.charCodeAt(i + 2) === 10) i += 3;
        else return null;
        continue;
      }
      tokens++;
      if (code === 34 || code === 39) {
        // A prefix is the word right before the quote.
        let formatted = false;
        if (wordStart >= 0 && wordEnd === i) {
          const prefix = source.slice(wordStart, wordEnd).toLowerCase();
          if (!STRING_PREFIXES.has(prefix)) return null;
          formatted = prefix.includes('f');
          tokens--;
        }
        const triple = source.charCodeAt(i + 1) === code && source.charCodeAt(i + 2) === code;
        let j = i + (triple ? 3 : 1);
        let braces = 0;
        for (;;) {
          if (j >= n) return null;
          const s = source.charCodeAt(j);
          if (s === 92) {
            j += 2;
            continue;
          }
          if (s === 10 && !triple) return null;
          if (s === code && (!triple || (source.charCodeAt(j + 1) === code && source.charCodeAt(j + 2) === code))) {
            // Python 3.12 lets a replacement field hold the same quote: not read here.
            if (formatted && braces > 0) return null;
            j += triple ? 3 : 1;
            break;
          }
          if (formatted) {
            if (s === 123) braces++;
            else if (s === 125 && braces > 0) braces--;
          }
          j++;
        }
        if (strings && triple && !formatted) {
          const content = i + 3;
          const lastLine = source.lastIndexOf('\n', j - 4) + 1;
          if (lastLine - content >= MIN_STRING_HOLE && asciiBefore(source, content)) strings.push(content, lastLine);
        }
        if (tokens === 1) line.interfaceLike = true;
        i = j;
        line.end = j;
        last = code;
        wordStart = -1;
        continue;
      }
      if (isWordChar(code)) {
        let j = i + 1;
        while (j < n && isWordChar(source.charCodeAt(j))) j++;
        if (code >= 48 && code <= 57) {
          // After a `.` or an exponent's sign it is part of a float (`1.05`, `1e-05`), not an integer.
          const before = source.charCodeAt(i - 1);
          const inFloat =
            before === 46 || ((before === 45 || before === 43) && (source.charCodeAt(i - 2) | 32) === 101);
          if (
            !inFloat &&
            (code === 48 || (source.charCodeAt(j - 1) | 32) === 108) &&
            PY2_NUMBER.test(source.slice(i, j))
          )
            return null;
        } else if (tokens <= 2) {
          if (words === 0 && tokens === 1) line.first = source.slice(i, j);
          else if (words === 1 && tokens === 2) line.second = source.slice(i, j);
          if (tokens === 1 && line.first === 'pass') line.interfaceLike = true;
        }
        if (code < 48 || code > 57) words++;
        wordStart = i;
        wordEnd = j;
        i = j;
        line.end = j;
        last = WORD;
        continue;
      }
      if (code > 127) return null;
      // `x = a, *[]` and `return a, *(b)`: tree-sitter-python reads a starred item of an unbracketed
      // tuple there as an error unless it starts with a name (`*b`, `*b.c`, `*f()` parse).
      if (
        code === 42 &&
        brackets.length === 0 &&
        (last === 44 || last === 61 || isWord(source, wordStart, wordEnd, 'return')) &&
        !startsWithName(source, i + 1)
      )
        return null;
      if (code === 40 || code === 91 || code === 123) {
        if (code === 40 && isWord(source, wordStart, wordEnd, 'lambda')) return null;
        brackets.push(code);
      } else if (code === 41 || code === 93 || code === 125) {
        if (brackets.pop() !== (code === 41 ? 40 : code - 2)) return null;
      } else if (code === 33) {
        if (source.charCodeAt(i + 1) !== 61) return null;
      } else if (!OPERATOR[code]) {
        return null;
      } else if (code === 60 && source.charCodeAt(i + 1) === 62) {
        return null;
      } else if (code === 44 && brackets.length === 0) {
        comma0 = true;
      } else if (code === 46 && tokens === 1 && source.startsWith('...', i)) {
        line.interfaceLike = true;
      }
      wordStart = -1;
      i++;
      line.end = i;
      last = code;
    }
    if (brackets.length > 0) return null;
    // Python 2's `except E, e:` and `raise E, message`.
    if (comma0 && (line.first === 'except' || line.first === 'raise')) return null;
    line.opens = last === 58;
    lines.push(line);
  }
  return lines;
};

/** Clauses of a compound statement: a top-level line that starts one is not a statement of its own. */
const CLAUSES = new Set(['else', 'elif', 'except', 'finally']);

/**
 * Where top-level statements start that a parse may be split at (scan/pieces.ts): logical lines at
 * column 0 that are not a clause of the statement before, nor decorated or opened by the line
 * before, with no comment between that line and this one (tree-sitter may count such a comment into
 * the block above, or not). null when the lexer is unsure of anything in the file.
 */
export const statementStarts = (source: string): number[] | null => {
  const lines = logicalLines(source);
  if (!lines) return null;
  const starts: number[] = [];
  // The first '#' after the line before, searched again only once passed: one scan of the text.
  let hash = source.indexOf('#');
  for (let m = 1; m < lines.length; m++) {
    const line = lines[m];
    const before = lines[m - 1];
    if (line.indent !== 0 || CLAUSES.has(line.first) || before.opens) continue;
    if (source.charCodeAt(before.start) === 64) continue; // '@': a decorator line
    if (hash !== -1 && hash < before.end) hash = source.indexOf('#', before.end);
    if (hash !== -1 && hash < line.start) continue;
    starts.push(line.start);
  }
  return starts;
};

/**
 * Whether the body's lines indent the way CPython accepts: a block after every line that opens
 * one, none elsewhere, dedents back to an enclosing level, and no block left open at the end.
 */
const indentsCleanly = (lines: LogicalLine[], from: number, to: number): boolean => {
  const levels = [lines[from].indent];
  for (let m = from + 1; m < to; m++) {
    const indent = lines[m].indent;
    let top = levels[levels.length - 1];
    if (lines[m - 1].opens) {
      if (indent <= top) return false;
      levels.push(indent);
      continue;
    }
    if (indent > top) return false;
    while (indent < top) {
      levels.pop();
      top = levels[levels.length - 1];
      if (top === undefined) return false;
    }
    if (indent !== top) return false;
  }
  return !lines[to - 1].opens;
};

/** Spaces for every character but line feeds (a carriage return inside the tuple is whitespace too). */
const blank = (text: string) => text.replace(/[^\n]+/g, (run) => ' '.repeat(run.length));

/** `source` with the bodies blanked, or null when nothing is blanked and no hole is left. */
export const elideBodies = (source: string): Elided | null => {
  if (source.length < MIN_BLANK * 4) return null;
  const strings: number[] = [];
  const lines = logicalLines(source, strings);
  if (!lines) return null;
  const parts: string[] = [];
  const ends: number[] = [];
  const holes: number[] = [];
  let copied = 0;
  let nextString = 0;
  /** source[start, end) (whole statements) as one empty tuple, its long strings' holes kept before it. */
  const blankOut = (start: number, end: number) => {
    for (; nextString < strings.length && strings[nextString] < start; nextString += 2)
      holes.push(strings[nextString], strings[nextString + 1]);
    while (nextString < strings.length && strings[nextString] < end) nextString += 2;
    parts.push(source.slice(copied, start), '(', blank(source.slice(start + 1, end - 1)), ')');
    copied = end;
    const lastLine = source.lastIndexOf('\n', end - 1) + 1;
    if (lastLine > start + 1) holes.push(start + 1, lastLine);
  };
  /** Whether lines[from..to) may become one tuple: long enough, cleanly indented, no comment after them when they end a block. */
  const blankable = (from: number, to: number, endsBlock: boolean) => {
    if (from >= to || lines[to - 1].end - lines[from].start < MIN_BLANK || !indentsCleanly(lines, from, to))
      return false;
    // tree-sitter may count a comment after the last token into the block, or not.
    const after = source.slice(lines[to - 1].end, to < lines.length ? lines[to].start : source.length);
    return !(endsBlock && after.includes('#'));
  };
  const holds = (from: number, to: number) => {
    const text = source.slice(lines[from].start, lines[to - 1].end);
    return text.includes('yield') || text.includes('import');
  };
  /**
   * lines[from..to), a block of a body that is queried (it holds a `yield` or an `import`): each run
   * of its statements that holds neither becomes a tuple, and the blocks of the compound statements
   * that hold one are read the same way; so what the structure query sees is the path from the
   * function to each yield and import (the control flow the import's facts name), nothing else.
   */
  const blankWithin = (from: number, to: number) => {
    const level = lines[from].indent;
    let run = from;
    let m = from;
    while (m < to) {
      // One statement: its decorators, its line, its block, its clauses (each with its block).
      let header = m;
      while (header < to - 1 && source.charCodeAt(lines[header].start) === 64) header++; // '@'
      let end = header + 1;
      while (end < to && lines[end].indent > level) end++;
      if (lines[header].opens)
        while (end < to && lines[end].indent === level && CLAUSES.has(lines[end].first)) {
          end++;
          while (end < to && lines[end].indent > level) end++;
        }
      // A match's cases are not statements: a tuple cannot stand among them.
      if (lines[header].first !== 'case' && !holds(m, end)) {
        m = end;
        continue;
      }
      if (blankable(run, m, false)) blankOut(lines[run].start, lines[m - 1].end);
      if (lines[header].opens)
        for (let clause = header; clause < end;) {
          let blockEnd = clause + 1;
          while (blockEnd < end && lines[blockEnd].indent > level) blockEnd++;
          if (blockEnd > clause + 1) blankWithin(clause + 1, blockEnd);
          clause = blockEnd;
        }
      m = end;
      run = m;
    }
    if (blankable(run, to, true)) blankOut(lines[run].start, lines[to - 1].end);
  };
  for (let k = 0; k < lines.length; k++) {
    const header = lines[k];
    const isDef = header.first === 'def' || (header.first === 'async' && header.second === 'def');
    if (!isDef || !header.opens) continue;
    let j = k + 1;
    while (j < lines.length && lines[j].indent > header.indent) j++;
    const from = k + 1;
    // Nested definitions are inside this body: the outer loop goes on after it.
    const next = j;
    k = j - 1;
    if (from >= next || !indentsCleanly(lines, from, next)) continue;
    let head = from;
    while (head < next && lines[head].interfaceLike && !lines[head].opens) head++;
    if (head >= next) continue;
    if (holds(from, next)) {
      blankWithin(head, next);
      continue;
    }
    if (!blankable(head, next, true)) continue;
    blankOut(lines[head].start, lines[next - 1].end);
    ends.push(lines[next - 1].end);
  }
  for (; nextString < strings.length; nextString += 2) holes.push(strings[nextString], strings[nextString + 1]);
  if (holes.length === 0 && parts.length === 0) return null;
  if (parts.length === 0) return { text: source, ends, holes };
  parts.push(source.slice(copied));
  return { text: parts.join(''), ends, holes };
};
