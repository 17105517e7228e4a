/**
 * A large module parsed a piece at a time. A native tree takes about 40 bytes per source character
 * (290 MB for a 7 MB generated module) and is freed only after the collector found it and the
 * event loop turned (N-API runs finalizers then); what glibc gets back it keeps for later native
 * allocations, so the whole tree stayed in the process's resident memory through assembly. So a
 * large module is parsed as included ranges of about a megabyte, each cut where a top-level
 * statement starts (tree-sitter then reads exactly those statements, at the text's own indices and
 * rows), its captures handed to one extractor, the tree collected before the next piece is parsed.
 *
 * The facts are those of one tree: statements of a piece are parsed as in the whole text (the
 * indentation scanner starts each top-level statement with nothing open), captures arrive in
 * document order, and the extractor's frames close at every top-level statement. Any piece with an
 * error, or whose blanked text cannot stand for the original, sends the module back to the whole
 * parse (scan/file.ts), so recovery works on one tree as before.
 */
import { setImmediate } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { PythonParser, SourceRange } from '../parser/adapter.js';
import type { Elided } from './elide.js';
import { statementStarts } from './elide.js';
import { createExtractor, type ExtractedFacts } from './extract.js';
import { emptyFacts } from './facts.js';
import { includedRanges, pointScanner } from './included.js';
import { MIN_BODY, streamCaptures } from './gather.js';

/** Modules shorter than this (in characters) are parsed whole; longer ones in pieces of about half of it. */
export const PIECED_FROM = 2 * 1024 * 1024;

/** The module cut into ranges of about `piece` characters at statement starts, or null (one piece, or the lexer unsure). */
export const pieceRanges = (source: string, piece: number): SourceRange[] | null => {
  const starts = statementStarts(source);
  if (!starts) return null;
  const cuts = [0];
  for (const start of starts) if (start - cuts[cuts.length - 1] >= piece) cuts.push(start);
  if (source.length - cuts[cuts.length - 1] < piece / 4 && cuts.length > 1) cuts.pop(); // no small tail
  if (cuts.length < 2) return null;
  cuts.push(source.length);
  const ranges: SourceRange[] = [];
  const point = pointScanner(source);
  let startPosition = point(0);
  for (let k = 1; k < cuts.length; k++) {
    const endPosition = point(cuts[k]);
    ranges.push({ startIndex: cuts[k - 1], endIndex: cuts[k], startPosition, endPosition });
    startPosition = endPosition;
  }
  return ranges;
};

let collector: (() => void) | null | undefined;

/**
 * V8's collector, when it can be had: `--expose-gc` set now makes `gc` a global of contexts made
 * after it, and this is the only one patchkit makes. Without it a piece's tree waits for the
 * collector's own time, as a whole module's did.
 */
const collect = () => {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collector = null;
    }
  }
  collector?.();
};

const truncate = (facts: ExtractedFacts, mark: number[]) => {
  facts.defs.length = mark[0];
  facts.imports.length = mark[1];
  facts.references.length = mark[2];
  facts.dynamic.length = mark[3];
  facts.errorLines.length = mark[4];
  facts.errorRanges.length = mark[5];
};

/**
 * The facts of one parse in pieces, of the blanked text when `elided` is given, else of the source;
 * null when a piece has an error or is unusable.
 */
const parsePieces = async (
  parser: PythonParser,
  source: string,
  elided: Elided | null,
  ranges: SourceRange[],
): Promise<ExtractedFacts | null> => {
  const facts = emptyFacts();
  const text = elided?.text ?? source;
  for (const range of ranges) {
    const blanked = elided?.ends.filter((end) => end > range.startIndex && end <= range.endIndex);
    const usable = parser.withTree(
      text,
      (tree) => {
        if (tree.root.hasError) return false;
        const mark = [
          facts.defs.length,
          facts.imports.length,
          facts.references.length,
          facts.dynamic.length,
          facts.errorLines.length,
          facts.errorRanges.length,
        ];
        // A fresh extractor each time streamCaptures starts over, the piece's facts so far dropped.
        const open = () => {
          truncate(facts, mark);
          return createExtractor(source, facts);
        };
        return streamCaptures(tree, source, open, MIN_BODY, blanked) !== 'unusable';
      },
      elided ? includedRanges(text, elided.holes, range) : [range],
    );
    // web-tree-sitter's trees are deleted as withTree returns; a native one waits for the collector.
    if (parser.kind === 'native') {
      collect();
      await setImmediate();
    }
    if (!usable) return null;
  }
  return facts;
};

/**
 * The module's facts from its pieces: of the blanked text when every piece of it is usable, else
 * of the source; null when a piece of the source has an error (scan/file.ts then parses it whole).
 */
export const extractInPieces = async (
  parser: PythonParser,
  source: string,
  elided: Elided | null,
  ranges: SourceRange[],
): Promise<ExtractedFacts | null> =>
  (elided && (await parsePieces(parser, source, elided, ranges))) ?? (await parsePieces(parser, source, null, ranges));
