/** web-tree-sitter with the grammar's own .wasm: no compiler needed. Trees are freed explicitly. */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Capture, PythonParser, SyntaxNode } from './adapter.js';

const require = createRequire(import.meta.url);

export const loadWasmParser = async (querySource: string): Promise<PythonParser> => {
  const { Parser, Language, Query } = await import('web-tree-sitter');
  await Parser.init();
  const grammar = await readFile(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  const query = new Query(language, querySource);
  return {
    kind: 'wasm',
    withTree(source, read) {
      const tree = parser.parse(source);
      if (!tree) throw new Error('web-tree-sitter returned no tree');
      try {
        const captures = query.captures(tree.rootNode) as unknown as Capture[];
        return read(tree.rootNode as unknown as SyntaxNode, captures);
      } finally {
        tree.delete();
      }
    },
  };
};
