/** Runs the built CLI (dist/) the way a user does: a real process, argument array, no shell. */
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = fileURLToPath(new URL('../../bin/patchkit.js', import.meta.url));

export const patchkit = (args: string[], options: Options = {}) =>
  execa(process.execPath, [binPath, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', ...options.env },
    ...options,
  });
