/**
 * A bundle directory as `install` and `build` read it: patchkit.json plus the runtime files it names
 * (bundles written before the injector module have four, later ones five). Only the fixed file names
 * of `bundleFileNames(name)` are accepted, so a hand-edited manifest cannot make patchkit write
 * anything else (or anywhere else) into site-packages.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { MANIFEST_FILE, bundleFileNames, type BundleManifest } from '../generate/manifest.js';
import { validateName } from '../generate/validate.js';

export type FileRole = 'loader' | 'core' | 'overlay' | 'injector' | 'pth' | 'start';

export interface BundleFile {
  name: string;
  role: FileRole;
  data: Buffer;
}

export interface LoadedBundle {
  dir: string;
  manifest: BundleManifest;
  /** The manifest exactly as it is on disk (installed byte for byte into the dist-info). */
  manifestBytes: Buffer;
  /** In install order: loader, core, injector module, then the start-up hooks. */
  files: BundleFile[];
  /** `<name>-patch`: the distribution name of the installed bundle and of its wheel. */
  distribution: string;
  /** PEP 440 version derived from the content, so a changed bundle is a new version and reinstalls cleanly. */
  version: string;
}

const ROLES: FileRole[] = ['loader', 'core', 'overlay', 'injector', 'pth', 'start'];

/** `<name>-patch` → `<name>_patch` (PEP 503 normalisation, dist-info spelling). */
export const distInfoStem = (name: string) => `${name.toLowerCase()}_patch`;

export const parseManifest = (text: string, path: string): BundleManifest => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const m = value as Partial<BundleManifest> | null;
  if (!m || typeof m !== 'object' || m.schemaVersion !== 1 || typeof m.name !== 'string')
    throw new ValidationError(`${path} is not a patchkit manifest (schemaVersion 1)`);
  if (!Array.isArray(m.targets) || !Array.isArray(m.sentinels) || !Array.isArray(m.files))
    throw new ValidationError(`${path} lacks targets, sentinels or files`);
  validateName(m.name);
  return m as BundleManifest;
};

export const loadBundle = async (dirArg: string, cwd: string): Promise<LoadedBundle> => {
  const dir = resolve(cwd, dirArg);
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(manifestPath);
  } catch {
    throw new ValidationError(
      `${dir} is not a bundle directory (no ${MANIFEST_FILE})`,
      'give the directory `patchkit new` wrote (<out>/<name>)',
    );
  }
  const manifest = parseManifest(manifestBytes.toString('utf8'), manifestPath);
  const names = bundleFileNames(manifest.name);
  const allowed = new Map<string, FileRole>(ROLES.map((role) => [names[role], role]));
  for (const file of manifest.files) {
    if (!allowed.has(file))
      throw new ValidationError(`${manifestPath} lists ${JSON.stringify(file)}, not a file of bundle ${manifest.name}`);
  }
  for (const role of ['loader', 'core', 'pth'] as const) {
    if (!manifest.files.includes(names[role]))
      throw new ValidationError(`${manifestPath} does not list ${names[role]}`);
  }
  const files: BundleFile[] = [];
  for (const role of ROLES) {
    if (!manifest.files.includes(names[role])) continue;
    const path = join(dir, names[role]);
    const data = await readFile(path).catch(() => {
      throw new ValidationError(`bundle file missing: ${path}`);
    });
    files.push({ name: names[role], role, data });
  }
  // A .pth or .start that imports the injector module without it would fail at every interpreter start.
  const hook = files.find(
    (f) =>
      (f.role === 'pth' || f.role === 'start') && f.data.toString('utf8').includes(`${manifest.name}_patch_injector`),
  );
  if (hook && !files.some((f) => f.role === 'injector'))
    throw new ValidationError(`${manifestPath} does not list ${names.injector}, which ${hook.name} imports`);
  const hash = createHash('sha256');
  for (const part of [manifestBytes, ...files.flatMap((f) => [Buffer.from(f.name), f.data])]) {
    hash.update(String(part.length)).update('\0').update(part);
  }
  return {
    dir,
    manifest,
    manifestBytes,
    files,
    distribution: `${manifest.name}-patch`,
    // 'g' keeps the local label alphanumeric: an all-digit label would be re-normalised by pip.
    version: `0+g${hash.digest('hex').slice(0, 12)}`,
  };
};
