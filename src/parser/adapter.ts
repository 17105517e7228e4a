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
  childForFieldName(name: string): SyntaxNode | null;
}

export interface Capture {
  name: string;
  node: SyntaxNode;
}

export type ParserKind = 'native' | 'wasm';

export interface PythonParser {
  readonly kind: ParserKind;
  /** Parses, hands the root and the query's captures to `read`, then frees the tree at once. */
  withTree<T>(source: string, read: (root: SyntaxNode, captures: Capture[]) => T): T;
}

/** `auto` tries native first, and falls back to wasm when the native addon cannot load. */
export const loadParser = async (kind: ParserKind | 'auto', querySource: string): Promise<PythonParser> => {
  if (kind !== 'wasm') {
    try {
      const { loadNativeParser } = await import('./native.js');
      return loadNativeParser(querySource);
    } catch (error) {
      if (kind === 'native') throw error;
    }
  }
  const { loadWasmParser } = await import('./wasm.js');
  return loadWasmParser(querySource);
};
