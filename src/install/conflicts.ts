/**
 * What stands in the way of an install. A file may be replaced when patchkit wrote it and it is
 * unchanged since (its hash is in one of this bundle's patchkit RECORDs), or when it already holds
 * exactly the new content. Anything else — a foreign file, a file edited after install, a bundle that
 * pip installed — needs --force.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashOf } from './record.js';
import type { InstalledBundle } from './installed.js';
import { readInstalled } from './installed.js';

export interface Conflict {
  path: string;
  why: string;
}

const isPatchkit = (b: InstalledBundle) => b.installer === null || b.installer === 'patchkit';

export const findConflicts = async (
  siteDir: string,
  planned: Map<string, Uint8Array>,
  old: InstalledBundle[],
  sameStemDirs: string[],
): Promise<Conflict[]> => {
  const conflicts: Conflict[] = [];
  const recorded = new Map<string, Set<string>>();
  for (const b of old.filter(isPatchkit))
    for (const e of b.entries) if (e.hash) recorded.set(e.path, (recorded.get(e.path) ?? new Set()).add(e.hash));
  for (const b of old.filter((x) => !isPatchkit(x)))
    conflicts.push({
      path: b.distInfo,
      why: `bundle installed by ${b.installer}: run \`${b.installer} uninstall ${b.name}-patch\` first`,
    });
  for (const dir of sameStemDirs)
    if (!(await readInstalled(siteDir, dir)))
      conflicts.push({ path: dir, why: 'a distribution patchkit did not write' });
  for (const [path, data] of planned) {
    if (path.includes('.dist-info/')) continue; // covered by the dist-info checks above
    const current = await readFile(join(siteDir, path)).catch(() => null);
    if (current === null) continue;
    const hash = hashOf(current);
    if (hash === hashOf(data)) continue;
    const known = recorded.get(path);
    if (known?.has(hash)) continue;
    conflicts.push({ path, why: known ? 'edited after patchkit installed it' : 'not written by patchkit' });
  }
  return conflicts;
};
