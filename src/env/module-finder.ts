/**
 * One step of PathFinder, on the file system only: look for `name` in a list of directories the
 * way FileFinder does in each. Per directory: a package (`name/__init__.py`, or a compiled
 * `__init__`) wins at once; then a module file, compiled before source as FileFinder's loader
 * order has it; a directory without `__init__` is a PEP 420 namespace portion, remembered, and the
 * search goes on — the namespace package is made of every portion on the path.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleFile } from './model.js';

export type Found =
  | { kind: 'package'; dirs: string[]; entry: string }
  | { kind: 'namespace'; dirs: string[]; entry: string }
  | { kind: 'module'; file: ModuleFile; entry: string };

const kindOf = (path: string): 'file' | 'dir' | null => {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : null;
  } catch {
    return null;
  }
};

/** The `.pyi` describing a compiled module: `x.pyi`, `x/__init__.pyi` (torch._C), or a `x-stubs` package. */
export const stubFor = (dir: string, name: string, topLevel: boolean): string | undefined =>
  [
    join(dir, `${name}.pyi`),
    join(dir, name, '__init__.pyi'),
    ...(topLevel ? [join(dir, `${name}-stubs`, '__init__.pyi')] : []),
  ].find((p) => kindOf(p) === 'file');

/**
 * Finds `name` (the last part of `dotted`) in `dirs`, in order. `entry` of the result is the
 * directory of `dirs` it was found in (the first portion's, for a namespace package).
 */
export const findIn = (dirs: string[], name: string, dotted: string, suffixes: string[]): Found | null => {
  const portions: string[] = [];
  let firstEntry = '';
  const topLevel = !dotted.includes('.');
  for (const entry of dirs) {
    const pkg = join(entry, name);
    const pkgKind = kindOf(pkg);
    if (pkgKind === 'dir') {
      if (['__init__.py', ...suffixes.map((s) => `__init__${s}`)].some((f) => kindOf(join(pkg, f)) === 'file'))
        return { kind: 'package', dirs: [pkg], entry };
    }
    for (const suffix of suffixes) {
      const path = join(entry, `${name}${suffix}`);
      if (kindOf(path) !== 'file') continue;
      const stub = stubFor(entry, name, topLevel);
      return { kind: 'module', file: { name: dotted, path, kind: 'extension', ...(stub ? { stub } : {}) }, entry };
    }
    const source = join(entry, `${name}.py`);
    if (kindOf(source) === 'file')
      return { kind: 'module', file: { name: dotted, path: source, kind: 'source' }, entry };
    if (pkgKind === 'dir') {
      portions.push(pkg);
      firstEntry ||= entry;
    }
  }
  return portions.length > 0 ? { kind: 'namespace', dirs: portions, entry: firstEntry } : null;
};
