/**
 * What a binding's query range options count in. Node tree-sitter 0.25.1 takes `endIndex` in
 * string indices (it doubles it into UTF-16 bytes) but passes `startIndex` on as bytes; a fixed
 * release, or web-tree-sitter, may differ. So each binding is asked once, on a line with a non-ASCII
 * character before the range, and the scale that selects exactly the expected node is kept.
 */
const PROBE_SOURCE = '\u00e9 = a\nb = c\n';
/** `b` alone: string indices 6..7. */
const PROBE_RANGE = { startIndex: 6, endIndex: 7 };

export interface RangeScale {
  start: number;
  end: number;
}

/** `texts(start, end)`: the texts of `(identifier)` captures in the probe for raw option values. */
export const probeRangeScale = (texts: (startIndex: number, endIndex: number) => string[]): RangeScale | null => {
  for (const start of [1, 2]) {
    for (const end of [1, 2]) {
      let found: string[] = [];
      try {
        found = texts(PROBE_RANGE.startIndex * start, PROBE_RANGE.endIndex * end);
      } catch {
        // a binding that checks start <= end refuses the wrong scales outright
      }
      if (found.length === 1 && found[0] === 'b') return { start, end };
    }
  }
  return null;
};

export const RANGE_PROBE = { source: PROBE_SOURCE, query: '(identifier) @id' };
