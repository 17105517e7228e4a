/** `patchkit verify <name> [--python] [--json] [--spawn]`: is every target applied in a real process? */
import { validateName } from '../generate/validate.js';
import { resolveEnv } from '../install/target.js';
import { verifyBundle, type VerifyOutcome } from '../install/verify.js';

export interface VerifyOptions {
  cwd: string;
  name: string;
  python?: string;
  json?: boolean;
  spawn?: boolean;
}

export const run = async (options: VerifyOptions): Promise<VerifyOutcome> => {
  validateName(options.name);
  return verifyBundle(options.name, await resolveEnv(options), Boolean(options.spawn));
};
