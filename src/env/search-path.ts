/**
 * The import search path an interpreter would build at start-up, reconstructed without running
 * site.py: sys.path under -S, then each site dir followed by its .pth path entries, plus the
 * source directories of import-hook editable installs (consulted after the path, as their finders
 * sit after PathFinder on sys.meta_path).
 */
import { editableMappings } from './editable.js';
import type { InterpreterFacts } from './model.js';
import { readPthFiles } from './pth.js';

export interface SearchPath {
  entries: string[];
  editables: Map<string, string>;
}

export const searchPath = (facts: InterpreterFacts): SearchPath => {
  // '' is the script's directory / cwd under -c: not where installed packages live.
  const entries = facts.baseSysPath.filter((p) => p !== '' && !p.endsWith('.zip'));
  const editables = new Map<string, string>();
  for (const dir of facts.siteDirs) {
    if (!entries.includes(dir)) entries.push(dir);
    const pth = readPthFiles(dir).filter((f) => !f.hidden);
    for (const file of pth) for (const p of file.paths) if (!entries.includes(p)) entries.push(p);
    for (const [name, source] of editableMappings(dir, pth)) if (!editables.has(name)) editables.set(name, source);
  }
  return { entries, editables };
};
