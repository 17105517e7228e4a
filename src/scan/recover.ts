/**
 * Recovery for files with syntax errors. One bad line can wrap the rest of a module in a single
 * ERROR node (tree-sitter-python #256: a bracketed continuation dedented below its block): methods
 * there lose their class, classes are lost, code inside strings looks like code. Column-0
 * `def`/`class`/decorator lines outside strings start independent module-level statements, so
 * each such chunk that overlaps an ERROR range is parsed again on its own (line numbers kept by
 * padding), and its definitions replace what the broken parse reported on the chunk's lines.
 */
import type { PythonParser } from '../parser/adapter.js';
import { extractFacts } from './extract.js';
import type { RawDef } from './facts.js';

const TOP_LEVEL = /^(?:@|def\s|async\s+def\s|class\s)/;

/** For each line (0-based), whether it starts inside a string literal: a light tokenizer pass. */
export const linesInsideStrings = (source: string): boolean[] => {
  const inside: boolean[] = [false];
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\n') {
      if (quote && quote.length === 1) quote = null; // unterminated single-quoted string ends at the line
      inside.push(quote !== null);
      continue;
    }
    if (quote) {
      if (ch === '\\') i++;
      else if (source.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
    } else if (ch === '#') {
      const end = source.indexOf('\n', i);
      i = (end < 0 ? source.length : end) - 1;
    } else if (ch === '"' || ch === "'") {
      quote = source.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i += quote.length - 1;
    }
  }
  return inside;
};

export const recoverDefinitions = (
  parser: PythonParser,
  source: string,
  found: RawDef[],
  errors: [number, number][],
): RawDef[] => {
  const lines = source.split('\n');
  const inString = linesInsideStrings(source);
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (inString[i] || !TOP_LEVEL.test(lines[i])) continue;
    if (i > 0 && lines[i - 1].startsWith('@') && !inString[i - 1]) continue; // same decorated statement
    starts.push(i);
  }
  // Chunks and error ranges are both sorted and disjoint: one pass over each. Each chunk is parsed
  // alone and its lines shifted afterwards; padding it with `from` newlines (as this once did) made
  // a large module with many broken chunks quadratic.
  const replaced: [number, number][] = [];
  const recovered: RawDef[] = [];
  let e = 0;
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k];
    const to = k + 1 < starts.length ? starts[k + 1] : lines.length;
    // Lines are 1-based in facts: the chunk covers lines from+1 .. to.
    while (e < errors.length && errors[e][1] < from + 1) e++;
    if (e >= errors.length || errors[e][0] > to) continue;
    const chunk = lines.slice(from, to).join('\n');
    const facts = parser.withTree(chunk, (tree) => extractFacts(chunk, tree.captures('all', tree.root)));
    for (const def of facts.defs) recovered.push(shiftLines(def, from));
    replaced.push([from, to]);
  }
  if (replaced.length === 0) return found;
  const kept = found.filter((d) => !insideAny(replaced, d.line));
  return [...kept, ...recovered].sort((a, b) => a.line - b.line);
};

const shiftLines = (def: RawDef, by: number): RawDef => ({
  ...def,
  line: def.line + by,
  endLine: def.endLine + by,
  decorators: def.decorators.map((d) => ({ ...d, line: d.line + by })),
});

/** Whether `line` lies in one of the sorted, disjoint ranges (from, to]: a binary search. */
const insideAny = (ranges: [number, number][], line: number): boolean => {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ranges[mid][0] < line) lo = mid;
    else hi = mid - 1;
  }
  return ranges[lo][0] < line && line <= ranges[lo][1];
};
