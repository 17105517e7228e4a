/** Facts about an interpreter and where a target's files live. Produced by env/, consumed by scan/ and install. */

export interface InterpreterFacts {
  /** Absolute path of the executable that was asked. */
  executable: string;
  /** "3.11.7" */
  version: string;
  /** [3, 11] */
  versionInfo: [number, number];
  implementation: string;
  prefix: string;
  basePrefix: string;
  /** Set when the interpreter lives in a venv (pyvenv.cfg found). */
  venv: string | null;
  includeSystemSitePackages: boolean;
  /** sys.path as seen with -S (no site-packages, no .pth applied). */
  baseSysPath: string[];
  stdlib: string;
  platstdlib: string;
  /** sysconfig purelib / platlib of the environment (the venv's when in a venv). */
  purelib: string;
  platlib: string;
  /** Site dirs in the order site.py would process them: user site first (when enabled), then the env's. */
  siteDirs: string[];
  userSite: string | null;
  userSiteEnabled: boolean;
  /** e.g. [".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"] */
  extensionSuffixes: string[];
  /** Whether this site.py skips `.pth` files named `.…` (gh-113659: 3.13+, later patch releases); 3.11.7 does not. */
  pthSkipsHidden?: boolean;
}

export type ModuleFileKind = 'source' | 'extension' | 'stub-only';

export interface ModuleFile {
  /** Dotted module name (`sglang.srt.utils`). */
  name: string;
  /** Absolute path of the file to parse: the .py, or the .pyi beside a compiled module, or the .so itself. */
  path: string;
  kind: ModuleFileKind;
  /** For extensions: the .pyi that gives names, when one exists. */
  stub?: string;
}

export interface LocatedTarget {
  /** Name the user asked for (`sglang.srt.model_executor`), or the directory's basename for a path. */
  name: string;
  /** Top-level package name (`sglang`). */
  topLevel: string;
  /** Directory (or file, for a one-file module) the files were found under. */
  root: string;
  /** Every module of the target, sorted by name. */
  files: ModuleFile[];
  /** Search path entries that hold parts of the package (more than one for PEP 420 namespace packages). */
  portions: string[];
  distribution: { name: string; version: string } | null;
  /** How it was found, for diagnostics: "site-packages", "stdlib", "editable (setuptools finder)", "path", … */
  via: string;
  /** Notes about how the target was found, passed on as scan diagnostics (severity info). */
  diagnostics: string[];
}
