/** Read, decode and extract one file. Runs in worker threads; never keeps a tree. */
import { readFileSync } from 'node:fs';
import type { PythonParser } from '../parser/adapter.js';
import { decodeSource } from './decode.js';
import { extractFacts } from './extract.js';
import type { FileFacts } from './facts.js';
import { recoverDefinitions } from './recover.js';

export const scanFile = (parser: PythonParser, path: string): FileFacts => {
  const decoded = decodeSource(readFileSync(path));
  const facts = parser.withTree(decoded.text, (_root, captures) => extractFacts(decoded.text, captures));
  if (facts.errorRanges.length > 0)
    facts.defs = recoverDefinitions(parser, decoded.text, facts.defs, facts.errorRanges);
  return { ...facts, decodeProblem: decoded.problem, encoding: decoded.encoding };
};
