/** Throw-away venvs with a generated bundle copied in and byte-compiled, as an install would leave it. */
import { execa } from 'execa';
import { copyFile, readdir } from 'node:fs/promises';
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

/** Loader and core first, the .pth last; then byte-compile so no start recompiles the loader. */
export const copyBundle = async (bundle: string, site: string, python: string) => {
  const files = await readdir(bundle);
  const order = [
    ...files.filter((f) => f.endsWith('.py') && !f.startsWith('test_')),
    ...files.filter((f) => f.endsWith('.pth') || f.endsWith('.start')),
  ];
  for (const f of order) await copyFile(join(bundle, f), join(site, f));
  const compiled = order.filter((f) => f.endsWith('.py')).map((f) => join(site, f));
  await execa(python, ['-m', 'py_compile', ...compiled]);
};
