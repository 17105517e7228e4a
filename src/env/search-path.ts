/**
 * The import search path an interpreter builds at start-up, reconstructed without running site.py:
 * sys.path under -S, then each site dir followed by the path lines of its .pth files, in the order
 * site.py processes them. Import-hook editables come separately: their finders are appended to
 * sys.meta_path, so they only answer for names PathFinder does not find.
 */
import { resolve } from 'node:path';
import { editableMappings, type EditableMapping } from './editable.js';
import type { InterpreterFacts } from './model.js';
import { readSiteDirPth } from './pth.js';

export type EntryOrigin = 'sys.path' | 'site' | 'pth';

export interface SearchEntry {
  path: string;
  origin: EntryOrigin;
  /** The site dir this entry belongs to (itself, or the dir of the .pth that added it). */
  siteDir?: string;
  /** The .pth file whose path line added this entry (path-style editable installs). */
  pth?: string;
}

export interface SearchPath {
  /** Directories in the order PathFinder tries them. */
  entries: SearchEntry[];
  /** Import-hook editable mappings, first one per name wins (the first finder on meta_path). */
  editables: EditableMapping[];
}

export const searchPath = (facts: InterpreterFacts): SearchPath => {
  const entries: SearchEntry[] = [];
  const seen = new Set<string>();
  const add = (path: string, origin: EntryOrigin, siteDir?: string, pth?: string) => {
    if (seen.has(path)) return; // site.py's known_paths: a directory is added once
    seen.add(path);
    entries.push({ path, origin, ...(siteDir ? { siteDir } : {}), ...(pth ? { pth } : {}) });
  };
  for (const p of facts.baseSysPath) {
    // '' is the current directory under -c: where patchkit runs, not where packages are installed.
    // Zip archives can hold modules, but patchkit reads directories only.
    if (p === '' || p === '.' || /\.(zip|egg|whl)$/i.test(p)) continue;
    add(resolve(p), 'sys.path');
  }
  const editables: EditableMapping[] = [];
  for (const dir of facts.siteDirs) {
    add(dir, 'site', dir);
    const skipHidden = facts.pthSkipsHidden ?? true;
    const pth = readSiteDirPth(dir, { skipHidden });
    const live = pth.files.filter((f) => !(skipHidden && f.hidden));
    for (const file of live) for (const p of file.paths) add(p, 'pth', dir, file.path);
    for (const mapping of editableMappings(dir, live))
      if (mapping.namespace || !editables.some((e) => e.name === mapping.name && !e.namespace)) editables.push(mapping);
  }
  return { entries, editables };
};
