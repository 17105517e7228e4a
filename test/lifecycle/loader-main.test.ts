/**
 * On a cluster node without Node: a bundle built as a wheel with a release version and a pin,
 * installed with pip, and `python -m <name>_patch_loader [--spawn]` printing every target's state
 * (exit 0 only when all are applied, here and in a spawn child), with and without a missing target.
 */
import { execa } from 'execa';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { FIXTURE_SITE } from '../generate/bundle.js';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, tempDir, type Venv } from '../helpers/python.js';

let venv: Venv;
let work: string;
let wheel: string;

beforeAll(async () => {
  venv = await makeVenv({ withPip: true });
  await cp(FIXTURE_SITE, venv.sitePackages, { recursive: true });
  const info = join(venv.sitePackages, 'demo-1.0.dist-info');
  await mkdir(info);
  await writeFile(join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n');
  await writeFile(join(info, 'top_level.txt'), 'demo\n');
  work = await tempDir('patchkit-loader-main-');
  const made = await patchkit([
    'new',
    'st',
    '--target',
    'demo.targets:add',
    '--target',
    'demo.targets:boom',
    '--python',
    venv.python,
    '--out',
    work,
  ]);
  expect(made.exitCode, made.stderr).toBe(0);
  const built = await patchkit([
    'build',
    join(work, 'st'),
    '--out',
    join(work, 'dist'),
    '--version',
    '1.2.3',
    '--pin',
    '--json',
  ]);
  expect(built.exitCode, built.stderr).toBe(0);
  wheel = (JSON.parse(built.stdout) as { path: string }).path;
  const pip = await execa(venv.python, ['-m', 'pip', 'install', '--no-index', '--no-deps', wheel], { reject: false });
  expect(pip.exitCode, String(pip.stderr)).toBe(0);
}, 180_000);
afterAll(async () => {
  await venv?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('python -m <name>_patch_loader', () => {
  it('the wheel carries the release version, the pin and the target it was made for', async () => {
    expect(wheel.endsWith('st_patch-1.2.3-py3-none-any.whl')).toBe(true);
    const files = unzipSync(new Uint8Array(await readFile(wheel)));
    const metadata = Buffer.from(files['st_patch-1.2.3.dist-info/METADATA']).toString('utf8');
    expect(metadata).toContain('Version: 1.2.3\n');
    expect(metadata).toContain('Requires-Dist: demo==1.0\n');
    expect(metadata).toContain('Target: demo 1.0, the distribution and version the bundle was generated for.');
    const refused = await patchkit(['build', join(work, 'st'), '--out', join(work, 'dist'), '--version', '1.2.3-x']);
    expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringContaining('is not a PEP 440 version')]);
  });

  it('all applied, here and in a spawn child: exit 0', async () => {
    const r = await execa(venv.python, ['-m', 'st_patch_loader', '--spawn'], { reject: false });
    expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
    const lines = String(r.stdout).split('\n');
    expect(lines[0]).toMatch(/^st patch bundle, policy warn \(pid \d+\):$/);
    expect(lines.filter((l) => /^ {2}applied {2}demo\.targets:(add|boom)$/.test(l))).toHaveLength(4);
    expect(lines).toContain('all targets applied');
    expect(lines.some((l) => /^spawn child \(pid \d+\):$/.test(l))).toBe(true);
  });

  it('a target gone after an upgrade: its state and reason, exit 1', async () => {
    const targets = join(venv.sitePackages, 'demo', 'targets.py');
    const before = await readFile(targets, 'utf8');
    await writeFile(targets, before.replace('def boom():', 'def boom_renamed():'));
    try {
      const r = await execa(venv.python, ['-m', 'st_patch_loader'], { reject: false });
      expect(r.exitCode).toBe(1);
      expect(String(r.stdout)).toContain(
        '  error    demo.targets:boom  (boom is gone from demo.targets (package changed?))',
      );
      expect(String(r.stdout)).toContain('  applied  demo.targets:add');
      expect(String(r.stdout).trim().split('\n').pop()).toBe('1 of 2 target states not applied');
    } finally {
      await writeFile(targets, before);
      for (const f of await readdir(join(venv.sitePackages, 'demo', '__pycache__')).catch(() => []))
        await rm(join(venv.sitePackages, 'demo', '__pycache__', f), { force: true });
    }
  });
});
