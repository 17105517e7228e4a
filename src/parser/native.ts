/** The native node binding (tree-sitter + tree-sitter-python, ABI 15). */
import { createRequire } from 'node:module';
import type { Capture, ParsedTree, PythonParser, QueryName, QuerySources, SourceRange, SyntaxNode } from './adapter.js';
import { loadNativeCaptures } from './native-captures.js';
import { probeRangeScale, RANGE_PROBE } from './range-units.js';

const require = createRequire(import.meta.url);

interface NativeTree {
  rootNode: SyntaxNode;
}

interface NativeParser {
  setLanguage(language: unknown): void;
  parse(
    input: string,
    oldTree?: unknown,
    options?: { bufferSize?: number; includedRanges?: SourceRange[] },
  ): NativeTree;
}

interface NativeQuery {
  captures(node: SyntaxNode, options?: { startIndex?: number; endIndex?: number }): Capture[];
}

interface NativeModule {
  new (): NativeParser;
  Query: new (language: unknown, source: string) => NativeQuery;
}

/** Exercises every kind of pattern: decorators, classes, predicates, imports, non-ASCII text. */
const CAPTURE_PROBE = [
  'import sys, os.path as p',
  'from . import x',
  '@register(f, key=g)',
  'def f\u00e9(a, cb=g, *, d: int = h) -> "T":',
  '    yield [a, cb]',
  'class C(Base, metaclass=M):',
  '    __slots__ = ("a",)',
  '    handler = f',
  '    def m(self): ...',
  'setattr(C, "x", 1)',
  'C.y = {"k": f}',
  'sys.modules[__name__] = C',
  'T = type("T", (object,), {})',
  'if x:',
  '    pass',
  'elif y:',
  '    pass',
  'else:',
  '    pass',
  'try:',
  '    pass',
  'except E as e:',
  '    pass',
  '',
].join('\n');

/** The binding's captures without its wrapper's costs, when they agree with the public ones here. */
const fastCaptures = (parse: (source: string) => NativeTree, query: NativeQuery) => {
  const fast = loadNativeCaptures();
  if (!fast) return null;
  try {
    const tree = parse(CAPTURE_PROBE);
    const seen = (captures: Capture[]) => captures.map((c) => `${c.name} ${c.node.startIndex} ${c.node.endIndex}`);
    const range = { startIndex: 0, endIndex: CAPTURE_PROBE.length * 2 };
    const same =
      seen(fast.captures(query, tree.rootNode)).join('\n') === seen(query.captures(tree.rootNode)).join('\n') &&
      seen(fast.captures(query, tree.rootNode, range)).join('\n') ===
        seen(query.captures(tree.rootNode, range)).join('\n');
    return same ? fast.captures : null;
  } catch {
    return null;
  }
};

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
  const parse = (source: string, ranges?: SourceRange[]) =>
    parser.parse(source, undefined, {
      bufferSize: Math.max(32 * 1024, source.length * 2 + 16),
      ...(ranges ? { includedRanges: ranges } : {}),
    });
  const fast = fastCaptures(parse, queries.all);
  const probe = new Parser.Query(Python, RANGE_PROBE.query);
  const probeTree = parse(RANGE_PROBE.source);
  const scale = probeRangeScale((startIndex, endIndex) =>
    probe.captures(probeTree.rootNode, { startIndex, endIndex }).map((c) => c.node.text),
  );
  return {
    kind: 'native',
    withTree(source, read, ranges) {
      const tree = parse(source, ranges);
      // Native trees are freed only by GC: the caller must not keep nodes past `read`.
      const parsed: ParsedTree = {
        root: tree.rootNode,
        rangeCaptures: scale !== null,
        captures: (name, node, range) => {
          if (range && !scale) throw new Error('query ranges are not supported by this binding');
          const options = range
            ? { startIndex: range.startIndex * scale!.start, endIndex: range.endIndex * scale!.end }
            : undefined;
          return fast ? fast(queries[name], node, options) : queries[name].captures(node, options);
        },
      };
      return read(parsed);
    },
  };
};
