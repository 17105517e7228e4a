/**
 * A read-only site-packages. Tests run as root, and chmod does not stop root, so the directory is made
 * immutable with `chattr +i` (the kernel refuses every write, root's included: EPERM). Without root,
 * chmod 0555 is enough. Where root cannot set the flag (a filesystem without it, no
 * CAP_LINUX_IMMUTABLE in a container), the test skips and says why; the write probe inside the test
 * still fails it loudly if the lock does not hold, rather than passing vacuously.
 */
import { execa } from 'execa';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { isRoot, needsImmutableFlag, skipUnmet } from '../helpers/needs.js';
import { makeLab, snapshot, type Lab } from './env.js';

const CANNOT_LOCK = isRoot && skipUnmet('a read-only site-packages (root needs chattr +i)', needsImmutableFlag());

let lab: Lab;

const lock = async (dir: string) => {
  if (isRoot) await execa('chattr', ['+i', dir]);
  else await chmod(dir, 0o555);
};
const unlock = async (dir: string) => {
  if (isRoot) await execa('chattr', ['-i', dir], { reject: false });
  else await chmod(dir, 0o755);
};

describe.skipIf(CANNOT_LOCK)('read-only site-packages', () => {
  beforeAll(async () => {
    lab = await makeLab();
  });
  afterAll(async () => {
    if (lab) await unlock(lab.venv.sitePackages);
    await lab?.remove();
  });

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
