/**
 * Import-hook editable installs, read statically (pyright cannot resolve these: it would have to
 * run code). setuptools writes `__editable__.<dist>.pth` importing `__editable___<dist>_finder`
 * whose `MAPPING = {'pkg': '/src/pkg'}` names the source; `editables` writes `_<dist>.pth`
 * importing `_editable_impl_<dist>` / `__editables_*` with a similar mapping. Only string
 * literals are read: nothing is executed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PthFile } from './pth.js';

const MODULE_IN_IMPORT = /^import\s+([\w.]+)/;
const MAPPING = /MAPPING\s*(?::[^=]*)?=\s*\{([^}]*)\}/;
const PAIR = /(['"])((?:(?!\1).)*)\1\s*:\s*(['"])((?:(?!\3).)*)\3/g;
const ADD_CALL = /\.(?:map|add_path)\(\s*(['"])((?:(?!\1).)*)\1\s*,\s*(['"])((?:(?!\3).)*)\3/g;

/** Top-level package name → source directory (or file), from every editable finder in a site dir. */
export const editableMappings = (siteDir: string, pthFiles: PthFile[]): Map<string, string> => {
  const mapping = new Map<string, string>();
  for (const pth of pthFiles) {
    if (pth.hidden) continue;
    for (const { text } of pth.imports) {
      const module = MODULE_IN_IMPORT.exec(text)?.[1];
      if (!module || !/editable/.test(module)) continue;
      let source: string;
      try {
        source = readFileSync(join(siteDir, `${module.replace(/\./g, '/')}.py`), 'utf8');
      } catch {
        continue;
      }
      const body = MAPPING.exec(source)?.[1] ?? '';
      for (const m of body.matchAll(PAIR)) mapping.set(m[2], m[4]);
      for (const m of source.matchAll(ADD_CALL)) mapping.set(m[2], m[4]);
    }
  }
  return mapping;
};
