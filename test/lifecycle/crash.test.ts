/**
 * An install, a reinstall and an uninstall killed (SIGKILL) after each of their filesystem steps:
 * PATCHKIT_TEST_CRASH_AFTER=<n> makes the install code kill its own process after step n. After every
 * kill the interpreter must start — and import the patched package — with empty stderr, and the next
 * patchkit run must finish or undo the job, leaving site-packages exactly as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, snapshot, type Lab } from './env.js';

let lab: Lab;
beforeAll(async () => {
  lab = await makeLab();
});
afterAll(() => lab?.remove());

const crashing = (n: number) => ({ env: { ...process.env, PATCHKIT_TEST_CRASH_AFTER: String(n) } });

/** The interpreter starts and imports the sentinel without a word on stderr. */
const expectCleanStart = async (label: string) => {
  const r = await lab.py('import demo.targets; print("ok")');
  expect({ label, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({
    label,
    exitCode: 0,
    stdout: 'ok',
    stderr: '',
  });
};

/** Runs `args` killed after step 1, 2, … until a run completes; returns how many steps were killed. */
const killAtEveryStep = async (args: string[], after: (n: number) => Promise<void>): Promise<number> => {
  for (let n = 1; n < 60; n += 1) {
    const r = await patchkit(args, crashing(n));
    if (r.exitCode === 0) return n - 1;
    expect(r.exitCode, `run killed at step ${n}: ${r.stderr}`).toBe(-1); // execa: killed by a signal
    await after(n);
  }
  throw new Error('never completed');
};

describe('killed between writes', () => {
  it(
    'a fresh install killed at any step: clean start, then a re-run installs and uninstall restores everything',
    { timeout: 300_000 },
    async () => {
      const before = await snapshot(lab.venv.sitePackages);
      const killed = await killAtEveryStep(['install', lab.bundleDir, '--python', lab.venv.python], async (n) => {
        await expectCleanStart(`install killed after step ${n}`);
        const rerun = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
        expect(rerun.exitCode, rerun.stderr).toBe(0);
        expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
        expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
      });
      expect(killed).toBeGreaterThanOrEqual(12); // every file is two steps (temp written, renamed)
      expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
      expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
    },
  );

  it('an uninstall killed at any step: clean start, and a re-run removes the rest', { timeout: 300_000 }, async () => {
    const before = await snapshot(lab.venv.sitePackages);
    const install = async () =>
      expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
    await install();
    const killed = await killAtEveryStep(['uninstall', 'hook', '--python', lab.venv.python], async (n) => {
      await expectCleanStart(`uninstall killed after step ${n}`);
      const rerun = await patchkit(['uninstall', 'hook', '--python', lab.venv.python]);
      // Killed after its very last step, the first run had nothing left to do.
      if (rerun.exitCode !== 0) expect(rerun.stderr).toContain('hook is not installed');
      expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
      await install();
    });
    expect(killed).toBeGreaterThanOrEqual(8);
    expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
  });

  it(
    'a reinstall of a changed bundle killed at any step: clean start, and the re-run leaves one version',
    { timeout: 300_000 },
    async () => {
      const before = await snapshot(lab.venv.sitePackages);
      const core = join(lab.bundleDir, 'hook_patch_core.py');
      const original = await readFile(core, 'utf8');
      let version = 1;
      // Each killed run replaces the installed version with the other one.
      const flip = async () => {
        version = 3 - version;
        await writeFile(core, version === 1 ? original : `${original}\n# version 2\n`);
      };
      try {
        expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
        await flip();
        await killAtEveryStep(['install', lab.bundleDir, '--python', lab.venv.python], async (n) => {
          await expectCleanStart(`reinstall killed after step ${n}`);
          expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
          const list = JSON.parse((await patchkit(['list', '--python', lab.venv.python, '--json'])).stdout) as {
            bundles: { integrity: string; version: string }[];
          };
          expect(list.bundles.map((b) => b.integrity)).toEqual(['ok']);
          await flip();
        });
        expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
        expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
      } finally {
        await writeFile(core, original);
      }
    },
  );
});
