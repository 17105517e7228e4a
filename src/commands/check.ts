/**
 * `patchkit check <bundle> [--python <exe> | --source <dir>]`: re-scan the patched package (installed,
 * or a source tree such as a checkout of the next release) and compare every target with the manifest.
 * A CI gate before an upgrade: exit 1 when something a target depends on changed (see install/drift.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import type { ParserKind } from '../parser/adapter.js';
import { loadBundle } from '../install/bundle.js';
import { compareTarget, locate, type Found, type TargetDrift } from '../install/drift.js';
import { bundleFileNames, type BundleManifest, type ManifestTarget } from '../generate/manifest.js';
import { checkHunks, diffHunkOf, overlayHunksOf } from '../install/overlay-drift.js';
import { conflictLines } from '../install/conflict-markers.js';
import { decodeSource } from '../scan/decode.js';
import type { ScanResult } from '../scan/model.js';
import { definitionText } from '../generate/definition-source.js';
import { closest } from '../generate/resolve.js';
import { WRAPPABLE_KINDS } from '../generate/model.js';
import { unifiedDiff } from '../util/unified-diff.js';
import { packageVersion, sourceVersion } from '../install/source-version.js';

export interface CheckOptions {
  cwd: string;
  bundle: string;
  python?: string;
  source?: string;
  json?: boolean;
  cache?: boolean;
  parser?: ParserKind | 'auto';
}

export interface CheckResult {
  name: string;
  package: string;
  scanned: string;
  oldVersion: string | null;
  newVersion: string | null;
  targets: TargetDrift[];
  changed: number;
  /** Lines of the core where `update` left a merge conflict unresolved (they fail check too). */
  conflicts: number[];
}

/** `--source` may name the package directory itself or a directory that contains it (`src/`, a repo root). */
export const sourceTarget = (source: string, pkg: string, cwd: string): string => {
  const dir = resolve(cwd, source);
  const top = pkg.split('.')[0];
  for (const candidate of [join(dir, top), join(dir, `${top}.py`), join(dir, 'src', top), join(dir, 'python', top)])
    if (existsSync(candidate)) return candidate;
  if (basename(dir) === top && existsSync(dir) && statSync(dir).isDirectory()) return dir;
  throw new ValidationError(`no package ${top} under ${dir}`, `give the directory that contains ${top}/`);
};

/** A found definition's text now, lines with its decorators through its end, as `new` records `upstream`. */
export const textOf = async (found: Found | null): Promise<string | null> => {
  if (!found || found.module.kind !== 'source') return null;
  const s = found.symbol;
  const start = Math.min(s.line, ...s.decorators.map((d) => d.line));
  return definitionText(await readFile(found.module.path), start, s.endLine);
};

/** Every function and method the scan has, as `new` offers them when a target is not found. */
const closestTo = (scan: ScanResult, key: string): string[] =>
  closest(
    scan.modules.flatMap((m) =>
      m.symbols
        .filter((s) => (WRAPPABLE_KINDS as readonly string[]).includes(s.kind) && !s.qualname.includes('<'))
        .map((s) => `${m.name}:${s.qualname}`),
    ),
    key,
  );

/** Scans what the bundle patches now: the installed package, or the package in a source tree. */
export const scanNow = async (options: CheckOptions, manifest: BundleManifest) => {
  const target = options.source ? sourceTarget(options.source, manifest.package, options.cwd) : manifest.package;
  const { scanPackage } = await import('../scan/index.js');
  const scan = await scanPackage({
    target,
    python: options.python,
    cwd: options.cwd,
    cache: options.cache,
    parser: options.parser,
  });
  const fromTree = async () =>
    (await sourceVersion(resolve(options.cwd, options.source ?? '.'))) ?? (await packageVersion(target));
  const version = scan.package.version ?? (options.source ? await fromTree() : null);
  return { scan, version };
};

/**
 * The hunks of a module-code or overlay target checked against its module's source now: the
 * manifest's (bundles made since it keeps them), else the overlay module's; null when either the
 * module or the hunks cannot be read.
 */
const hunkChecks = async (t: ManifestTarget, scan: ScanResult, overlay: string | null) => {
  const module = scan.modules.find((m) => m.name === t.module);
  const read = t.hunks
    ? { hunks: t.hunks.map(diffHunkOf), indices: t.hunks.map((h) => h.index) }
    : overlay === null || t.how !== 'overlay'
      ? null
      : overlayHunksOf(overlay, t.module);
  if (!module || module.kind !== 'source' || !read) return null;
  const source = decodeSource(await readFile(module.path)).text.replace(/\r\n?/g, '\n');
  return checkHunks(source, module.path, read.hunks, read.indices);
};

export const compareAll = async (
  manifest: BundleManifest,
  scan: ScanResult,
  bundleDir: string,
): Promise<TargetDrift[]> => {
  const overlay = manifest.targets.some((t) => t.how === 'overlay')
    ? await readFile(join(bundleDir, bundleFileNames(manifest.name).overlay), 'utf8').catch(() => null)
    : null;
  return Promise.all(
    manifest.targets.map(async (t) => {
      const found = locate(t, scan);
      return compareTarget({
        hunks: t.how === 'overlay' || t.how === 'module-code' ? await hunkChecks(t, scan, overlay) : undefined,
        target: t,
        scan,
        found,
        newText: await textOf(found),
        closest: () => closestTo(scan, `${t.module}:${t.qualname}`),
        diff: (oldText, newText, newLine) =>
          unifiedDiff(
            oldText,
            newText,
            { old: `${t.module}:${t.qualname} (bundle)`, new: `${found?.module.name}:${t.qualname} (now)` },
            { old: t.startLine, new: newLine - (t.line - t.startLine) },
          ),
      });
    }),
  );
};

export const run = async (options: CheckOptions): Promise<CheckResult> => {
  if (options.python && options.source) throw new ValidationError('give --python or --source, not both');
  const bundle = await loadBundle(options.bundle, options.cwd);
  const { manifest } = bundle;
  const { scan, version } = await scanNow(options, manifest);
  const targets = await compareAll(manifest, scan, bundle.dir);
  return {
    name: manifest.name,
    package: manifest.package,
    scanned: scan.package.root,
    oldVersion: manifest.distribution?.version ?? null,
    newVersion: version,
    targets,
    changed: targets.filter((t) => t.matters).length,
    conflicts: conflictLines(bundle.files.find((f) => f.role === 'core')?.data.toString('utf8') ?? ''),
  };
};
