/**
 * Who put a file into a site dir: the RECORDs of every dist-info there. A patchkit bundle is a
 * dist-info with patchkit.json; anything else is foreign (a named distribution, or nobody at all —
 * the case that most deserves a look).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecord } from '../install/record.js';

export type Owner =
  | { kind: 'patchkit'; distribution: string; installer: string | null }
  | { kind: 'distribution'; distribution: string }
  | { kind: 'unknown' };

/** Site-dir relative path → owner, for every file some RECORD lists. */
export const ownersOf = async (siteDir: string): Promise<Map<string, Owner>> => {
  const owners = new Map<string, Owner>();
  const entries = await readdir(siteDir).catch((): string[] => []);
  for (const distInfo of entries.filter((e) => e.endsWith('.dist-info')).sort()) {
    const dir = join(siteDir, distInfo);
    const record = await readFile(join(dir, 'RECORD'), 'utf8').catch(() => null);
    if (record === null) continue;
    const distribution = distInfo.slice(0, -'.dist-info'.length);
    const installer = (await readFile(join(dir, 'INSTALLER'), 'utf8').catch(() => '')).split('\n')[0].trim() || null;
    const owner: Owner = existsSync(join(dir, 'patchkit.json'))
      ? { kind: 'patchkit', distribution, installer }
      : { kind: 'distribution', distribution };
    for (const e of parseRecord(record)) if (!owners.has(e.path)) owners.set(e.path, owner);
  }
  return owners;
};
