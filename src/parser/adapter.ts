/**
 * One small seam over the two tree-sitter bindings. The native binding is faster but needs a
 * compiler when its prebuild does not load (GLIBCXX_3.4.31 on Debian 12); web-tree-sitter runs the
 * grammar's .wasm anywhere. The scanner only sees this interface, so both yield the same facts.
 */
export interface Point {
  row: number;
  column: number;
}

/** The subset of a tree-sitter node that patchkit reads; both bindings implement it. */
export interface SyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly text: string;
  readonly hasError: boolean;
  readonly namedChildren: (SyntaxNode | null)[];
  readonly childCount: number;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  /** A cursor over this node's subtree: walking it makes no node objects (scan/gather.ts). */
  walk(): TreeCursor;
}

/**
 * The subset of a tree-sitter cursor that patchkit reads. Its indices are string indices, like a
 * node's; `currentNode` makes one node object. web-tree-sitter's must be deleted (`delete`).
 */
export interface TreeCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  /** null or undefined (by binding) for a child that has no field name. */
  readonly currentFieldName: string | null | undefined;
  readonly currentNode: SyntaxNode;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete?(): void;
}

export interface Capture {
  name: string;
  node: SyntaxNode;
}

export type ParserKind = 'native' | 'wasm';

/**
 * The two compiled queries: `all` is every grammars/*.scm file, `structure` only structure.scm
 * (definitions, scopes, control flow, imports, errors), for the function bodies where nothing
 * else is kept (scan/gather.ts).
 */
export type QueryName = 'all' | 'structure';

export interface QuerySources {
  all: string;
  structure: string;
}

/** String indices (UTF-16 code units, as `startIndex`), end exclusive. */
export interface IndexRange {
  startIndex: number;
  endIndex: number;
}

export interface ParsedTree {
  readonly root: SyntaxNode;
  /** Whether `captures` takes a range (checked once per binding: scan/gather.ts falls back without). */
  readonly rangeCaptures: boolean;
  /**
   * The query's captures in `node`'s subtree, in document order; with a range (never ending at 0,
   * which tree-sitter reads as "to the end"), only captures of nodes that intersect it, from every
   * match whose root node intersects it.
   */
  captures(query: QueryName, node: SyntaxNode, range?: IndexRange): Capture[];
}

/**
 * A stretch of the source to parse (tree-sitter's included range): the tree's indices and rows stay
 * the whole text's, and the text between two ranges is never read.
 */
export interface SourceRange extends IndexRange {
  startPosition: Point;
  endPosition: Point;
}

export interface PythonParser {
  readonly kind: ParserKind;
  /**
   * Parses (only `ranges` of the source, in order and apart, when given), hands the tree to `read`,
   * then frees it (the native binding: drops it for the collector): `read` must not keep nodes.
   */
  withTree<T>(source: string, read: (tree: ParsedTree) => T, ranges?: SourceRange[]): T;
}

/** `auto` tries native first, and falls back to wasm when the native addon cannot load. */
export const loadParser = async (kind: ParserKind | 'auto', queries: QuerySources): Promise<PythonParser> => {
  if (kind !== 'wasm') {
    try {
      const { loadNativeParser } = await import('./native.js');
      return loadNativeParser(queries);
    } catch (error) {
      if (kind === 'native') throw error;
    }
  }
  const { loadWasmParser } = await import('./wasm.js');
  return loadWasmParser(queries);
};
