/** Throw-away venvs with a generated bundle installed by `patchkit install`. */
import { execa } from 'execa';
import { join } from 'node:path';

export const makeVenv = async (python: string, dir: string, systemSite = false) => {
  await execa(python, ['-m', 'venv', '--without-pip', ...(systemSite ? ['--system-site-packages'] : []), dir]);
  const exe = join(dir, 'bin', 'python');
  const { stdout } = await execa(exe, [
    '-S',
    '-c',
    'import sysconfig,sys;print(sysconfig.get_paths(scheme="venv",vars={"base":sys.argv[1],"platbase":sys.argv[1]})["purelib"])',
    dir,
  ]);
  return { python: exe, site: stdout.trim() };
};

export const generateBundle = async (bin: string, out: string, name: string, targets: string[], python: string) => {
  await execa(process.execPath, [
    bin,
    'new',
    name,
    '--out',
    out,
    '--python',
    python,
    ...targets.flatMap((t) => ['--target', t]),
  ]);
  return join(out, name);
};

/** `patchkit install`: what a user runs (atomic, loader first, byte-compiled). */
export const installBundle = (bin: string, bundle: string, python: string) =>
  execa(process.execPath, [bin, 'install', bundle, '--python', python]);
