/** "Did you mean": the importable names in some directories closest to a name that was not found. */
import { readdirSync } from 'node:fs';
import { editDistance as distance } from '../util/edit-distance.js';

/** Module-ish names in `dirs`: packages, .py files and compiled modules, without suffixes. */
const importableNames = (dirs: string[]): Set<string> => {
  const names = new Set<string>();
  for (const dir of dirs) {
    let listing: string[];
    try {
      listing = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of listing) {
      const stem = n.replace(/\.(py|pyi|so|pyd)$/, '').replace(/\.(cpython-|abi3|cp\d).*$/, '');
      if (/^[A-Za-z_]\w*$/.test(stem) && stem !== '__pycache__' && stem !== '__init__') names.add(stem);
    }
  }
  return names;
};

/** Up to `count` names, closest first (case-insensitive edit distance, then alphabetical). */
export const closestNames = (dirs: string[], name: string, count = 3): string[] => {
  const target = name.toLowerCase();
  const scored = [...importableNames(dirs)].map((n) => ({ n, d: distance(n.toLowerCase(), target) }));
  // Far-off names are noise: keep those within about half the name's length.
  const limit = Math.max(2, Math.ceil(name.length / 2));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .slice(0, count)
    .map((s) => s.n);
};
