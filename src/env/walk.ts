/**
 * Module files under a directory, named exactly as test/oracle/ast_oracle.py names them:
 * relative to the root's parent, `__init__` dropped, every `.py` below (directories without
 * `__init__.py` too), sorted, never descending into symlinked directories (os.walk's default,
 * followlinks=False, which also keeps symlink loops harmless).
 *
 * Beyond the oracle: compiled modules (`x.cpython-311-x86_64-linux-gnu.so`) are listed as
 * 'extension' with the `.pyi` that describes them (`x.pyi`, or `x/__init__.pyi` as torch._C
 * has it), and a `.pyi` with neither a `.py` nor a compiled module beside it as 'stub-only'.
 */
import { readdirSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { ModuleFile } from './model.js';

export const moduleNameFor = (rootParent: string, path: string): string => {
  const parts = relative(rootParent, path)
    .replace(/\.pyi?$/, '')
    .split(sep);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
};

/** Any CPython extension file name, for paths scanned without an interpreter. */
const ANY_EXTENSION = /^([A-Za-z_]\w*)(?:\.(?:cpython-\d+[^.]*|abi3|cp\d+[^.]*))?\.(?:so|pyd)$/;

/**
 * `_json.cpython-311-x86_64-linux-gnu.so` → `_json`; null when no suffix of this interpreter fits.
 * `extensionSuffixes` null: no interpreter known, any CPython extension name counts.
 */
export const extensionStem = (fileName: string, extensionSuffixes: string[] | null): string | null => {
  if (extensionSuffixes === null) return ANY_EXTENSION.exec(fileName)?.[1] ?? null;
  // Longest suffix first: `.so` also ends `.cpython-311-….so`, whose stem would keep the ABI tag.
  const suffix = [...extensionSuffixes].sort((a, b) => b.length - a.length).find((s) => fileName.endsWith(s));
  if (!suffix) return null;
  const stem = fileName.slice(0, -suffix.length);
  // `x.cpython-310-….so` under 3.11 ends with `.so` but is not importable as anything.
  return stem && !stem.includes('.') ? stem : null;
};

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists module files under `root`, named relative to `parent` (the search-path entry, so a dotted
 * subpackage keeps its full dotted names).
 */
export const walkModules = async (
  root: string,
  extensionSuffixes: string[] | null = [],
  parent = dirname(root),
): Promise<ModuleFile[]> => {
  const files: ModuleFile[] = [];
  const usedStubs = new Set<string>();
  const stubOnly: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      // Synchronous: one directory at a time either way, without a trip through the thread pool each.
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // os.walk skips unreadable directories silently
    }
    entries.sort((a, b) => byName(a.name, b.name));
    const names = new Set(entries.map((e) => e.name));
    const stems = new Set<string>();
    const subdirs: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      // Dirent describes the link itself: a symlinked directory is neither descended nor listed.
      if (entry.isDirectory()) {
        subdirs.push(path);
      } else if (entry.name.endsWith('.py')) {
        // os.walk files a link to a directory under dirs (and Python cannot import it): not a module.
        if (entry.isSymbolicLink() && (await isDirectory(path))) continue;
        files.push({ name: moduleNameFor(parent, path), path, kind: 'source' });
        stems.add(entry.name.slice(0, -3));
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const stem = extensionStem(entry.name, extensionSuffixes);
        if (stem === null) continue;
        stems.add(stem);
        // With both, Python imports the .so; the oracle (and patch authors) read the .py, listed above.
        if (names.has(`${stem}.py`)) continue;
        const stub = names.has(`${stem}.pyi`)
          ? join(dir, `${stem}.pyi`)
          : names.has(stem)
            ? join(dir, stem, '__init__.pyi')
            : undefined;
        const file: ModuleFile = { name: moduleNameFor(parent, join(dir, `${stem}.py`)), path, kind: 'extension' };
        if (stub && (await exists(stub))) {
          file.stub = stub;
          usedStubs.add(stub);
        }
        files.push(file);
      }
    }
    for (const entry of entries)
      if (entry.name.endsWith('.pyi') && !stems.has(entry.name.slice(0, -4))) stubOnly.push(join(dir, entry.name));
    for (const sub of subdirs) await visit(sub);
  };
  await visit(root);
  for (const path of stubOnly) {
    if (usedStubs.has(path)) continue;
    // A package whose only __init__ is a .pyi still has its .py modules listed above; the stub adds names.
    files.push({ name: moduleNameFor(parent, path), path, kind: 'stub-only' });
  }
  return files.sort((a, b) => byName(a.name, b.name) || byName(a.kind, b.kind));
};

/** Follows links; false for dangling links and loops, which stay listed and are reported by the parse. */
const isDirectory = (path: string) =>
  stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export const targetNameFor = (root: string) => basename(root).replace(/\.pyi?$/, '');
