/** `patchkit build <bundle> [--out <dir>]`: a reproducible py3-none-any wheel of the bundle. */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../install/atomic.js';
import { loadBundle } from '../install/bundle.js';
import { refuseConflicts } from '../install/conflict-markers.js';
import { buildWheel } from '../wheel/build.js';
import { ValidationError } from '../errors.js';

export interface BuildOptions {
  cwd: string;
  bundle: string;
  out?: string;
  json?: boolean;
  /** The wheel's version (PEP 440), for an index; default the content hash `0+g<hash>`, which indexes refuse. */
  version?: string;
  /** Add `Requires-Dist: <target distribution>==<version the bundle was generated for>`. */
  pin?: boolean;
}

export interface BuildResult {
  path: string;
  distribution: string;
  version: string;
  sha256: string;
  size: number;
  entries: string[];
}

/** A public PEP 440 version, optionally with a local label: what pip and an index accept. */
const PEP440 =
  /^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?(\+[a-z0-9]+(\.[a-z0-9]+)*)?$/;

export const run = async (options: BuildOptions): Promise<BuildResult> => {
  const loaded = await loadBundle(options.bundle, options.cwd);
  refuseConflicts(loaded);
  if (options.version !== undefined && !PEP440.test(options.version))
    throw new ValidationError(
      `--version ${JSON.stringify(options.version)} is not a PEP 440 version`,
      'e.g. 1.0.0, 2.1rc1, 1.0.post2, 1.0+sglang0.5.0',
    );
  const dist = loaded.manifest.distribution;
  if (options.pin && !dist?.version)
    throw new ValidationError(
      `--pin needs the version of the target distribution, and ${loaded.manifest.name}'s manifest has none`,
      dist
        ? `${dist.name} had no version when the bundle was generated`
        : `${loaded.manifest.package} has no distribution (stdlib or a path)`,
    );
  const bundle = { ...loaded, version: options.version ?? loaded.version };
  const wheel = buildWheel(bundle, { pin: Boolean(options.pin) });
  const out = resolve(options.cwd, options.out ?? '.');
  await mkdir(out, { recursive: true });
  const path = join(out, wheel.fileName);
  await writeFileAtomic(path, wheel.bytes);
  return {
    path,
    distribution: bundle.distribution,
    version: bundle.version,
    sha256: createHash('sha256').update(wheel.bytes).digest('hex'),
    size: wheel.bytes.length,
    entries: wheel.entries,
  };
};
