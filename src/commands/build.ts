/** `patchkit build <bundle> [--out <dir>]`: a reproducible py3-none-any wheel of the bundle. */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../install/atomic.js';
import { loadBundle } from '../install/bundle.js';
import { buildWheel } from '../wheel/build.js';

export interface BuildOptions {
  cwd: string;
  bundle: string;
  out?: string;
  json?: boolean;
}

export interface BuildResult {
  path: string;
  distribution: string;
  version: string;
  sha256: string;
  size: number;
  entries: string[];
}

export const run = async (options: BuildOptions): Promise<BuildResult> => {
  const bundle = await loadBundle(options.bundle, options.cwd);
  const wheel = buildWheel(bundle);
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
