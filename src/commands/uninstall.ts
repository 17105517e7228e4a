/** `patchkit uninstall <name> [--python]`: `.pth`/`.start` first, then the rest, exactly as recorded. */
import { validateName } from '../generate/validate.js';
import { resolveEnv } from '../install/target.js';
import { uninstallBundle, type UninstallOutcome } from '../install/uninstall.js';

export interface UninstallOptions {
  cwd: string;
  name: string;
  python?: string;
  json?: boolean;
}

export const run = async (options: UninstallOptions): Promise<UninstallOutcome> => {
  validateName(options.name);
  return uninstallBundle(options.name, await resolveEnv(options));
};
