/** `patchkit install <bundle> [--python] [--user] [--force]`: the bundle's runtime files into site-packages. */
import { loadBundle } from '../install/bundle.js';
import { refuseConflicts } from '../install/conflict-markers.js';
import { installBundle, type InstallOutcome } from '../install/install.js';
import { resolveEnv } from '../install/target.js';

export interface InstallOptions {
  cwd: string;
  bundle: string;
  python?: string;
  user?: boolean;
  force?: boolean;
  json?: boolean;
}

export const run = async (options: InstallOptions): Promise<InstallOutcome> => {
  const bundle = await loadBundle(options.bundle, options.cwd);
  refuseConflicts(bundle);
  const env = await resolveEnv(options);
  return installBundle(bundle, env, { user: options.user, force: options.force });
};
