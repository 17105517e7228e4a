/** Read, decode and extract one file. Runs in worker threads; never keeps a tree. */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import type { PythonParser } from '../parser/adapter.js';
import { contentHash } from './cache.js';
import { decodeSource } from './decode.js';
import { extractFacts } from './extract.js';
import { elideBodies } from './elide.js';
import { gatherCaptures, MIN_BODY } from './gather.js';
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

/** The facts of one file, and with `hash` the content hash of the bytes they came from. */
export const scanFile = (parser: PythonParser, path: string, hash = false): { facts: FileFacts; hash?: string } => {
  const bytes = readSource(path);
  const decoded = decodeSource(bytes);
  const source = decoded.text;
  const elided = elideBodies(source);
  // The blanked text stands for the original only when it parses cleanly, each blanked body where it was.
  const facts =
    (elided &&
      parser.withTree(elided.text, (tree) => {
        const captures = gatherCaptures(tree, source, MIN_BODY, elided.ends);
        return captures && extractFacts(source, captures);
      })) ??
    parser.withTree(source, (tree) => extractFacts(source, gatherCaptures(tree, source)));
  if (facts.errorRanges.length > 0)
    facts.defs = recoverDefinitions(parser, decoded.text, facts.defs, facts.errorRanges);
  return {
    facts: { ...facts, decodeProblem: decoded.problem, encoding: decoded.encoding },
    ...(hash ? { hash: contentHash(bytes) } : {}),
  };
};
