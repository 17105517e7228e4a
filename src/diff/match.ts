/**
 * A diff's paths (`a/python/sglang/srt/x.py`, `a/Lib/functools.py`) matched to the modules an
 * interpreter would import, without importing anything: each suffix of the path, longest first, is
 * read as a dotted name and looked up the way PathFinder would (the reconstructed search path: the
 * stdlib, site-packages and .pth path entries, in order); it matches when the file Python would
 * import for that name is this very path. A shadowed copy further down sys.path never matches, and
 * `--strip N` replaces the suffix search with one candidate, as `patch -pN` does.
 */
import { join, sep } from 'node:path';
import { ValidationError } from '../errors.js';
import type { InterpreterFacts } from '../env/model.js';
import { findIn, type Found } from '../env/module-finder.js';
import { searchPath } from '../env/search-path.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Source roots that say nothing about the module name (`a/Lib/x.py`, `b/src/pkg/x.py`). */
const SOURCE_ROOTS = new Set(['a', 'b', 'Lib', 'lib', 'src', 'python', 'site-packages', 'dist-packages']);

export interface InstalledModule {
  module: string;
  /** The file Python imports for `module`. */
  path: string;
  /** Path relative to the search-path entry, with `/` separators (`sglang/srt/x.py`). */
  relpath: string;
}

export interface NewModule {
  module: string;
  relpath: string;
  /** The search-path entry the new file belongs under (where its top-level package lives). */
  siteDir: string;
}

/** `['sglang', 'srt', 'x.py']` → `sglang.srt.x`; `__init__.py` names its package; null when no module name. */
const dottedOf = (parts: string[]): string | null => {
  const last = parts[parts.length - 1];
  if (!last?.endsWith('.py')) return null;
  const names = [...parts.slice(0, -1), last.slice(0, -3)];
  if (names[names.length - 1] === '__init__') names.pop();
  return names.length > 0 && names.every((n) => IDENTIFIER.test(n)) ? names.join('.') : null;
};

export interface ModuleIndex {
  entries: string[];
  /** Compiled-module suffixes: FileFinder tries them before `.py`, so a .so beside a .py wins. */
  extensionSuffixes: string[];
  /** Where a new top-level module would go. */
  purelib: string;
}

export const moduleIndex = (facts: InterpreterFacts): ModuleIndex => ({
  entries: searchPath(facts).entries.map((e) => e.path),
  extensionSuffixes: facts.extensionSuffixes,
  purelib: facts.purelib,
});

/** What the import system finds for a dotted name, walking packages' directories; null when nothing. */
const resolve = (index: ModuleIndex, dotted: string): (Found & { top: string }) | null => {
  const parts = dotted.split('.');
  const extension = index.extensionSuffixes;
  let found = findIn(index.entries, parts[0], parts[0], extension);
  if (!found) return null;
  const top = found.entry;
  for (let i = 1; i < parts.length; i++) {
    if (found.kind === 'module') return null;
    found = findIn(found.dirs, parts[i], parts.slice(0, i + 1).join('.'), extension);
    if (!found) return null;
  }
  return { ...found, top };
};

/** The installed source file of `dotted`, when Python would import a .py for it. */
const sourceFile = (index: ModuleIndex, dotted: string, isInit: boolean): { path: string; top: string } | null => {
  const found = resolve(index, dotted);
  if (!found) return null;
  if (found.kind === 'module')
    return found.file.kind === 'source' && !isInit ? { path: found.file.path, top: found.top } : null;
  if (found.kind === 'package' && isInit) return { path: join(found.dirs[0], '__init__.py'), top: found.top };
  return null;
};

const endsWithParts = (path: string, parts: string[]) => path.endsWith(sep + parts.join(sep));

/** Components of a diff path; `--strip N` drops N leading ones, as `patch -pN`. */
const componentsOf = (diffPath: string, strip: number | undefined): string[][] => {
  const parts = diffPath.split('/').filter((p) => p !== '' && p !== '.');
  if (strip !== undefined) {
    if (strip >= parts.length)
      throw new ValidationError(`--strip ${strip} leaves nothing of ${diffPath}`, 'use a smaller --strip');
    return [parts.slice(strip)];
  }
  return parts.map((_, i) => parts.slice(i));
};

export interface MatchResult {
  match: InstalledModule;
  /** Set when the match looks like it could be a coincidence worth checking. */
  warning: string | null;
}

/** The installed module a diff path names, or a ValidationError that names the file. */
export const matchInstalled = (index: ModuleIndex, diffPath: string, strip?: number): MatchResult => {
  for (const parts of componentsOf(diffPath, strip)) {
    const dotted = dottedOf(parts);
    if (!dotted) continue;
    const hit = sourceFile(index, dotted, parts[parts.length - 1] === '__init__.py');
    if (!hit || !endsWithParts(hit.path, parts)) continue;
    const all = diffPath.split('/').filter((p) => p !== '' && p !== '.');
    const dropped = all.slice(0, all.length - parts.length);
    const before = dropped[dropped.length - 1];
    // `a/pkg/utils.py` matched as a top-level `utils` because `pkg` is not installed: say so.
    const warning =
      strip === undefined && before !== undefined && IDENTIFIER.test(before) && !SOURCE_ROOTS.has(before)
        ? `${diffPath}: matched ${dotted} (${hit.path}) by its last ${parts.length} path part(s); ` +
          `${before}/ is not part of an installed package name — pass --strip if that is wrong`
        : null;
    return { match: { module: dotted, path: hit.path, relpath: parts.join('/') }, warning };
  }
  throw new ValidationError(
    `${diffPath}: no installed module of this interpreter has this path` +
      (strip === undefined ? ' (or any suffix of it)' : ` (after --strip ${strip})`),
    'pass --python <the interpreter that has the package>, or --strip N to say where the module path starts',
  );
};

/**
 * Where a file the diff creates goes: under the deepest installed package that holds its
 * directory (directories below it may be new too), named as Python would import it.
 */
export const matchNew = (index: ModuleIndex, diffPath: string, strip?: number): NewModule => {
  for (const parts of componentsOf(diffPath, strip)) {
    const dotted = dottedOf(parts);
    if (!dotted) continue;
    const dirs = parts.slice(0, -1);
    for (let j = dirs.length; j >= 1; j--) {
      const pkg = resolve(index, dirs.slice(0, j).join('.'));
      if (!pkg || pkg.kind === 'module' || !pkg.dirs.some((d) => endsWithParts(d, dirs.slice(0, j)))) continue;
      return { module: dotted, relpath: parts.join('/'), siteDir: pkg.top };
    }
    if (strip !== undefined && dirs.length === 0)
      return { module: dotted, relpath: parts.join('/'), siteDir: index.purelib };
  }
  throw new ValidationError(
    `${diffPath}: a new file, but no installed package of this interpreter holds its directory`,
    'pass --python <the interpreter that has the package>, or --strip N to say where the module path starts',
  );
};
