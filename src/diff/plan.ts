/**
 * The plan `patchkit new --from-diff` renders into a bundle: for every module a unified diff
 * touches, the changes it makes, each with the least invasive mechanism that reproduces it
 * exactly, and every hunk with the mechanisms that carry it. The planner (plan-diff.ts) fills it;
 * the core renderer and the overlay renderer (render-overlay.ts) read it.
 *
 * Order of application at run time for one module: the overlay (its hunks applied to the source
 * before it executes), then the module code (right after the module executed), then the
 * definitions (remove, replace, add).
 */
import { planDiff } from './plan-diff.js';

export type Mechanism = 'replace' | 'add' | 'remove' | 'module-code' | 'overlay' | 'new-file';

/** An enclosing class header, outermost first, with upstream's leading whitespace of its `class` line. */
export interface ContextClass {
  name: string;
  indent: string;
}

export interface DefinitionChange {
  mechanism: 'replace' | 'add' | 'remove';
  module: string;
  qualname: string;
  kind: 'function' | 'method' | 'class';
  async: boolean;
  /** Enclosing classes (empty for module level). */
  classes: ContextClass[];
  /** replace/add: the new definition, decorators included, verbatim lines of the patched file at their indentation, ending with '\n'; null for remove. */
  source: string | null;
  /** replace/remove: the old definition from the installed file (same format); null for add. */
  upstream: string | null;
  /** First line (decorators included) in the patched file; null for remove. */
  line: number | null;
  /** First line in the installed file; null for add. */
  upstreamLine: number | null;
  /** Indices into DiffPlan.hunks. */
  hunks: number[];
  /** Which of the file's definitions with this qualname (0-based): a property's setter has the getter's name. */
  occurrence: number;
  /**
   * Other names in the same scope that code at import binds to this very function (`do_a = do_args`
   * in a class body): a replacement reaches them only in place (`__code__`) or by re-binding them too.
   */
  aliases: string[];
  /**
   * The name it is stored under in its module or class `__dict__`: the qualname's last part, or for
   * a private name in a class its mangled form (`DocTestRunner.__run` is `_DocTestRunner__run`).
   */
  attribute: string;
}

export interface ModuleCodeChange {
  mechanism: 'module-code';
  module: string;
  /** Module-level statements, verbatim at column 0, in patched-file order. */
  source: string;
  hunks: number[];
  /** Names the statements bind. */
  binds: string[];
  /** Names the diff stops binding (a removed import or constant that nothing binds again): deleted from the module's namespace after `source` ran. */
  unbinds: string[];
}

export interface OverlayChange {
  mechanism: 'overlay';
  module: string;
  /** The installed file. */
  path: string;
  /** Why the module needs its source changed before it executes, one sentence per cause, '; '-joined. */
  reason: string;
  hunks: number[];
}

export interface NewFileChange {
  mechanism: 'new-file';
  module: string;
  /** Relative to the site dir, e.g. sglang/srt/new_mod.py. */
  relpath: string;
  source: string;
  hunks: number[];
}

export type Change = DefinitionChange | ModuleCodeChange | OverlayChange | NewFileChange;

export interface PlannedHunk {
  index: number;
  /** Path as in the diff. */
  file: string;
  module: string;
  /** '@@ -a,b +c,d @@ ...' as written. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** With ' ', '-', '+' prefixes. */
  lines: string[];
  mechanisms: Mechanism[];
  /** Where its old lines start in the installed file (1-based; for an insertion without context, the line it goes after): oldStart unless the context moved. */
  appliedOldStart: number;
}

export interface ModulePlan {
  module: string;
  /** The installed file; null for new files. */
  path: string | null;
  changes: Change[];
  /** Imported before site-packages' .pth files run (at interpreter start-up): too late for an overlay. */
  alreadyImported: boolean;
  /**
   * Names the patched module binds by import in its own scope. CPython 3.11+ compiles `os.lstat(x)`
   * with LOAD_ATTR instead of LOAD_METHOD when `os` is such a name, so a definition compiled apart
   * from its module gets the patched file's bytecode only when its compilation unit declares these
   * names imported too (a never-run `if 0: import a, b` before it does). Empty for new files.
   */
  importedNames: string[];
}

export interface DiffPlan {
  modules: ModulePlan[];
  hunks: PlannedHunk[];
  warnings: string[];
}

export interface PlanOptions {
  diff: string;
  python?: string;
  cwd: string;
  strip?: number;
  env?: NodeJS.ProcessEnv;
}

/** Plans a unified diff against the installed sources of `python` (see plan-diff.ts). */
export const planFromDiff: (options: PlanOptions) => Promise<DiffPlan> = planDiff;
