/**
 * What one file yields, independent of the package it is scanned as (relative imports stay
 * relative, decorators unresolved), so that it can be cached by path, size and mtime and
 * computed in a worker thread. scan/package.ts turns these into the public model.
 */

/** One step of control flow around a definition, outside-in: `{ kind: 'if', text: 'TYPE_CHECKING' }`. */
export interface BranchStep {
  kind: 'if' | 'elif' | 'else' | 'try' | 'except' | 'try-else' | 'finally' | 'with' | 'loop' | 'loop-else' | 'case';
  /** Condition of an if/elif (also of the `if` an `else` belongs to), exception types of an except. */
  text?: string;
}

export interface RawDecorator {
  text: string;
  line: number;
}

export interface RawDef {
  name: string;
  /** Dotted path through enclosing classes: `Outer.Inner.method`. */
  qualname: string;
  isClass: boolean;
  /** Directly in a class body (possibly under control flow). */
  inClass: boolean;
  line: number;
  endLine: number;
  async: boolean;
  generator: boolean;
  decorators: RawDecorator[];
  /** Parameters and return annotation as written, whitespace collapsed; bases for classes. */
  signature: string;
  /** Control flow between the enclosing class (or module) and this definition. */
  branch: BranchStep[];
  /** Control flow around the enclosing classes, for runtime (TYPE_CHECKING) decisions. */
  outerBranch: BranchStep[];
  /** Body is only a docstring, `...` or `pass`. */
  interfaceOnly: boolean;
  fingerprint: string;
  /** Names the def's body `yield`s or awaits: not needed; kept small on purpose. */
}

export interface RawImportName {
  name: string;
  asname: string | null;
}

export interface RawImport {
  kind: 'import' | 'from' | 'future';
  /** `import a.b as c` → module 'a.b'; `from ..x import y` → module 'x', level 2. */
  module: string;
  level: number;
  names: RawImportName[];
  wildcard: boolean;
  line: number;
  /** Inside a function body: runs at call time. */
  lazy: boolean;
  /** Under `if TYPE_CHECKING:` (or a name that may alias it): not a runtime edge. */
  condition: BranchStep[];
  /** Enclosing class qualname when the import sits in a class body. */
  inClass: boolean;
}

export interface RawReference {
  name: string;
  line: number;
  context: 'argument' | 'container' | 'assignment' | 'default';
  /** Qualname of the class whose body holds it, '' at module level. */
  scope: string;
}

export interface RawDynamic {
  kind: 'setattr' | 'exec' | 'type' | 'globals' | 'attribute' | 'sys.modules' | 'slots';
  /** The object name for setattr/attribute assignments; the class qualname for __slots__. */
  name: string;
  line: number;
}

export interface FileFacts {
  defs: RawDef[];
  imports: RawImport[];
  references: RawReference[];
  dynamic: RawDynamic[];
  /** Syntax errors: the lines of the first few ERROR nodes. */
  errorLines: number[];
  /** First and last line of every outermost ERROR node (definitions there are recovered by re-parsing). */
  errorRanges: [number, number][];
  /** Set when decoding needed a fallback or the file holds NUL bytes. */
  decodeProblem: string | null;
  encoding: string;
}

/** Facts of a file with nothing in it (also what an unreadable file contributes). */
export const emptyFacts = (): FileFacts => ({
  defs: [],
  imports: [],
  references: [],
  dynamic: [],
  errorLines: [],
  errorRanges: [],
  decodeProblem: null,
  encoding: 'utf-8',
});
