/**
 * What the parser reads of a text: a stretch of it (a piece, scan/pieces.ts) or all of it, less the
 * holes scan/elide.ts left in its blanked bodies. The spaces of a blanked body still cost the
 * parser a step per character (about a sixth of a blanked parse); text between two included ranges
 * costs nothing, and the tree's indices and rows stay the text's.
 */
import type { Point, SourceRange } from '../parser/adapter.js';

/**
 * Row and column (string indices, as the bindings take them) of indices asked for in increasing
 * order from `from`, whose point is `at`: one scan of the text, forward only.
 */
export const pointScanner = (text: string, from = 0, at: Point = { row: 0, column: 0 }) => {
  let row = at.row;
  let lineStart = from - at.column;
  let scanned = from;
  return (index: number): Point => {
    for (let nl = text.indexOf('\n', scanned); nl >= 0 && nl < index; nl = text.indexOf('\n', nl + 1)) {
      row++;
      lineStart = nl + 1;
    }
    scanned = index;
    return { row, column: index - lineStart };
  };
};

/**
 * The ranges of `within` (the whole text when absent) outside `holes` (flat [start, end) pairs in
 * order, none crossing an end of `within`); undefined for the whole text without a hole.
 *
 * Columns are counted in string indices. A hole starts after the `(` that follows a body's
 * indentation and ends at the start of a line (scan/elide.ts), so the column where the parser
 * resumes is 0 and the one where it stops counts only ASCII: the same in every unit a binding may take.
 */
export const includedRanges = (text: string, holes: number[], within?: SourceRange): SourceRange[] | undefined => {
  const from = within?.startIndex ?? 0;
  const to = within?.endIndex ?? text.length;
  let first = 0;
  while (first < holes.length && holes[first] < from) first += 2;
  if (first >= holes.length || holes[first] >= to) return within && [within];
  const point = pointScanner(text, from, within?.startPosition);
  const ranges: SourceRange[] = [];
  let start = from;
  let startPosition = within?.startPosition ?? point(from);
  for (let k = first; k < holes.length && holes[k] < to; k += 2) {
    ranges.push({ startIndex: start, endIndex: holes[k], startPosition, endPosition: point(holes[k]) });
    start = holes[k + 1];
    startPosition = point(start);
  }
  ranges.push({ startIndex: start, endIndex: to, startPosition, endPosition: within?.endPosition ?? point(to) });
  return ranges;
};
