/**
 * patchkit.json: the manifest written beside every generated bundle and installed with it.
 * `install`, `list`, `verify`, `check` and `build` read it; the runtime embeds the parts it needs.
 */
import type { SymbolKind } from '../scan/model.js';

export const MANIFEST_FILE = 'patchkit.json';

export type BodyStyle = 'passthrough' | 'trace';

export interface ManifestTarget {
  module: string;
  qualname: string;
  kind: SymbolKind;
  async: boolean;
  generator: boolean;
  signature: string;
  /** scan's fingerprint of the definition's source when the bundle was generated. */
  fingerprint: string;
  /** The module whose import triggers applying this target. */
  sentinel: string;
  line: number;
  /** Added: first line of the definition with its decorators (1-based), and its last line. */
  startLine: number;
  endLine: number;
  /**
   * Added: the runtime's drift fingerprint — sha256 (16 hex) of lines startLine..endLine of the module
   * file, CR/CRLF normalised to LF, trailing [ \t\f\v] stripped per line, joined with LF. The runtime
   * recomputes it at apply time from `__code__.co_firstlineno` (see templates/patch_core.py).
   */
  sourceHash: string;
  /** Added: `from module import qualname [as name]` sites re-pointed at the wrapper (module-level functions). */
  bindingSites: { module: string; name: string }[];
}

export interface BundleManifest {
  schemaVersion: 1;
  name: string;
  patchkitVersion: string;
  body: BodyStyle;
  /** Top-level import name of the patched package (`sglang`). */
  package: string;
  /** The distribution that owned the package at generation time. */
  distribution: { name: string; version: string | null } | null;
  sentinels: string[];
  targets: ManifestTarget[];
  /** Bundle files, relative to the bundle directory, that are installed into site-packages. */
  files: string[];
}

/**
 * File names of a bundle named `name`, in install order: the modules first (the injector module, which
 * the `.pth` imports, last of them), the start-up hooks last.
 */
export const bundleFileNames = (name: string) => ({
  loader: `${name}_patch_loader.py`,
  core: `${name}_patch_core.py`,
  injector: `${name}_patch_injector.py`,
  pth: `${name}_patch_injector.pth`,
  start: `${name}_patch_injector.start`,
});

/**
 * What a start through the `.pth` needs in site-packages, modules before the hook that imports them:
 * for the tests that copy a bundle in by hand instead of running `patchkit install`.
 */
export const pthRuntimeFiles = (f: ReturnType<typeof bundleFileNames>) => [f.loader, f.core, f.injector, f.pth];

/** Added: files of a bundle directory that are not installed. */
export const bundleExtraFileNames = (name: string) => ({
  test: `test_${name}_patch.py`,
  readme: 'README.md',
  manifest: MANIFEST_FILE,
});
