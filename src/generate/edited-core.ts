/**
 * The core is the one file of a bundle its user edits: regenerating a bundle (`new --force`) never
 * overwrites a core that differs from what patchkit generated, as the manifest records it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { MANIFEST_FILE, bundleFileNames, type BundleManifest } from './manifest.js';

const readOrNull = (path: string) => readFile(path).catch(() => null);

export const refuseEditedCore = async (out: string, name: string): Promise<void> => {
  const dir = resolve(out, name);
  const corePath = join(dir, bundleFileNames(name).core);
  const core = await readOrNull(corePath);
  if (core === null) return;
  const manifestBytes = await readOrNull(join(dir, MANIFEST_FILE));
  let recorded: string | undefined;
  try {
    recorded = manifestBytes ? (JSON.parse(manifestBytes.toString('utf8')) as BundleManifest).coreSha256 : undefined;
  } catch {
    recorded = undefined;
  }
  const now = createHash('sha256').update(core).digest('hex');
  if (recorded === now) return;
  throw new ValidationError(
    recorded
      ? `${corePath} was edited since patchkit generated it; nothing was written`
      : `${corePath} has no record of what patchkit generated (${MANIFEST_FILE} predates it), so it may hold edits; nothing was written`,
    'move the edited core (or the whole bundle directory) away first, or write the new bundle elsewhere with --out',
  );
};
