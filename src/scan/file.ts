/** Read, decode and extract one file. Runs in worker threads; never keeps a tree. */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import type { PythonParser, SyntaxNode } from '../parser/adapter.js';
import { contentHash } from './cache.js';
import { decodeSource } from './decode.js';
import { extractFacts } from './extract.js';
import { elideBodies } from './elide.js';
import { CONTAINERS, gatherCaptures } from './gather.js';
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

/** Whether the outermost functions ending at `ends` are all there, as scan/gather.ts walks to them. */
const bodiesEndAt = (root: SyntaxNode, ends: number[]): boolean => {
  const wanted = new Set(ends);
  let found = 0;
  const visit = (node: SyntaxNode) => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      const type = child.type;
      if (type === 'function_definition') {
        if (wanted.has(child.endIndex) && child.childForFieldName('body')?.endIndex === child.endIndex) found++;
      } else if (CONTAINERS.has(type)) visit(child);
    }
  };
  visit(root);
  return found === wanted.size;
};

/** The facts of one file, and with `hash` the content hash of the bytes they came from. */
export const scanFile = (parser: PythonParser, path: string, hash = false): { facts: FileFacts; hash?: string } => {
  const bytes = readSource(path);
  const decoded = decodeSource(bytes);
  const source = decoded.text;
  const elided = elideBodies(source);
  // The blanked text stands for the original only when it parses cleanly with every blanked body where it was.
  const facts =
    (elided &&
      parser.withTree(elided.text, (tree) =>
        !tree.root.hasError && bodiesEndAt(tree.root, elided.ends)
          ? extractFacts(source, gatherCaptures(tree, source))
          : null,
      )) ??
    parser.withTree(source, (tree) => extractFacts(source, gatherCaptures(tree, source)));
  if (facts.errorRanges.length > 0)
    facts.defs = recoverDefinitions(parser, decoded.text, facts.defs, facts.errorRanges);
  return {
    facts: { ...facts, decodeProblem: decoded.problem, encoding: decoded.encoding },
    ...(hash ? { hash: contentHash(bytes) } : {}),
  };
};
