/** The native node binding (tree-sitter + tree-sitter-python, ABI 15). */
import { createRequire } from 'node:module';
import type { Capture, PythonParser, SyntaxNode } from './adapter.js';

const require = createRequire(import.meta.url);

interface NativeParser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree?: unknown, options?: { bufferSize?: number }): { rootNode: SyntaxNode };
}

interface NativeQuery {
  captures(node: SyntaxNode): Capture[];
}

interface NativeModule {
  new (): NativeParser;
  Query: new (language: unknown, source: string) => NativeQuery;
}

export const loadNativeParser = (querySource: string): PythonParser => {
  const Parser = require('tree-sitter') as NativeModule;
  const Python = require('tree-sitter-python') as unknown;
  const parser = new Parser();
  parser.setLanguage(Python);
  const query = new Parser.Query(Python, querySource);
  return {
    kind: 'native',
    withTree(source, read) {
      // bufferSize above the source length avoids the old >32 KiB "Invalid argument" path entirely.
      const tree = parser.parse(source, undefined, { bufferSize: Math.max(32 * 1024, source.length * 2 + 16) });
      // Native trees are freed only by GC: the caller must not keep nodes past `read`.
      return read(tree.rootNode, query.captures(tree.rootNode));
    },
  };
};
