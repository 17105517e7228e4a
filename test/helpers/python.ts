/** Real interpreters and throw-away venvs for tests: nothing about Python is mocked. */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The machine's default python3 (any CPython 3.8+; the tests make no assumption about its version). */
export const PYTHON = process.env.PATCHKIT_TEST_PYTHON ?? 'python3';
/**
 * Debian's interpreter, which sees apt-installed packages (python3-django, python3-torch …). Tests that
 * need it skip, saying why, where it is missing (point the variable at a missing path to see them skip).
 */
export const SYSTEM_PYTHON = process.env.PATCHKIT_TEST_SYSTEM_PYTHON ?? '/usr/bin/python3';

export const tempDir = (prefix = 'patchkit-test-') => mkdtemp(join(tmpdir(), prefix));

export interface Venv {
  dir: string;
  python: string;
  sitePackages: string;
  remove: () => Promise<void>;
}

/** `python -m venv --without-pip`: fast, and enough for everything but pip itself. */
export const makeVenv = async (options: { python?: string; withPip?: boolean; systemSite?: boolean } = {}) => {
  const dir = await tempDir('patchkit-venv-');
  const args = ['-m', 'venv'];
  if (!options.withPip) args.push('--without-pip');
  if (options.systemSite) args.push('--system-site-packages');
  await execa(options.python ?? PYTHON, [...args, dir]);
  const python = join(dir, 'bin', 'python');
  // The venv scheme, not the default one: Debian's default (posix_local) points at <base>/local/lib/….
  const { stdout } = await execa(python, [
    '-S',
    '-c',
    'import sysconfig,sys;s="venv" if "venv" in sysconfig.get_scheme_names() else "posix_prefix";' +
      'print(sysconfig.get_paths(scheme=s,vars={"base":sys.argv[1],"platbase":sys.argv[1]})["purelib"])',
    dir,
  ]);
  const venv: Venv = {
    dir,
    python,
    sitePackages: stdout.trim(),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  return venv;
};

export const runPython = (python: string, args: string[], env: Record<string, string> = {}) =>
  execa(python, args, { reject: false, env, stdin: 'ignore' });
