/**
 * Whether the installed core is the one `new` generated. The manifest records the sha256 of the core
 * it was rendered with; editing the core (the workflow: the wrappers are the user's) changes it, so
 * `list` can say "edited" instead of the body style the skeleton had.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleFileNames } from '../generate/manifest.js';
import type { InstalledBundle } from './installed.js';

/** true: edited since generation; false: as generated; null: not known (no record, or no core file). */
export const coreEdited = async (bundle: InstalledBundle): Promise<boolean | null> => {
  const recorded = bundle.manifest.coreSha256;
  if (typeof recorded !== 'string') return null;
  const data = await readFile(join(bundle.siteDir, bundleFileNames(bundle.manifest.name).core)).catch(() => null);
  if (data === null) return null;
  return createHash('sha256').update(data).digest('hex') !== recorded;
};
