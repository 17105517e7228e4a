/**
 * Byte-compiling with the target interpreter. `-I` ignores PYTHONDONTWRITEBYTECODE and
 * PYTHONPYCACHEPREFIX (containers set the first; an uncompiled loader is recompiled at every
 * interpreter start, and a prefix would put the .pyc where other interpreters do not look); `-S` keeps
 * every .pth — ours included — from running while we compile.
 */
import { execa } from 'execa';
import { EnvironmentError, ValidationError } from '../errors.js';

const CHECK = String.raw`
import sys, json
bad = []
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            compile(f.read(), path, "exec", dont_inherit=True)
    except SyntaxError as e:
        bad.append("%s:%s: %s" % (path, e.lineno, e.msg))
print(json.dumps(bad))
`;

const COMPILE = String.raw`
import sys, json, py_compile
print(json.dumps([py_compile.compile(p, doraise=True) for p in sys.argv[1:]]))
`;

const lastLine = (text: unknown) =>
  String(text ?? '')
    .trim()
    .split('\n')
    .pop() ?? '';

/** Runs `script`; its last stdout line must be JSON of the expected shape, or the interpreter is broken. */
const runJson = async <T>(python: string, script: string, args: string[], ok: (v: unknown) => v is T): Promise<T> => {
  const r = await execa(python, ['-I', '-S', '-c', script, ...args], { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    const why =
      lastLine(r.stderr) || (r.exitCode === undefined ? 'it could not be started' : `exit code ${r.exitCode}`);
    throw new EnvironmentError(`${python} failed while compiling: ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(lastLine(r.stdout));
  } catch {
    value = undefined;
  }
  if (!ok(value))
    throw new EnvironmentError(
      `${python} answered nonsense while compiling: ${JSON.stringify(lastLine(r.stdout).slice(0, 200))}`,
      'check that --python is a working CPython 3.8+',
    );
  return value;
};

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Refuses a bundle whose Python does not compile for the target interpreter, before anything is written. */
export const checkSyntax = async (python: string, paths: string[]): Promise<void> => {
  const bad = await runJson(python, CHECK, paths, isStrings);
  if (bad.length > 0)
    throw new ValidationError(`the bundle does not compile for ${python}:\n  ${bad.join('\n  ')}`, 'fix the bundle');
};

/** Compiles installed files in place; returns the absolute paths of the .pyc files written. */
export const byteCompile = (python: string, paths: string[]): Promise<string[]> =>
  runJson(python, COMPILE, paths, isStrings);
