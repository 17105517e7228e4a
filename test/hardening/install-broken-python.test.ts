/**
 * `install` (and `uninstall`) against an environment whose python is broken: a script that exits 1
 * silently, one that prints a traceback, one that prints garbage, an ELF-looking file the kernel
 * cannot run, a dangling symlink (a venv whose base interpreter was removed), a missing file, and a
 * python that answers the facts query but prints garbage when asked to compile. Each must exit 2 with
 * a message naming the interpreter and no stack trace, and site-packages must be untouched.
 */
import { chmod, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, snapshot, type Lab } from '../lifecycle/env.js';
import { STACK } from './check.js';

let lab: Lab;
let bin: string;
beforeAll(async () => {
  lab = await makeLab();
  bin = join(lab.out, 'broken-bin');
  await mkdir(bin);
  const script = async (name: string, body: string) => {
    await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(bin, name), 0o755);
  };
  await script('exit1', 'exit 1');
  await script(
    'traceback',
    'echo "Traceback (most recent call last):" >&2; echo "ModuleNotFoundError: No module named encodings" >&2; exit 1',
  );
  await script('garbage', 'echo garbage; echo "{not json"');
  // Answer the facts query (and take the lock) like the real venv python, print garbage otherwise.
  await script('halfbroken', `case "$*" in *sysconfig*|*fcntl*) exec ${lab.venv.python} "$@";; esac\necho garbage`);
  await script('nolock', `case "$*" in *sysconfig*) exec ${lab.venv.python} "$@";; esac\necho garbage`);
  await writeFile(join(bin, 'badelf'), '\x7fELF garbage');
  await chmod(join(bin, 'badelf'), 0o755);
  await writeFile(join(bin, 'noexec'), 'print(1)\n');
  await symlink('/nonexistent/python3.99', join(bin, 'dangling'));
}, 120_000);
afterAll(() => lab?.remove());

const cases: [string, RegExp][] = [
  ['exit1', /exit1 could not be run: it exited with code 1 and printed nothing on stderr/],
  ['traceback', /traceback could not be run: ModuleNotFoundError: No module named encodings/],
  ['garbage', /garbage did not answer like CPython 3\.8\+/],
  ['badelf', /badelf (could not be run|did not answer like CPython)/],
  ['noexec', /interpreter is not an executable file: .*noexec/],
  ['dangling', /dangling \(--python\) is a symlink to \/nonexistent\/python3\.99, which does not exist/],
  ['missing', /interpreter not found: .*missing \(--python\)/],
  ['halfbroken', /halfbroken answered nonsense while compiling: "garbage"/],
  ['nolock', /cannot lock .*: .*nolock exited \(code 0\) without taking the lock/],
];

describe('a broken or missing python', () => {
  for (const [name, message] of cases) {
    it(`install with ${name}: exit 2, a clear message, nothing written`, async () => {
      const before = await snapshot(lab.venv.sitePackages);
      const r = await patchkit(['install', lab.bundleDir, '--python', join(bin, name)]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).not.toContain('import sys'); // never the facts script quoted back
      expect(r.stderr.length).toBeLessThan(600);
      expect(r.stdout).toBe('');
      expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
      expect((await readdir(lab.venv.sitePackages)).some((e) => e.startsWith('hook_patch'))).toBe(false);
    });
  }

  it('uninstall with a broken python leaves an installed bundle alone', async () => {
    expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
    const before = await snapshot(lab.venv.sitePackages);
    // halfbroken is left out: uninstall compiles nothing, so with a lock and facts it works.
    for (const [name, message] of cases.filter(([n]) => n !== 'halfbroken')) {
      const r = await patchkit(['uninstall', 'hook', '--python', join(bin, name)]);
      expect(r.exitCode, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
      expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
    }
    expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
  });
});
