/** Removing every installed copy of a bundle from an environment's site dirs, exactly by RECORD. */
import { EnvironmentError, isPatchkitError } from '../errors.js';
import { asEnvironmentError } from '../util/fs-error.js';
import { withSiteLock } from './lock.js';
import { bundleFileNames } from '../generate/manifest.js';
import { findInstalled, sweepLeftovers, type InstalledBundle } from './installed.js';
import type { RecordEntry } from './record.js';
import { removeEntries } from './remove.js';
import { lookupDirs, type TargetEnv } from './target.js';

export interface UninstallOutcome {
  name: string;
  python: string;
  removed: { siteDir: string; version: string; installer: string | null; files: string[] }[];
  /** Temp files and empty dist-info dirs of a killed run. */
  leftovers: string[];
}

const isHook = (e: RecordEntry) => /^[^/]+\.(pth|start)$/.test(e.path);

export const uninstallBundle = async (name: string, env: TargetEnv): Promise<UninstallOutcome> => {
  try {
    return await withSiteLock(env.python, lookupDirs(env.facts), () => uninstallLocked(name, env));
  } catch (error) {
    // The removal order keeps every state in between loadable and findable: a re-run finishes the job.
    const failure = asEnvironmentError(error, `cannot uninstall ${name}`);
    if (!failure || isPatchkitError(error)) throw failure ?? error;
    throw new EnvironmentError(failure.message, `fix that, then run patchkit uninstall ${name} again to finish`);
  }
};

const uninstallLocked = async (name: string, env: TargetEnv): Promise<UninstallOutcome> => {
  const found: InstalledBundle[] = [];
  const leftovers: string[] = [];
  const names = Object.values(bundleFileNames(name));
  for (const dir of lookupDirs(env.facts)) {
    leftovers.push(...(await sweepLeftovers(dir, name, names)));
    found.push(...(await findInstalled(dir, name)));
  }
  if (found.length === 0 && leftovers.length === 0)
    throw new EnvironmentError(
      `${name} is not installed for ${env.python}`,
      `patchkit list --python ${env.python} shows what is`,
    );
  const removed: UninstallOutcome['removed'] = [];
  // Every copy's .pth/.start before any copy's loader: two copies share the same module names.
  const hooksRemoved = new Map<InstalledBundle, string[]>();
  for (const b of found) hooksRemoved.set(b, await removeEntries(b.siteDir, b.entries.filter(isHook)));
  for (const b of found) {
    const files = await removeEntries(b.siteDir, b.entries);
    removed.push({
      siteDir: b.siteDir,
      version: b.version,
      installer: b.installer,
      files: [...(hooksRemoved.get(b) ?? []), ...files],
    });
  }
  return { name, python: env.python, removed, leftovers };
};
