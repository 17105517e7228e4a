/** Read, decode and extract one file. Runs in worker threads; never keeps a tree. */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import type { ParsedTree, PythonParser } from '../parser/adapter.js';
import { contentHash } from './cache.js';
import { decodeSource } from './decode.js';
import { createExtractor, extractFacts, type ExtractedFacts } from './extract.js';
import { elideBodies } from './elide.js';
import { includedRanges } from './included.js';
import { blankedTreeCaptures, MIN_BODY, streamCaptures } from './gather.js';
import { extractInPieces, PIECED_FROM, pieceRanges } from './pieces.js';
import type { FileFacts } from './facts.js';
import { recoverDefinitions } from './recover.js';

/**
 * The bytes of a regular file, refusing anything else before reading: opening a FIFO named x.py
 * waits for a writer forever (O_NONBLOCK makes the open return at once), and a link to /dev/zero
 * never reaches end of file.
 */
export const readSource = (path: string): Buffer => {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new Error('is a directory, not a source file');
    if (!info.isFile()) throw new Error('not a regular file (a FIFO, socket or device): not read');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
};

/**
 * The facts of one file, and with `hash` the content hash of the bytes they came from. `piecedFrom`:
 * the length from which a module is parsed in pieces (scan/pieces.ts; tests lower it).
 */
export const scanFile = async (
  parser: PythonParser,
  path: string,
  hash = false,
  piecedFrom = PIECED_FROM,
): Promise<{ facts: FileFacts; hash?: string }> => {
  const bytes = readSource(path);
  const decoded = decodeSource(bytes);
  const source = decoded.text;
  const elided = elideBodies(source);
  const extract = (tree: ParsedTree, blanked?: number[]): ExtractedFacts | null => {
    let extractor = createExtractor(source);
    const open = () => (extractor = createExtractor(source));
    return streamCaptures(tree, source, open, MIN_BODY, blanked) === 'unusable' ? null : extractor.facts;
  };
  const ranges = source.length >= piecedFrom ? pieceRanges(source, Math.max(1, piecedFrom >> 1)) : null;
  // The blanked text stands for the original only when it parses cleanly, each blanked body where it was.
  const facts =
    (ranges && (await extractInPieces(parser, source, elided, ranges))) ??
    (elided &&
      parser.withTree(
        elided.text,
        (tree) => {
          const captures = blankedTreeCaptures(tree, elided.ends);
          return captures && extractFacts(source, captures);
        },
        includedRanges(elided.text, elided.holes),
      )) ??
    parser.withTree(source, (tree) => extract(tree)!);
  if (facts.errorRanges.length > 0)
    facts.defs = recoverDefinitions(parser, decoded.text, facts.defs, facts.errorRanges);
  return {
    facts: { ...facts, decodeProblem: decoded.problem, encoding: decoded.encoding },
    ...(hash ? { hash: contentHash(bytes) } : {}),
  };
};

/** One file's facts, or why it has none. `hash`: of the bytes the facts came from, when asked for. */
export type FileResult = { path: string; facts: FileFacts; hash?: string } | { path: string; error: string };

/** Each file in turn: one file's failure is that file's result, never the batch's. */
export const scanFiles = async (parser: PythonParser, paths: string[], hash: boolean): Promise<FileResult[]> => {
  const results: FileResult[] = [];
  for (const path of paths) {
    try {
      results.push({ path, ...(await scanFile(parser, path, hash)) });
    } catch (error) {
      results.push({ path, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
};
