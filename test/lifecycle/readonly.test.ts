/**
 * A read-only site-packages. Tests run as root, and chmod does not stop root, so the directory is made
 * immutable with `chattr +i` (the kernel refuses every write, root's included: EPERM). Without root,
 * chmod 0555 is enough. If neither works here (a filesystem without the immutable flag, no
 * CAP_LINUX_IMMUTABLE), the probe below fails loudly rather than the test passing vacuously.
 */
import { execa } from 'execa';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, snapshot, type Lab } from './env.js';

let lab: Lab;
const isRoot = process.getuid?.() === 0;

const lock = async (dir: string) => {
  if (isRoot) await execa('chattr', ['+i', dir]);
  else await chmod(dir, 0o555);
};
const unlock = async (dir: string) => {
  if (isRoot) await execa('chattr', ['-i', dir], { reject: false });
  else await chmod(dir, 0o755);
};

beforeAll(async () => {
  lab = await makeLab();
});
afterAll(async () => {
  if (lab) await unlock(lab.venv.sitePackages);
  await lab?.remove();
});

describe('read-only site-packages', () => {
  it('refuses with a clear message and a way out, and writes nothing', async () => {
    const site = lab.venv.sitePackages;
    const before = await snapshot(site);
    await lock(site);
    try {
      // The lock must really hold, or this test proves nothing.
      await expect(writeFile(join(site, 'probe.txt'), 'x')).rejects.toMatchObject({
        code: expect.stringMatching(/EPERM|EACCES/),
      });
      const r = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`cannot write to ${site}`);
      expect(r.stderr).toContain('read-only');
      expect(r.stderr).toMatch(/make .* writable, or create another venv/);
      expect(r.stdout).toBe('');
    } finally {
      await unlock(site);
    }
    expect(await snapshot(site)).toEqual(before);
    expect((await readdir(site)).some((e) => e.includes('patchkit'))).toBe(false);
  });
});
