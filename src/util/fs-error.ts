/**
 * A filesystem error (ENOSPC, EACCES, EROFS …) is the environment's state, not a patchkit bug: it
 * becomes an EnvironmentError (exit 2, one line, no stack trace) that names what was being done.
 * Anything without an errno code is left alone so that real bugs still show their stack.
 */
import { EnvironmentError, isPatchkitError, type PatchkitError } from '../errors.js';

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a path component is not a directory',
  EEXIST: 'a file is in the way',
  EIO: 'input/output error',
};

const HINT: Record<string, string> = {
  ENOSPC: 'free some space and run the command again',
  EDQUOT: 'free some space and run the command again',
};

export const errnoCode = (error: unknown): string | null => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
};

/** `error` as a PatchkitError when it is one already or an errno error; null for anything else. */
export const asEnvironmentError = (error: unknown, doing: string): PatchkitError | null => {
  if (isPatchkitError(error)) return error;
  const code = errnoCode(error);
  if (!code) return null;
  const path = (error as NodeJS.ErrnoException).path;
  const why = WHY[code] ?? code;
  return new EnvironmentError(`${doing}: ${why}${path ? ` (${code}: ${path})` : ` (${code})`}`, HINT[code]);
};
