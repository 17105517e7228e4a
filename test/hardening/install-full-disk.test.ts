/**
 * A full disk: the venv's site-packages is a 1 MiB tmpfs (tests run as root; where `mount` is refused
 * here — not root, or a container without CAP_SYS_ADMIN — the tests skip and say why; if the mount
 * still fails in beforeAll, every test fails: it never passes vacuously). A filler file leaves
 * 0, 4, 8 … KiB free, and `install` runs at each level until one succeeds: every failing run must exit
 * 2 with "no space left on device", leave site-packages exactly as it was, and the interpreter must
 * still start cleanly. Then: a reinstall of a changed bundle on a full disk, and an uninstall on a
 * full disk.
 */
import { execa } from 'execa';
import { statfsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { needsTmpfsMount, skipUnmet } from '../helpers/needs.js';
import { makeLab, snapshot, type Lab } from '../lifecycle/env.js';
import { siteViolations, STACK } from './check.js';

const NO_TMPFS = skipUnmet('install on a full disk (a 1 MiB tmpfs site-packages)', needsTmpfsMount());

let lab: Lab;
let mounted = false;
const FILLER = 'zz-filler.bin';

const mountSite = async () => {
  lab = await makeLab();
  const site = lab.venv.sitePackages;
  const saved = await mkdtemp(join(tmpdir(), 'patchkit-site-copy-'));
  await cp(site, saved, { recursive: true });
  const m = await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', site], { reject: false });
  if (m.exitCode !== 0) throw new Error(`cannot mount a tmpfs (this test needs root): ${m.stderr}`);
  mounted = true;
  await cp(saved, site, { recursive: true });
  await rm(saved, { recursive: true, force: true });
};

const unmountSite = async () => {
  if (mounted) await execa('umount', ['-l', lab.venv.sitePackages], { reject: false });
  await lab?.remove();
};

const py = () => ['--python', lab.venv.python];
const avail = () => {
  const s = statfsSync(lab.venv.sitePackages);
  return s.bavail * s.bsize;
};

/** Leaves `free` bytes free (page-rounded by tmpfs), by resizing the filler file. */
const fillLeaving = async (free: number) => {
  await writeFile(join(lab.venv.sitePackages, FILLER), '');
  const size = Math.max(0, avail() - free);
  await writeFile(join(lab.venv.sitePackages, FILLER), Buffer.alloc(size));
  expect(Math.abs(avail() - free)).toBeLessThanOrEqual(4096);
};

const expectCleanStart = async () => {
  const r = await execa(lab.venv.python, ['-c', 'import demo.targets; print("ok")'], {
    reject: false,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  });
  expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({
    exitCode: 0,
    stdout: 'ok',
    stderr: '',
  });
};

describe.skipIf(NO_TMPFS)('install on a full disk', () => {
  beforeAll(mountSite, 120_000);
  afterAll(unmountSite);

  it('fails cleanly at every free-space level until the bundle fits', async () => {
    let failures = 0;
    let fitAt = -1;
    for (let free = 0; free <= 256 * 1024; free += 4096) {
      await fillLeaving(free);
      const before = await snapshot(lab.venv.sitePackages);
      const r = await patchkit(['install', lab.bundleDir, ...py()]);
      if (r.exitCode === 0) {
        fitAt = free;
        break;
      }
      failures += 1;
      expect(r.exitCode, `free=${free}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/no space left on device/i);
      expect(r.stderr).toMatch(/nothing was left behind/);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stdout).toBe('');
      expect(await snapshot(lab.venv.sitePackages), `free=${free}`).toEqual(before);
      expect(await siteViolations(lab.venv.sitePackages)).toEqual([]);
      await expectCleanStart();
    }
    console.log(`install failed cleanly ${failures} times; it fitted with ${fitAt} bytes free`);
    expect(failures).toBeGreaterThanOrEqual(3); // the disk really was too full for several levels
    expect(fitAt).toBeGreaterThan(0);
    expect(await siteViolations(lab.venv.sitePackages)).toEqual([]);
    expect((await patchkit(['verify', 'hook', ...py()])).exitCode).toBe(0);
    expect((await patchkit(['uninstall', 'hook', ...py()])).exitCode).toBe(0);
  });

  it('a reinstall of a changed bundle on a full disk: the old version stays whole, or the bundle is gone', async () => {
    await fillLeaving(256 * 1024);
    expect((await patchkit(['install', lab.bundleDir, ...py()])).exitCode).toBe(0);
    const core = join(lab.bundleDir, 'hook_patch_core.py');
    const original = await readFile(core, 'utf8');
    const outcomes = new Set<string>();
    try {
      await writeFile(core, `${original}\n# version 2: ${'x'.repeat(30_000)}\n`);
      for (let free = 0; free <= 64 * 1024; free += 8192) {
        await fillLeaving(free);
        const r = await patchkit(['install', lab.bundleDir, ...py()]);
        if (r.exitCode === 0) break;
        expect(r.exitCode, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/no space left on device/i);
        expect(r.stderr).not.toMatch(STACK);
        expect(await siteViolations(lab.venv.sitePackages)).toEqual([]);
        const list = JSON.parse((await patchkit(['list', ...py(), '--json'])).stdout) as {
          bundles: { integrity: string }[];
        };
        if (/is unchanged/.test(r.stderr)) {
          outcomes.add('old version kept');
          expect(list.bundles.map((b) => b.integrity)).toEqual(['ok']);
        } else {
          outcomes.add('bundle removed');
          expect(r.stderr).toMatch(/hook was removed \(the previous version .* too\)/);
          expect(list.bundles).toEqual([]);
        }
        await expectCleanStart();
        // Back to version 1 installed, with room, for the next level.
        await fillLeaving(256 * 1024);
        await writeFile(core, original);
        expect((await patchkit(['install', lab.bundleDir, ...py()])).exitCode).toBe(0);
        await writeFile(core, `${original}\n# version 2: ${'x'.repeat(30_000)}\n`);
      }
    } finally {
      await writeFile(core, original);
    }
    console.log(`reinstall on a full disk: ${[...outcomes].join(', ')}`);
    expect(outcomes.size).toBeGreaterThan(0);
    await fillLeaving(256 * 1024);
    expect((await patchkit(['uninstall', 'hook', ...py()])).exitCode).toBe(0);
  });

  it('an uninstall on a completely full disk removes everything', async () => {
    await fillLeaving(256 * 1024);
    const before = await snapshot(lab.venv.sitePackages);
    expect((await patchkit(['install', lab.bundleDir, ...py()])).exitCode).toBe(0);
    await fillLeaving(0);
    const withFiller = (await snapshot(lab.venv.sitePackages)).filter((e) => !e.startsWith(FILLER));
    expect(withFiller.length).toBeGreaterThan(before.length - 1);
    const r = await patchkit(['uninstall', 'hook', ...py()]);
    expect(r.exitCode, r.stderr).toBe(0);
    const after = (await snapshot(lab.venv.sitePackages)).filter((e) => !e.startsWith(FILLER));
    expect(after).toEqual(before.filter((e) => !e.startsWith(FILLER)));
    await expectCleanStart();
  });
});
