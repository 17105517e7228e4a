/**
 * Removing recorded files in the order that keeps every interpreter start clean: the `.pth` and
 * `.start` first (after that nothing imports the loader), then the modules and their bytecode and
 * their now-empty directories, then the dist-info — RECORD late and patchkit.json last, so a killed
 * uninstall is still found and finished by the next one. Directories go only when empty (a shared
 * `__pycache__` stays).
 */
import { dirname, join } from 'node:path';
import { removeDirIfEmpty, removeFile } from './atomic.js';
import type { RecordEntry } from './record.js';

const rank = (path: string): number => {
  const inDistInfo = path.includes('.dist-info/');
  if (!inDistInfo && !path.includes('/') && (path.endsWith('.pth') || path.endsWith('.start'))) return 0;
  if (!inDistInfo) return path.endsWith('.pyc') ? 2 : 1;
  if (path.endsWith('/patchkit.json')) return 6;
  if (path.endsWith('/RECORD')) return 5;
  return 4;
};

const removeAll = async (siteDir: string, paths: string[]): Promise<string[]> => {
  const removed: string[] = [];
  for (const path of paths) if (await removeFile(join(siteDir, path))) removed.push(path);
  const dirs = [...new Set(paths.map((p) => dirname(p)).filter((d) => d !== '.'))];
  dirs.sort((a, b) => b.length - a.length); // deepest first
  for (const dir of dirs) await removeDirIfEmpty(join(siteDir, dir));
  return removed;
};

/** Removes `entries` (site-dir relative) except those in `keep`; returns the paths actually removed. */
export const removeEntries = async (
  siteDir: string,
  entries: RecordEntry[],
  keep: Set<string> = new Set(),
): Promise<string[]> => {
  const paths = [...new Set(entries.map((e) => e.path))].filter((p) => !keep.has(p));
  paths.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  // Payload and its directories first, while RECORD still lists them for a re-run.
  const payload = paths.filter((p) => rank(p) < 4);
  return [
    ...(await removeAll(siteDir, payload)),
    ...(await removeAll(
      siteDir,
      paths.filter((p) => rank(p) >= 4),
    )),
  ];
};
