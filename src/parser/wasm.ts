/** web-tree-sitter with the grammar's own .wasm: no compiler needed. Trees are freed explicitly. */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Capture, ParsedTree, PythonParser, QueryName, QuerySources, SyntaxNode } from './adapter.js';
import { probeRangeScale, RANGE_PROBE } from './range-units.js';

const require = createRequire(import.meta.url);

export const loadWasmParser = async (sources: QuerySources): Promise<PythonParser> => {
  const { Parser, Language, Query } = await import('web-tree-sitter');
  type WasmNode = Parameters<InstanceType<typeof Query>['captures']>[0];
  await Parser.init();
  const grammar = await readFile(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  const queries: Record<QueryName, InstanceType<typeof Query>> = {
    all: new Query(language, sources.all),
    structure: new Query(language, sources.structure),
  };
  const probe = new Query(language, RANGE_PROBE.query);
  const probeTree = parser.parse(RANGE_PROBE.source);
  const scale = probeTree
    ? probeRangeScale((startIndex, endIndex) =>
        probe.captures(probeTree.rootNode, { startIndex, endIndex }).map((c) => c.node.text),
      )
    : null;
  probeTree?.delete();
  probe.delete();
  return {
    kind: 'wasm',
    withTree(source, read, ranges) {
      const tree = parser.parse(source, null, ranges ? { includedRanges: ranges } : undefined);
      if (!tree) throw new Error('web-tree-sitter returned no tree');
      try {
        const parsed: ParsedTree = {
          root: tree.rootNode as unknown as SyntaxNode,
          rangeCaptures: scale !== null,
          captures: (name, node, range) => {
            if (range && !scale) throw new Error('query ranges are not supported by this binding');
            const options = range
              ? { startIndex: range.startIndex * scale!.start, endIndex: range.endIndex * scale!.end }
              : {};
            return queries[name].captures(node as unknown as WasmNode, options) as unknown as Capture[];
          },
        };
        return read(parsed);
      } finally {
        tree.delete();
      }
    },
  };
};
