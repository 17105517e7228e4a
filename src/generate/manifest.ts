/**
 * patchkit.json: the manifest written beside every generated bundle and installed with it.
 * `install`, `list`, `verify`, `check` and `build` read it; the runtime embeds the parts it needs.
 */
import type { SymbolKind } from '../scan/model.js';

export const MANIFEST_FILE = 'patchkit.json';

/** What `new --body` writes for each target: a wrapper (`passthrough`, `trace`) or the target's own source (`replace`). */
export type BodyStyle = 'passthrough' | 'trace' | 'replace';

/** How a target is patched (the first item of its entry in the core's TARGETS). */
export type PatchHow = 'wrap' | 'replace' | 'add' | 'remove' | 'module-code' | 'overlay' | 'new-module';

/** How a replacement reaches the process: the original function's code swapped in place, or a new object. */
export type ReplaceMode = 'code' | 'object';

/** What the sentinel's import does when a target cannot be applied (see templates/patch_loader.py). */
export type Policy = 'warn' | 'skip' | 'require';

/** Where a definition of a block stands: its enclosing classes, outermost first, with upstream's indentation. */
export interface ContextClass {
  name: string;
  indent: string;
}

/**
 * One hunk of the source diff a bundle was made from, as the overlay applies it: its old lines start
 * at `oldStart` of the installed file (where the diff's context was found), `lines` carry their
 * ' ', '-', '+' prefix. `index` is the hunk's place in that diff, for messages.
 */
export interface ManifestHunk {
  index: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface ManifestTarget {
  module: string;
  qualname: string;
  kind: SymbolKind | 'module';
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
  /** Added: how it is patched; absent in bundles made before replacements existed (then `wrap`). */
  how?: PatchHow;
  /** Added, for `replace`: whether the code is swapped in place or a new object takes the original's place. */
  mode?: ReplaceMode;
  /**
   * Added: upstream's text of the definition (lines startLine..endLine as the file has them), the text
   * the patch was made from: what `check` and `update` compare a new release with.
   */
  upstream?: string | null;
  /**
   * Added, for `module-code` and `overlay`: the diff's hunks that carry it — what `check` tries against
   * a new release and `update` moves or merges onto it (the overlay module holds the same hunks).
   */
  hunks?: ManifestHunk[];
  /** Added, for `module-code` and `new-module`: the statements as patchkit wrote them into the core's block. */
  code?: string;
}

export interface BundleManifest {
  schemaVersion: 1;
  name: string;
  patchkitVersion: string;
  body: BodyStyle;
  /** Added: what a sentinel import does when a target cannot be applied (absent: `warn`). */
  policy?: Policy;
  /**
   * Added: sha256 (hex) of the core exactly as patchkit generated it. A core that differs was edited by
   * its user: patchkit never overwrites it, and `list` says "edited". Absent in older bundles.
   */
  coreSha256?: string;
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
  /** Only in bundles made from a diff whose changes need the source patched before the module runs. */
  overlay: `${name}_patch_overlay.py`,
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
