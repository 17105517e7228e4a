/**
 * What some tests need that a machine may lack: an interpreter version, Debian's /usr/bin/python3 and
 * its apt packages, CPython's own test suite, root and what root can do in a container (run a process
 * as nobody, mount a tmpfs, set the immutable flag). Each check returns null when the need is met, or
 * the reason it is not; `skipUnmet` prints that reason (vitest shows a file's stderr in its output),
 * so a skip is never silent. `.ci/run` installs the apt packages and runs as root, so CI skips none.
 * The checks run once per test file, at collection, and never import anything from a package.
 */
import { execaSync } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from './python.js';

/** null: met; otherwise why not. */
export type Unmet = string | null;

/** Prints `skipped: <what>: <reason>` and returns true when the need is unmet: for `it.skipIf(...)`. */
export const skipUnmet = (what: string, reason: Unmet): boolean => {
  if (reason !== null) console.warn(`skipped: ${what}: ${reason}`);
  return reason !== null;
};

const run = (file: string, args: string[]) => {
  try {
    const r = execaSync(file, args, { reject: false, stdin: 'ignore', timeout: 30_000 });
    return { ok: r.exitCode === 0, stdout: String(r.stdout).trim(), stderr: String(r.stderr).trim() };
  } catch (error) {
    return { ok: false, stdout: '', stderr: (error as Error).message };
  }
};

/** `python -S`: facts about the interpreter only, nothing from site-packages runs. */
const pythonFact = (python: string, expression: string): string | null => {
  const r = run(python, ['-S', '-c', `import sys, sysconfig; print(${expression})`]);
  return r.ok ? r.stdout : null;
};

export const isRoot = process.getuid?.() === 0;

export const needsRoot = (): Unmet => (isRoot ? null : 'needs root (tests run as root in CI)');

/** Debian's interpreter and the dist-packages apt installs into. */
export const needsDebianPython = (): Unmet =>
  existsSync(SYSTEM_PYTHON) && existsSync('/usr/lib/python3/dist-packages')
    ? null
    : `no Debian ${SYSTEM_PYTHON} with /usr/lib/python3/dist-packages on this machine`;

/** An apt-installed package that Debian's python3 sees (`python3-django` installs `django`). */
export const needsDebianPackage = (module: string, apt: string): Unmet =>
  needsDebianPython() ??
  (existsSync(`/usr/lib/python3/dist-packages/${module}`)
    ? null
    : `Debian's ${apt} is not installed (apt-get install ${apt}; .ci/run does)`);

/** The interpreter at `path`, e.g. a pyenv version. */
export const needsInterpreter = (path: string | null, what: string): Unmet =>
  path && existsSync(path) ? null : `no ${what} on this machine${path ? ` (looked for ${path})` : ''}`;

/** `python -m venv` with pip: ensurepip, which Debian ships apart (python3-venv). */
export const needsEnsurepip = (python: string): Unmet =>
  run(python, ['-S', '-c', 'import ensurepip']).ok
    ? null
    : `${python} has no ensurepip, so its venvs get no pip (on Debian: apt-get install python3-venv; .ci/run does)`;

/** CPython's own test suite (Lib/test), which distributions often ship apart (Debian: libpython3.X-testsuite). */
export const needsCpythonTestSuite = (python: string): Unmet => {
  const stdlib = pythonFact(python, 'sysconfig.get_paths()["stdlib"]');
  if (stdlib === null) return `${python} does not run`;
  if (existsSync(join(stdlib, 'test', 'test_grammar.py'))) return null;
  const version = pythonFact(python, '"%d.%d" % sys.version_info[:2]');
  return `${python} has no CPython test suite in ${join(stdlib, 'test')} (on Debian: apt-get install libpython${version}-testsuite)`;
};

/** `runuser -u nobody` works and the interpreter can be run as nobody. */
export const needsRunAsNobody = (python: string): Unmet => {
  const root = needsRoot();
  if (root) return root;
  const r = run('runuser', ['-u', 'nobody', '--', python, '-c', 'import os; print(os.getuid())']);
  if (!r.ok) return `cannot run ${python} as nobody with runuser: ${r.stderr.split('\n')[0] || 'failed'}`;
  return r.stdout === '0' ? 'runuser -u nobody still ran as uid 0' : null;
};

/** A scratch directory for a probe, removed afterwards whatever happens. */
const probeDir = <T>(use: (dir: string) => T): T => {
  const dir = mkdtempSync(join(tmpdir(), 'patchkit-probe-'));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Root may still be refused `mount` in a container (no CAP_SYS_ADMIN). */
export const needsTmpfsMount = (): Unmet =>
  needsRoot() ??
  probeDir((dir) => {
    const m = run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    if (!m.ok) return `cannot mount a tmpfs here: ${m.stderr.split('\n')[0] || 'mount failed'}`;
    run('umount', ['-l', dir]);
    return null;
  });

/** chattr +i: needs CAP_LINUX_IMMUTABLE and a filesystem with the flag (not tmpfs, not overlayfs). */
export const needsImmutableFlag = (): Unmet =>
  needsRoot() ??
  probeDir((dir) => {
    const set = run('chattr', ['+i', dir]);
    run('chattr', ['-i', dir]);
    return set.ok ? null : `chattr +i refused here: ${set.stderr.split('\n')[0] || 'failed'}`;
  });
