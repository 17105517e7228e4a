/**
 * Module files under a directory, named exactly as ../shared/tools/ast_oracle.py names them:
 * relative to the root's parent, `__init__` dropped, every `.py` below (directories without
 * `__init__.py` too), sorted, never descending into symlinked directories (os.walk's default,
 * which also keeps symlink loops harmless).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { ModuleFile } from './model.js';

export const moduleNameFor = (rootParent: string, path: string): string => {
  const parts = relative(rootParent, path)
    .replace(/\.pyi?$/, '')
    .split(sep);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
};

/**
 * Lists `.py` files (and, with `extensionSuffixes`, compiled modules with their `.pyi`) under `root`,
 * named relative to `parent` (the search-path entry for a dotted subpackage).
 */
export const walkModules = async (
  root: string,
  extensionSuffixes: string[] = [],
  parent = dirname(root),
): Promise<ModuleFile[]> => {
  const files: ModuleFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable or vanished directory: nothing to list
    }
    const names = new Set(entries.map((e) => e.name));
    const subdirs: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        subdirs.push(path);
      } else if (entry.name.endsWith('.py') && (entry.isFile() || entry.isSymbolicLink())) {
        files.push({ name: moduleNameFor(parent, path), path, kind: 'source' });
      } else if (entry.isFile()) {
        const suffix = extensionSuffixes.find((s) => entry.name.endsWith(s));
        if (!suffix) continue;
        const stem = entry.name.slice(0, -suffix.length);
        if (names.has(`${stem}.py`)) continue; // the source module wins
        const stub = names.has(`${stem}.pyi`) ? join(dir, `${stem}.pyi`) : undefined;
        files.push({
          name: moduleNameFor(parent, join(dir, `${stem}.py`)),
          path,
          kind: 'extension',
          ...(stub ? { stub } : {}),
        });
      }
    }
    for (const sub of subdirs) await visit(sub);
  };
  await visit(root);
  return files;
};

export const targetNameFor = (root: string) => basename(root).replace(/\.py$/, '');
