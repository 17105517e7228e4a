/** The native node binding (tree-sitter + tree-sitter-python, ABI 15). */
import { createRequire } from 'node:module';
import type { Capture, ParsedTree, PythonParser, QueryName, QuerySources, SyntaxNode } from './adapter.js';
import { probeRangeScale, RANGE_PROBE } from './range-units.js';

const require = createRequire(import.meta.url);

interface NativeTree {
  rootNode: SyntaxNode;
}

interface NativeParser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree?: unknown, options?: { bufferSize?: number }): NativeTree;
}

interface NativeQuery {
  captures(node: SyntaxNode, options?: { startIndex?: number; endIndex?: number }): Capture[];
}

interface NativeModule {
  new (): NativeParser;
  Query: new (language: unknown, source: string) => NativeQuery;
}

export const loadNativeParser = (sources: QuerySources): PythonParser => {
  const Parser = require('tree-sitter') as NativeModule;
  const Python = require('tree-sitter-python') as unknown;
  const parser = new Parser();
  parser.setLanguage(Python);
  const queries: Record<QueryName, NativeQuery> = {
    all: new Parser.Query(Python, sources.all),
    structure: new Parser.Query(Python, sources.structure),
  };
  // bufferSize above the source length avoids the old >32 KiB "Invalid argument" path entirely.
  const parse = (source: string) =>
    parser.parse(source, undefined, { bufferSize: Math.max(32 * 1024, source.length * 2 + 16) });
  const probe = new Parser.Query(Python, RANGE_PROBE.query);
  const probeTree = parse(RANGE_PROBE.source);
  const scale = probeRangeScale((startIndex, endIndex) =>
    probe.captures(probeTree.rootNode, { startIndex, endIndex }).map((c) => c.node.text),
  );
  return {
    kind: 'native',
    withTree(source, read) {
      const tree = parse(source);
      // Native trees are freed only by GC: the caller must not keep nodes past `read`.
      const parsed: ParsedTree = {
        root: tree.rootNode,
        rangeCaptures: scale !== null,
        captures: (name, node, range) => {
          if (!range) return queries[name].captures(node);
          if (!scale) throw new Error('query ranges are not supported by this binding');
          return queries[name].captures(node, {
            startIndex: range.startIndex * scale.start,
            endIndex: range.endIndex * scale.end,
          });
        },
      };
      return read(parsed);
    },
  };
};
