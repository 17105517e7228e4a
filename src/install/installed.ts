/**
 * Bundles installed in a site dir: `*.dist-info` directories that hold a patchkit.json. patchkit's own
 * installs and pip-installed bundle wheels look the same here (only INSTALLER differs). A dist-info left
 * half-written by a killed install is still found: its patchkit.json is written first and removed last.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type BundleManifest } from '../generate/manifest.js';
import { removeDirIfEmpty, sweepTemps } from './atomic.js';
import { distInfoStem, parseManifest } from './bundle.js';
import { parseRecord, type RecordEntry } from './record.js';

export interface InstalledBundle {
  siteDir: string;
  /** Directory name, e.g. `myhook_patch-0+g1a2b3c4d5e6f.dist-info`. */
  distInfo: string;
  name: string;
  version: string;
  /** INSTALLER's first line: 'patchkit', 'pip', 'uv' …; null when missing (an install that was killed). */
  installer: string | null;
  manifest: BundleManifest;
  /** RECORD entries, plus files present in the dist-info that RECORD does not list. */
  entries: RecordEntry[];
}

const readText = (path: string) => readFile(path, 'utf8').catch(() => null);

const listDir = (dir: string) => readdir(dir).catch((): string[] => []);

/** Every `<stem>-<version>.dist-info` in a site dir, patchkit's or not, whose stem matches `name`'s. */
export const distInfoDirsFor = async (siteDir: string, name: string): Promise<string[]> => {
  const stem = distInfoStem(name);
  return (await listDir(siteDir)).filter(
    (e) => e.endsWith('.dist-info') && e.slice(0, e.indexOf('-')).toLowerCase() === stem,
  );
};

export const readInstalled = async (siteDir: string, distInfo: string): Promise<InstalledBundle | null> => {
  const dir = join(siteDir, distInfo);
  const manifestText = await readText(join(dir, MANIFEST_FILE));
  if (manifestText === null) return null;
  let manifest: BundleManifest;
  try {
    manifest = parseManifest(manifestText, join(dir, MANIFEST_FILE));
  } catch {
    return null;
  }
  const recordText = await readText(join(dir, 'RECORD'));
  const entries = recordText === null ? [] : parseRecord(recordText);
  const listed = new Set(entries.map((e) => e.path));
  for (const file of await listDir(dir)) {
    const path = `${distInfo}/${file}`;
    if (!listed.has(path)) entries.push({ path, hash: null, size: null });
  }
  const installer = (await readText(join(dir, 'INSTALLER')))?.split('\n')[0].trim() || null;
  const base = distInfo.slice(0, -'.dist-info'.length);
  return {
    siteDir,
    distInfo,
    name: manifest.name,
    version: base.slice(base.indexOf('-') + 1),
    installer,
    manifest,
    entries,
  };
};

/** Bundles in one site dir; with `name`, only that bundle's (more than one after a killed reinstall). */
export const findInstalled = async (siteDir: string, name?: string): Promise<InstalledBundle[]> => {
  const dirs = name
    ? await distInfoDirsFor(siteDir, name)
    : (await listDir(siteDir)).filter((e) => e.endsWith('.dist-info') && /_patch-/i.test(e));
  const found: InstalledBundle[] = [];
  for (const d of dirs.sort()) {
    const bundle = await readInstalled(siteDir, d);
    if (bundle && (!name || bundle.name === name)) found.push(bundle);
  }
  return found;
};

/**
 * What a killed run can leave that no RECORD lists: temp files, and a dist-info directory that holds
 * nothing else (killed before its patchkit.json was renamed into place). Returns the removed paths.
 */
export const sweepLeftovers = async (siteDir: string, name: string, files: string[]): Promise<string[]> => {
  const removed = await sweepTemps(siteDir, files);
  for (const dir of await distInfoDirsFor(siteDir, name)) {
    const full = join(siteDir, dir);
    removed.push(
      ...(await sweepTemps(full, [MANIFEST_FILE, 'RECORD', 'METADATA', 'INSTALLER'])).map((f) => `${dir}/${f}`),
    );
    if (await removeDirIfEmpty(full)) removed.push(`${dir}/`);
  }
  return removed;
};
