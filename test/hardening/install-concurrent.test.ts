/**
 * Installs racing in one environment: two different bundles started at the same instant, the same
 * bundle twice, uninstalls racing, and a racing pair where one process is SIGKILLed mid-way. Before
 * the site-dir lock (src/install/lock.ts) a second run swept the first one's temp files as a killed
 * run's leftovers, and an uninstall could remove the `__pycache__` another run was compiling into.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, snapshot, type Lab } from '../lifecycle/env.js';
import { siteViolations, STACK } from './check.js';

let lab: Lab;
let other: string;
beforeAll(async () => {
  lab = await makeLab();
  const made = await patchkit([
    'new',
    'other',
    '--target',
    'demo.user:use',
    '--python',
    lab.venv.python,
    '--out',
    lab.out,
    '--body',
    'trace',
  ]);
  expect(made.exitCode, made.stderr).toBe(0);
  other = join(lab.out, 'other');
}, 120_000);
afterAll(() => lab?.remove());

const py = () => ['--python', lab.venv.python];

interface Listed {
  bundles: { name: string; integrity: string }[];
}

const listed = async () => {
  const r = await patchkit(['list', ...py(), '--json']);
  return (JSON.parse(r.stdout) as Listed).bundles.map((b) => `${b.name}:${b.integrity}`).sort();
};

const expectCleanStart = async () => {
  const r = await lab.py('import demo.targets, demo.user; print("ok")');
  expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({
    exitCode: 0,
    stdout: 'ok',
    stderr: '',
  });
};

const ROUNDS = 5;

/** Each test starts from nothing installed, whatever an earlier failing test left behind. */
const reset = async () => {
  for (const name of ['hook', 'other']) await patchkit(['uninstall', name, ...py()]);
  return snapshot(lab.venv.sitePackages);
};

describe('concurrent installs into one environment', () => {
  it(
    `two different bundles, started together, ${ROUNDS} rounds: both installed, verified, RECORDs whole`,
    { timeout: 300_000 },
    async () => {
      const before = await reset();
      for (let round = 0; round < ROUNDS; round += 1) {
        const started = Date.now();
        const [a, b] = await Promise.all([
          patchkit(['install', lab.bundleDir, ...py()]),
          patchkit(['install', other, ...py()]),
        ]);
        expect([a.exitCode, b.exitCode], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
        console.log(`round ${round}: both installs done in ${Date.now() - started} ms`);
        expect(await siteViolations(lab.venv.sitePackages)).toEqual([]);
        expect(await listed()).toEqual(['hook:ok', 'other:ok']);
        for (const name of ['hook', 'other']) {
          const v = await patchkit(['verify', name, ...py()]);
          expect(v.exitCode, v.stdout + v.stderr).toBe(0);
        }
        await expectCleanStart();
        const [ua, ub] = await Promise.all([
          patchkit(['uninstall', 'hook', ...py()]),
          patchkit(['uninstall', 'other', ...py()]),
        ]);
        expect([ua.exitCode, ub.exitCode], `${ua.stderr}\n${ub.stderr}`).toEqual([0, 0]);
        expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
      }
    },
  );

  it(
    `the same bundle twice at once, ${ROUNDS} rounds: both succeed (one installs, one re-installs)`,
    { timeout: 300_000 },
    async () => {
      const before = await reset();
      for (let round = 0; round < ROUNDS; round += 1) {
        const runs = await Promise.all([
          patchkit(['install', lab.bundleDir, ...py()]),
          patchkit(['install', lab.bundleDir, ...py()]),
        ]);
        expect(
          runs.map((r) => r.exitCode),
          runs.map((r) => r.stderr).join('\n'),
        ).toEqual([0, 0]);
        expect(await siteViolations(lab.venv.sitePackages)).toEqual([]);
        expect(await listed()).toEqual(['hook:ok']);
        expect((await readdir(lab.venv.sitePackages)).filter((e) => e.startsWith('hook_patch-'))).toHaveLength(1);
        expect((await patchkit(['verify', 'hook', ...py()])).exitCode).toBe(0);
        // The same uninstall twice at once: one removes, the other finds nothing — never an error mid-way.
        const gone = await Promise.all([
          patchkit(['uninstall', 'hook', ...py()]),
          patchkit(['uninstall', 'hook', ...py()]),
        ]);
        const codes = gone.map((r) => r.exitCode).sort();
        expect(codes, gone.map((r) => r.stderr).join('\n')).toEqual([0, 2]);
        const loser = gone.find((r) => r.exitCode === 2);
        expect(loser?.stderr).toContain('hook is not installed');
        expect(loser?.stderr).not.toMatch(STACK);
        expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
      }
    },
  );

  it(
    'one of two racing installs SIGKILLed after step n (n = 1..14): the other finishes, the start stays clean',
    { timeout: 600_000 },
    async () => {
      const before = await reset();
      for (let n = 1; n <= 14; n += 1) {
        const [killed, survivor] = await Promise.all([
          patchkit(['install', lab.bundleDir, ...py()], {
            env: { ...process.env, PATCHKIT_TEST_CRASH_AFTER: String(n) },
          }),
          patchkit(['install', other, ...py()]),
        ]);
        expect(survivor.exitCode, `n=${n}: ${survivor.stderr}`).toBe(0);
        expect([-1, 0]).toContain(killed.exitCode);
        expect(await siteViolations(lab.venv.sitePackages, { settled: false }), `n=${n}`).toEqual([]);
        await expectCleanStart();
        // A re-run of the killed install finishes it; then both are whole.
        expect((await patchkit(['install', lab.bundleDir, ...py()])).exitCode).toBe(0);
        expect(await siteViolations(lab.venv.sitePackages)).toEqual([]);
        expect(await listed()).toEqual(['hook:ok', 'other:ok']);
        for (const name of ['hook', 'other']) {
          const u = await patchkit(['uninstall', name, ...py()]);
          expect(u.exitCode, `n=${n} uninstall ${name}: ${u.stderr}`).toBe(0);
        }
        expect(await snapshot(lab.venv.sitePackages), `n=${n}`).toEqual(before);
      }
    },
  );

  it(
    'an uninstall SIGKILLed after step n while another bundle installs: re-run finishes, nothing half-removed',
    { timeout: 600_000 },
    async () => {
      const before = await reset();
      for (let n = 1; n <= 10; n += 1) {
        expect((await patchkit(['install', lab.bundleDir, ...py()])).exitCode).toBe(0);
        const [killed, survivor] = await Promise.all([
          patchkit(['uninstall', 'hook', ...py()], { env: { ...process.env, PATCHKIT_TEST_CRASH_AFTER: String(n) } }),
          patchkit(['install', other, ...py()]),
        ]);
        expect(survivor.exitCode, `n=${n}: ${survivor.stderr}`).toBe(0);
        expect([-1, 0]).toContain(killed.exitCode);
        expect(await siteViolations(lab.venv.sitePackages, { settled: false }), `n=${n}`).toEqual([]);
        await expectCleanStart();
        const rerun = await patchkit(['uninstall', 'hook', ...py()]);
        if (rerun.exitCode !== 0) expect(rerun.stderr).toContain('hook is not installed');
        expect(await listed()).toEqual(['other:ok']);
        expect((await patchkit(['uninstall', 'other', ...py()])).exitCode).toBe(0);
        expect(await snapshot(lab.venv.sitePackages), `n=${n}`).toEqual(before);
      }
    },
  );
});
