/**
 * One patchkit at a time per site dir. Two installs racing in one environment would otherwise sweep
 * each other's temp files as a killed run's leftovers, or an uninstall would remove the `__pycache__`
 * that a concurrent install is compiling into. The lock is `flock(2)` on the directory itself, held by a
 * small child interpreter until patchkit closes its stdin: no lock file is left in site-packages, and a
 * patchkit killed with SIGKILL releases the lock at once (the child reads EOF and exits) — there is no
 * stale lock to detect or break.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { EnvironmentError } from '../errors.js';

const HOLD = String.raw`
import fcntl, os, sys
fds = []
for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    fds.append(fd)
sys.stdout.write("locked\n")
sys.stdout.flush()
sys.stdin.read()
`;

const WAIT_MS = 120_000;

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Takes the locks of `dirs` (sorted, so two runs never wait on each other crosswise); resolves to a release. */
const acquire = (python: string, dirs: string[]): Promise<() => Promise<void>> =>
  new Promise((resolve, reject) => {
    const child = spawn(python, ['-I', '-S', '-c', HOLD, ...dirs], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done = false;
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    const fail = (message: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new EnvironmentError(message, 'check that --python is a working CPython 3.8+ on a POSIX system'));
    };
    const timer = setTimeout(
      () => fail(`another patchkit held ${dirs.join(', ')} for ${WAIT_MS / 1000} s; gave up waiting`),
      WAIT_MS,
    );
    // The child may be gone before release (killed from outside): EPIPE on its stdin is not our error.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => fail(`cannot lock ${dirs.join(', ')}: ${error.message}`));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (done || !out.includes('locked\n')) return;
      done = true;
      clearTimeout(timer);
      resolve(async () => {
        child.stdin.end();
        await exited;
      });
    });
    child.on('close', (code) =>
      fail(
        `cannot lock ${dirs.join(', ')}: ${python} exited (code ${code}) without taking the lock${err.trim() ? `: ${err.trim().split('\n').pop()}` : ''}`,
      ),
    );
  });

/** Runs `fn` holding the locks of those `dirs` that exist. */
export const withSiteLock = async <T>(python: string, dirs: string[], fn: () => Promise<T>): Promise<T> => {
  const existing = [...new Set(dirs)].filter(isDir).sort();
  if (existing.length === 0) return fn();
  const release = await acquire(python, existing);
  try {
    return await fn();
  } finally {
    await release();
  }
};
