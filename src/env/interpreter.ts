/**
 * Which interpreter, and what it says about itself. It is run once per executable, under `-S`,
 * with an argument array (never a shell) and a timeout: a plain `python -c` would run every `.pth`
 * import line of the environment (editable finders, patchkit's own injector, anything).
 */
import { execa } from 'execa';
import { accessSync, constants, readlinkSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { InterpreterError } from '../errors.js';
import { FACTS_SCRIPT } from './facts-script.js';
import type { InterpreterFacts } from './model.js';

const QUERY_TIMEOUT_MS = 30_000;
const HINT = 'pass --python <path to a python executable>, or activate the venv to scan';

/** Variables that make a `-c` run execute more than the script: a warnings filter imports its category's module. */
const UNSAFE_ENV = ['PYTHONSTARTUP', 'PYTHONWARNINGS', 'PYTHONINSPECT', 'PYTHONBREAKPOINT'];

const isExecutableFile = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Like `command -v`, without a shell: the first executable `name` on PATH. */
const findOnPath = (name: string, env: NodeJS.ProcessEnv): string | null => {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry would depend on where patchkit runs
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
};

const checked = (path: string, source: string): string => {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    let link: string | null = null;
    try {
      link = readlinkSync(path);
    } catch {
      link = null;
    }
    // A venv whose base interpreter was removed or upgraded away: say so, not just "not found".
    if (link !== null)
      throw new InterpreterError(
        `interpreter not found: ${path} (${source}) is a symlink to ${link}, which does not exist`,
        'recreate the venv (python3 -m venv --clear <dir>), or pass --python <path to a python executable>',
      );
    throw new InterpreterError(`interpreter not found: ${path} (${source})`, HINT);
  }
  if (!stat.isFile() || !isExecutableFile(path))
    throw new InterpreterError(`interpreter is not an executable file: ${path} (${source})`, HINT);
  return path;
};

/**
 * `--python <exe>`, else `$VIRTUAL_ENV/bin/python`, else `$CONDA_PREFIX/bin/python`, else `python3`
 * on PATH. The path is made absolute but not resolved through symlinks: a venv's bin/python is a
 * symlink to the base interpreter, and resolving it would lose the venv.
 */
export const resolveInterpreter = (options: { python?: string; env?: NodeJS.ProcessEnv; cwd: string }): string => {
  const env = options.env ?? process.env;
  const { python } = options;
  if (python) {
    if (python.includes('/')) return checked(resolve(options.cwd, python), '--python');
    const found = findOnPath(python, env);
    if (!found) throw new InterpreterError(`interpreter not found on PATH: ${python} (--python)`, HINT);
    return found;
  }
  // A set but stale $VIRTUAL_ENV is an error, not a reason to silently scan another environment.
  if (env.VIRTUAL_ENV) return checked(join(resolve(options.cwd, env.VIRTUAL_ENV), 'bin', 'python'), '$VIRTUAL_ENV');
  if (env.CONDA_PREFIX) return checked(join(resolve(options.cwd, env.CONDA_PREFIX), 'bin', 'python'), '$CONDA_PREFIX');
  const found = findOnPath('python3', env);
  if (!found)
    throw new InterpreterError('no python3 on PATH', 'install Python 3, activate a venv, or pass --python <exe>');
  return found;
};

const isFacts = (value: unknown): value is InterpreterFacts => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.executable === 'string' &&
    typeof v.version === 'string' &&
    Array.isArray(v.baseSysPath) &&
    Array.isArray(v.siteDirs) &&
    Array.isArray(v.extensionSuffixes)
  );
};

const ask = async (executable: string, baseEnv: NodeJS.ProcessEnv): Promise<InterpreterFacts> => {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const name of UNSAFE_ENV) delete env[name];
  const result = await execa(executable, ['-S', '-c', FACTS_SCRIPT], {
    reject: false,
    timeout: QUERY_TIMEOUT_MS,
    stdin: 'ignore',
    env,
    extendEnv: false,
  });
  if (result.timedOut)
    throw new InterpreterError(`${executable} did not answer within ${QUERY_TIMEOUT_MS / 1000} s`, HINT);
  if (result.exitCode !== 0 || result.failed) {
    // Not execa's shortMessage: it quotes the whole facts script, which says nothing to the user.
    const spawnCode = (result as { code?: unknown }).code;
    const why =
      String(result.stderr ?? '')
        .trim()
        .split('\n')
        .pop() ||
      (result.exitCode === undefined
        ? `it could not be started${typeof spawnCode === 'string' ? ` (${spawnCode})` : ''}`
        : `it exited with code ${result.exitCode} and printed nothing on stderr`);
    throw new InterpreterError(`${executable} could not be run: ${why}`, HINT);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(result.stdout).trim().split('\n').pop() ?? '');
  } catch {
    parsed = null;
  }
  if (!isFacts(parsed))
    throw new InterpreterError(
      `${executable} did not answer like CPython 3.8+`,
      'pass --python with a CPython 3 interpreter',
    );
  return parsed;
};

/** The variables that change the answer: where the stdlib, PYTHONPATH and the user site are. */
const FACT_ENV = [
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONUSERBASE',
  'PYTHONNOUSERSITE',
  'PYTHONSAFEPATH',
  'PYTHONPLATLIBDIR',
];

const memo = new Map<string, Promise<InterpreterFacts>>();

/** Facts about an interpreter, asked once per executable (and relevant environment) within the process. */
export const queryInterpreter = (
  executable: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InterpreterFacts> => {
  const key = JSON.stringify([executable, ...FACT_ENV.map((name) => env[name] ?? null)]);
  let pending = memo.get(key);
  if (!pending) {
    pending = ask(executable, env);
    memo.set(key, pending);
  }
  return pending;
};
