/** Runs the built CLI (dist/) the way a user does: a real process, argument array, no shell. */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = fileURLToPath(new URL('../../bin/patchkit.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const patchkit = async (
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; maxBuffer?: number } = {},
): Promise<CliResult> => {
  const result = await execa(process.execPath, [binPath, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: options.cwd,
    maxBuffer: options.maxBuffer ?? 1 << 30,
    env: { NO_COLOR: '1', ...options.env },
    extendEnv: options.env === undefined,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
};
