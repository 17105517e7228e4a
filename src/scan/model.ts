/**
 * The public model of a scan: what `patchkit scan --json` prints (schemaVersion 1) and what
 * `new`, `pick` and `check` consume. Documented in docs/scan-json.md; changes here are breaking.
 */

export type SymbolKind = 'class' | 'function' | 'method' | 'classmethod' | 'staticmethod' | 'property';

export interface Decorator {
  /** The decorator expression as written, without the `@`. */
  text: string;
  /** Dotted path resolved through the module's imports (`functools.lru_cache`), or null when unknown. */
  path: string | null;
  line: number;
}

export type HazardCode =
  | 'captured-by-value'
  | 'registration-decorator'
  | 'wrapping-decorator'
  | 'compiled-decorator'
  | 'descriptor'
  | 'decorated'
  | 'compiled-fallback'
  | 'dynamic-class'
  | 'lazy-module'
  | 'interface-only'
  | 'overloaded'
  | 'singledispatch'
  | 'type-checking-only'
  | 'slots'
  | 'low-confidence';

export interface Hazard {
  code: HazardCode;
  /** One line, for humans. */
  message: string;
  /** 1-based lines in this module (or `module:line` strings for other modules) that the hazard points at. */
  at?: string[];
}

export interface BindingSite {
  /** The module that holds its own reference (`from <defining module> import <name>`). */
  module: string;
  /** The name it is bound under in that module. */
  name: string;
  line: number;
  /** True when the import runs inside a function body (bound at call time: a patch reaches it). */
  lazy: boolean;
  /** Re-export chain from the consumer back to the defining module, when not direct. */
  via?: string[];
}

export interface SentinelCandidate {
  module: string;
  reason: string;
}

export interface ScanSymbol {
  qualname: string;
  kind: SymbolKind;
  /** 1-based line of the `def`/`class` keyword (`async` for async defs), as CPython's ast reports it. */
  line: number;
  endLine: number;
  async: boolean;
  generator: boolean;
  decorators: Decorator[];
  /** `(a, b=1) -> int` for functions; `(Base, metaclass=M)` or `` for classes. */
  signature: string;
  /** Enclosing control flow from the outside in, e.g. ["try"], ["except ImportError"], ["else of if TYPE_CHECKING"]. */
  branch: string[];
  /** False for definitions that only exist for type checkers (`if TYPE_CHECKING:` body). */
  runtime: boolean;
  /** Lines of `@overload` stubs attached to this implementation. */
  overloads?: number[];
  /** A stable hash of the definition's source text (decorators included), for drift checks. */
  fingerprint: string;
  hazards: Hazard[];
  bindingSites: BindingSite[];
  sentinels: SentinelCandidate[];
}

export type ModuleKind = 'source' | 'extension' | 'stub-only';

export interface ImportEdge {
  module: string;
  line: number;
  /** Import inside a function body: runs at call time. */
  lazy: boolean;
  /** Imported module is part of the scanned package. */
  internal: boolean;
}

export interface ScanModule {
  name: string;
  path: string;
  kind: ModuleKind;
  /** Set when the file has syntax errors or could not be decoded: symbols were recovered best-effort. */
  lowConfidence?: boolean;
  /** Module-level hazards (lazy `__getattr__`, `sys.modules` swaps). */
  hazards: Hazard[];
  imports: ImportEdge[];
  symbols: ScanSymbol[];
}

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  path?: string;
  line?: number;
  message: string;
}

export interface PackageInfo {
  name: string;
  root: string;
  version: string | null;
  /** The distribution (dist-info) that owns the package, when one was found. */
  distribution: string | null;
}

export interface ScanResult {
  schemaVersion: 1;
  package: PackageInfo;
  interpreter: { executable: string; version: string } | null;
  modules: ScanModule[];
  /** Package-wide sentinel candidates, best first. */
  sentinels: SentinelCandidate[];
  diagnostics: Diagnostic[];
}
