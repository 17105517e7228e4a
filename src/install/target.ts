/**
 * Which site dir an install goes to, and which dirs `list`/`uninstall`/`verify` look in. The install dir
 * is sysconfig's purelib (the venv's in a venv) — not `site.getsitepackages()[0]`, which is
 * `/usr/local/lib/python3/dist-packages` or a lib64 path on some systems — or the user site with --user.
 */
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { queryInterpreter, resolveInterpreter } from '../env/interpreter.js';
import type { InterpreterFacts } from '../env/model.js';

export interface TargetEnv {
  python: string;
  facts: InterpreterFacts;
}

export const resolveEnv = async (options: { python?: string; cwd: string }): Promise<TargetEnv> => {
  const python = resolveInterpreter({ python: options.python, cwd: options.cwd });
  return { python, facts: await queryInterpreter(python) };
};

/** Every dir a bundle of this environment can live in: purelib/platlib, the site dirs, the user site. */
export const lookupDirs = (facts: InterpreterFacts): string[] => {
  const dirs = [facts.purelib, facts.platlib, ...facts.siteDirs];
  if (facts.userSite) dirs.push(facts.userSite);
  return [...new Set(dirs)];
};

const describe = (facts: InterpreterFacts) => (facts.venv ? `the venv ${facts.venv}` : `${facts.executable}`);

/** The dir to install into; the user site is created when missing, as pip does. */
export const installDir = async (facts: InterpreterFacts, user: boolean): Promise<string> => {
  if (!user) return facts.purelib;
  if (!facts.userSite) throw new EnvironmentError(`${facts.executable} has no user site-packages`);
  if (facts.venv && !facts.includeSystemSitePackages)
    throw new EnvironmentError(
      `--user: user site-packages are not visible in ${describe(facts)}`,
      'install into the venv itself (leave out --user)',
    );
  if (!facts.userSiteEnabled)
    throw new EnvironmentError(`--user: the user site is disabled for ${facts.executable} (PYTHONNOUSERSITE or -s)`);
  await mkdir(facts.userSite, { recursive: true }).catch(() => undefined);
  return facts.userSite;
};

const REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Creates and removes a probe file: the only honest writability test (root passes access(W_OK) checks
 * but not an immutable or read-only-mounted directory).
 */
export const ensureWritable = async (dir: string, facts: InterpreterFacts, user: boolean): Promise<void> => {
  const probe = join(dir, `.patchkit-probe-${process.pid}.patchkit-tmp`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') throw new EnvironmentError(`site dir does not exist: ${dir}`);
    if (!REFUSED.has(code)) throw error;
    const hint = user
      ? 'create a venv (python -m venv .venv) and pass --python .venv/bin/python'
      : facts.venv
        ? `make ${dir} writable, or create another venv`
        : `pass --user to install into ${facts.userSite ?? 'the user site'}, or create a venv (python -m venv .venv) and pass --python .venv/bin/python`;
    const what =
      code === 'EACCES'
        ? `this site-packages is read-only for this user (uid ${process.getuid?.() ?? '?'}: permission denied)`
        : 'this site-packages is read-only';
    throw new EnvironmentError(`cannot write to ${dir} (${code}): ${what}`, hint);
  }
};
