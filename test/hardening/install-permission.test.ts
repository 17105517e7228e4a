/**
 * A site-packages the user may not write: root owns it (0755) and patchkit runs as `nobody` through
 * `runuser` (tests run as root; readonly.test.ts covers the immutable flag, which stops root too).
 * The venv is made from /usr/bin/python3, which `nobody` can run (the pyenv one lives under /root).
 * Where this machine cannot run it as nobody (not root, no runuser, no Debian python), the tests skip
 * and say why.
 */
import { execa } from 'execa';
import { chmod, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, patchkit } from '../helpers/cli.js';
import { needsRunAsNobody, skipUnmet } from '../helpers/needs.js';
import { makeVenv, SYSTEM_PYTHON, type Venv } from '../helpers/python.js';
import { DEMO_SITE, snapshot } from '../lifecycle/env.js';
import { STACK } from './check.js';

const CANNOT = skipUnmet('a site-packages the user may not write (install as nobody)', needsRunAsNobody(SYSTEM_PYTHON));

let venv: Venv;
let out: string;
const setUp = async () => {
  venv = await makeVenv({ python: SYSTEM_PYTHON });
  await cp(DEMO_SITE, venv.sitePackages, { recursive: true });
  out = await mkdtemp(join(tmpdir(), 'patchkit-perm-'));
  const made = await patchkit(['new', 'hook', '--target', 'demo.targets:add', '--python', venv.python, '--out', out]);
  expect(made.exitCode, made.stderr).toBe(0);
  // mkdtemp makes 0700 dirs: nobody must be able to reach the venv and read the bundle.
  for (const dir of [venv.dir, out]) await chmod(dir, 0o755);
  const probe = await execa('runuser', ['-u', 'nobody', '--', venv.python, '-c', 'import os; print(os.getuid())'], {
    reject: false,
  });
  if (probe.exitCode !== 0 || probe.stdout.trim() === '0')
    throw new Error(`cannot run the venv's python as nobody here: ${probe.stderr}`);
};
const tearDown = async () => {
  await venv?.remove();
  if (out) await rm(out, { recursive: true, force: true });
};

const asNobody = (args: string[]) =>
  execa('runuser', ['-u', 'nobody', '--', process.execPath, binPath, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', HOME: '/tmp', PATH: process.env.PATH ?? '' },
    extendEnv: false,
  });

describe.skipIf(CANNOT)('a site-packages the user may not write', () => {
  beforeAll(setUp, 120_000);
  afterAll(tearDown);

  it('install as nobody: exit 2, "permission denied", a way out, nothing written', async () => {
    const before = await snapshot(venv.sitePackages);
    const r = await asNobody(['install', join(out, 'hook'), '--python', venv.python]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toContain(`cannot write to ${venv.sitePackages} (EACCES)`);
    expect(r.stderr).toMatch(/read-only for this user \(uid \d+: permission denied\)/);
    expect(r.stderr).toMatch(/make .* writable, or create another venv/);
    expect(r.stderr).not.toMatch(STACK);
    expect(await snapshot(venv.sitePackages)).toEqual(before);
    expect((await readdir(venv.sitePackages)).some((e) => e.includes('patchkit') || e.startsWith('hook_'))).toBe(false);
  });

  it('uninstall as nobody of a bundle root installed: exit 2, nothing removed', async () => {
    expect((await patchkit(['install', join(out, 'hook'), '--python', venv.python])).exitCode).toBe(0);
    const before = await snapshot(venv.sitePackages);
    const r = await asNobody(['uninstall', 'hook', '--python', venv.python]);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    expect(r.stderr).toMatch(/cannot uninstall hook: permission denied \(EACCES: .*hook_patch_injector\.pth\)/);
    expect(r.stderr).toMatch(/run patchkit uninstall hook again to finish/);
    expect(r.stderr).not.toMatch(STACK);
    expect(await snapshot(venv.sitePackages)).toEqual(before);
    expect((await patchkit(['uninstall', 'hook', '--python', venv.python])).exitCode).toBe(0);
  });
});
