/** verify: a real interpreter imports each sentinel; --spawn checks a multiprocessing spawn child too. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, type Lab } from './env.js';

let lab: Lab;
beforeAll(async () => {
  lab = await makeLab({ targets: ['demo.targets:add', 'demo.targets:Widget.grow', 'demo.targets:work'] });
  const r = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
  expect(r.exitCode, r.stderr).toBe(0);
});
afterAll(() => lab?.remove());

interface Report {
  ok: boolean;
  parent: { pid: number; started: boolean; targets: { key: string; state: string; reason: string | null }[] };
  child: { pid: number; started: boolean; targets: { key: string; state: string }[] } | null;
}

describe('verify', () => {
  it('reports every target applied in the parent and in a spawn child (exit 0)', async () => {
    const r = await patchkit(['verify', 'hook', '--python', lab.venv.python, '--spawn', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as Report;
    expect(data.ok).toBe(true);
    expect(data.parent.started).toBe(true);
    expect(data.parent.targets.map((t) => [t.key, t.state])).toEqual([
      ['demo.targets:add', 'applied'],
      ['demo.targets:Widget.grow', 'applied'],
      ['demo.targets:work', 'applied'],
    ]);
    expect(data.child?.started).toBe(true);
    expect(data.child?.pid).not.toBe(data.parent.pid);
    expect(data.child?.targets.every((t) => t.state === 'applied')).toBe(true);
  });

  it('exits 1 and says why when the kill switch keeps the patch out', async () => {
    const r = await patchkit(['verify', 'hook', '--python', lab.venv.python], {
      env: { ...process.env, HOOK_PATCH_DISABLE: '1' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('pending  demo.targets:add');
    expect(r.stdout).toContain('disabled');
    expect(r.stdout).toContain('NOT all targets applied');
  });

  it('exits 2 for a bundle that is not installed', async () => {
    const r = await patchkit(['verify', 'other', '--python', lab.venv.python]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('other is not installed');
  });
});
