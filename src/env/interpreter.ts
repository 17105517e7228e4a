/**
 * Which interpreter, and what it says about itself — asked with `-S`, so no site-packages and no
 * `.pth` import line of the environment runs (a plain `python -c` would run them all, patchkit's
 * own injector included). Under -S a venv's sys.prefix is the base prefix, so the script reads
 * pyvenv.cfg itself, the way site.venv() would, without calling it (that processes .pth files).
 */
import { execa } from 'execa';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { InterpreterError } from '../errors.js';
import type { InterpreterFacts } from './model.js';

const FACTS_SCRIPT = String.raw`
import json, os, site, sys, sysconfig
exe = os.path.abspath(sys.executable)
venv = None
system_site = True
for cand in (os.path.dirname(exe), os.path.dirname(os.path.dirname(exe))):
    cfg = os.path.join(cand, "pyvenv.cfg")
    if os.path.isfile(cfg):
        venv = cand
        with open(cfg, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.partition("=")
                if sep and key.strip().lower() == "include-system-site-packages":
                    system_site = value.strip().lower() == "true"
        break
if venv:
    scheme = "venv" if "venv" in sysconfig.get_scheme_names() else ("posix_prefix" if os.name == "posix" else "nt")
    paths = sysconfig.get_paths(scheme=scheme, vars={"base": venv, "platbase": venv})
    env_sites = []
    for p in (paths["purelib"], paths["platlib"]):
        if p not in env_sites:
            env_sites.append(p)
    if system_site:
        env_sites += [p for p in site.getsitepackages() if p not in env_sites]
else:
    paths = sysconfig.get_paths()
    env_sites = list(site.getsitepackages())
user_enabled = bool(site.check_enableusersite()) and (venv is None or system_site) and not sys.flags.no_user_site
user_site = site.getusersitepackages()
import importlib.machinery as m
print(json.dumps({
    "executable": exe, "version": "%d.%d.%d" % sys.version_info[:3], "versionInfo": list(sys.version_info[:2]),
    "implementation": sys.implementation.name, "prefix": venv or sys.prefix, "basePrefix": sys.base_prefix,
    "venv": venv, "includeSystemSitePackages": system_site, "baseSysPath": sys.path,
    "stdlib": paths["stdlib"], "platstdlib": paths["platstdlib"], "purelib": paths["purelib"], "platlib": paths["platlib"],
    "siteDirs": ([user_site] if user_enabled else []) + env_sites, "userSite": user_site, "userSiteEnabled": user_enabled,
    "extensionSuffixes": m.EXTENSION_SUFFIXES,
}))
`;

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const onPath = (name: string, env: NodeJS.ProcessEnv): string | null => {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
};

/** --python, else $VIRTUAL_ENV, else $CONDA_PREFIX, else python3 on PATH. */
export const resolveInterpreter = (options: { python?: string; env?: NodeJS.ProcessEnv; cwd: string }): string => {
  const env = options.env ?? process.env;
  if (options.python) {
    const explicit =
      options.python.includes('/') || isAbsolute(options.python)
        ? resolve(options.cwd, options.python)
        : onPath(options.python, env);
    if (!explicit || !existsSync(explicit))
      throw new InterpreterError(
        `interpreter not found: ${options.python}`,
        'pass --python with the path of a python executable',
      );
    if (!isExecutable(explicit))
      throw new InterpreterError(`not executable: ${explicit}`, 'pass --python with the path of a python executable');
    return explicit;
  }
  for (const prefix of [env.VIRTUAL_ENV, env.CONDA_PREFIX]) {
    const exe = prefix ? join(prefix, 'bin', 'python') : null;
    if (exe && isExecutable(exe)) return exe;
  }
  const found = onPath('python3', env);
  if (!found)
    throw new InterpreterError('no python3 on PATH', 'install Python 3, activate a venv, or pass --python <exe>');
  return found;
};

const memo = new Map<string, Promise<InterpreterFacts>>();

export const queryInterpreter = (executable: string): Promise<InterpreterFacts> => {
  let pending = memo.get(executable);
  if (!pending) {
    pending = (async () => {
      // -S: no site module, so no .pth line runs; -E: PYTHONSTARTUP/PYTHONPATH cannot bring code in.
      const result = await execa(executable, ['-S', '-E', '-c', FACTS_SCRIPT], {
        reject: false,
        timeout: 30_000,
        stdin: 'ignore',
      });
      if (result.exitCode !== 0 || result.failed) {
        const why = result.stderr?.toString().trim().split('\n').pop() || result.shortMessage || 'no output';
        throw new InterpreterError(
          `${executable} could not be run: ${why}`,
          'pass --python with a working interpreter',
        );
      }
      try {
        return JSON.parse(String(result.stdout)) as InterpreterFacts;
      } catch {
        throw new InterpreterError(
          `${executable} did not answer like CPython 3`,
          'pass --python with a CPython 3.8+ interpreter',
        );
      }
    })();
    memo.set(executable, pending);
  }
  return pending;
};
