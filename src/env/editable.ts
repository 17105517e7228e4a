/**
 * Import-hook editable installs, read statically. pyright documents these as unresolvable
 * because resolving them "requires executing Python code"; we read the finder's literals instead.
 *
 * - setuptools (PEP 660, default mode): `__editable__.<dist>-<ver>.pth` runs
 *   `import __editable___<dist>_<ver>_finder; ….install()`; the finder module holds
 *   `MAPPING: dict[str, str] = {'pkg': '/src/pkg'}` (keys may be dotted for packages inside a
 *   namespace) written with repr().
 * - editables (hatchling): `_<dist>.pth` runs `import _editable_impl_<dist>` (older releases
 *   `__editables_<dist>`), whose body is `F.map_module('pkg', '/src/pkg/__init__.py')` lines.
 * - scikit-build-core: `_<dist>_editable.py` calls `install({'pkg': '/src/pkg/__init__.py', …}, …)`.
 *
 * Every finder is only read (never imported). Their finders are appended to sys.meta_path, so
 * they are consulted after PathFinder: a package found on the path wins.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PthFile } from './pth.js';
import { isStringMap, readAssignment, readCalls, type Literal } from './python-literal.js';

export type EditableTool = 'setuptools' | 'editables' | 'scikit-build-core';

export interface EditableMapping {
  /** Import name the finder answers for (`pkg`, or `ns.pkg` under a namespace). */
  name: string;
  /** Package directory or module file; for a namespace, one of its portions. */
  path: string;
  /** setuptools' NAMESPACES: directories that make up a namespace package, not one package. */
  namespace?: boolean;
  tool: EditableTool;
  /** The finder module that holds the mapping. */
  finder: string;
  /** The .pth whose import line installs the finder. */
  pth: string;
}

// `import a` / `import a, b` / `import a; a.install()`: the module names the line imports.
const importedModules = (line: string): string[] => {
  const m = /^import[ \t]+([\w., \t]+)/.exec(line);
  return m
    ? m[1]
        .split(',')
        .map((s) => s.trim().split(/\s/)[0])
        .filter((s) => /^[\w.]+$/.test(s))
    : [];
};

/** A mapped file `…/pkg/__init__.py` stands for its package directory. */
const packageOrModule = (path: string) => (/^__init__\.pyi?$/.test(basename(path)) ? dirname(path) : path);

const fromSetuptools = (source: string): Array<[string, string, boolean?]> => {
  const mapping = readAssignment(source, 'MAPPING');
  const pairs: Array<[string, string, boolean?]> = isStringMap(mapping) ? Object.entries(mapping) : [];
  // NAMESPACES: {'ns': ['/src/ns']}: served by a path hook on a placeholder entry at the end of sys.path.
  const namespaces = readAssignment(source, 'NAMESPACES');
  if (namespaces && typeof namespaces === 'object' && !Array.isArray(namespaces))
    for (const [name, paths] of Object.entries(namespaces))
      if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string') pairs.push([name, p, true]);
  return pairs;
};

const fromEditables = (source: string): Array<[string, string]> =>
  readCalls(source, /\bmap_module/)
    .filter(
      (args): args is [string, string, ...Literal[]] => typeof args[0] === 'string' && typeof args[1] === 'string',
    )
    .map(([name, path]) => [name, packageOrModule(path)]);

const fromScikitBuild = (source: string): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (const [files] of readCalls(source, /^install/m)) {
    if (!isStringMap(files ?? null)) continue;
    // Keys are every module of the build; the top-level ones say where each package lives.
    for (const [name, path] of Object.entries(files as Record<string, string>))
      if (!name.includes('.')) out.push([name, packageOrModule(path)]);
  }
  return out;
};

const toolFor = (module: string): EditableTool | null => {
  if (module.startsWith('__editable__')) return 'setuptools';
  if (module.startsWith('_editable_impl_') || module.startsWith('__editables_')) return 'editables';
  if (/^_.+_editable$/.test(module)) return 'scikit-build-core';
  return null;
};

/** Every import-hook editable mapping installed by the given (live) .pth files of one site dir, in order. */
export const editableMappings = (siteDir: string, pthFiles: PthFile[]): EditableMapping[] => {
  const found: EditableMapping[] = [];
  for (const pth of pthFiles) {
    for (const { text } of pth.imports) {
      for (const module of importedModules(text)) {
        const tool = toolFor(module);
        if (!tool) continue;
        const finder = join(siteDir, `${module.replace(/\./g, '/')}.py`);
        let source: string;
        try {
          source = readFileSync(finder, 'utf8');
        } catch {
          continue; // a dangling .pth: Python would print an error at start-up and go on
        }
        const pairs: Array<[string, string, boolean?]> =
          tool === 'setuptools'
            ? fromSetuptools(source)
            : tool === 'editables'
              ? fromEditables(source)
              : fromScikitBuild(source);
        for (const [name, path, namespace] of pairs)
          found.push({ name, path, tool, finder, pth: pth.path, ...(namespace ? { namespace } : {}) });
      }
    }
  }
  return found;
};
