/** install / list / uninstall in real venvs: exact removal, bytecode, reinstall, foreign files, edits. */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, snapshot, type Lab } from './env.js';

let lab: Lab;
beforeAll(async () => {
  lab = await makeLab();
});
afterAll(() => lab?.remove());

const site = () => lab.venv.sitePackages;
const distInfos = async () => (await readdir(site())).filter((e) => e.startsWith('hook_patch-'));

describe('install, list, uninstall', () => {
  it('installs byte-compiled files, applies the patch, and uninstall restores site-packages exactly', async () => {
    const before = await snapshot(site());
    // Containers set PYTHONDONTWRITEBYTECODE; the install must compile anyway.
    const r = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python, '--json'], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const data = JSON.parse(r.stdout) as { siteDir: string; written: string[]; compiled: string[] };
    expect(data.siteDir).toBe(site());
    const files = data.written.filter((p) => !p.includes('/'));
    // The modules before the start-up hooks that import them.
    expect(files).toEqual([
      'hook_patch_loader.py',
      'hook_patch_core.py',
      'hook_patch_injector.py',
      'hook_patch_injector.pth',
      'hook_patch_injector.start',
    ]);
    expect(data.compiled.sort()).toEqual([
      expect.stringMatching(/^__pycache__\/hook_patch_core\.cpython-\d+\.pyc$/),
      expect.stringMatching(/^__pycache__\/hook_patch_injector\.cpython-\d+\.pyc$/),
      expect.stringMatching(/^__pycache__\/hook_patch_loader\.cpython-\d+\.pyc$/),
    ]);
    for (const pyc of data.compiled) expect((await readFile(join(site(), pyc))).length).toBeGreaterThan(100);

    const applied = await lab.py('import json, demo.targets, hook_patch_loader as l; print(json.dumps(l.report()))');
    expect(applied.stderr).toBe('');
    expect(Object.values(JSON.parse(applied.stdout) as Record<string, { state: string }>).map((v) => v.state)).toEqual([
      'applied',
      'applied',
    ]);

    const listed = await patchkit(['list', '--python', lab.venv.python, '--json']);
    expect(listed.exitCode).toBe(0);
    const list = JSON.parse(listed.stdout) as {
      bundles: { name: string; installer: string; integrity: string; targets: string[] }[];
    };
    expect(list.bundles).toHaveLength(1);
    expect(list.bundles[0]).toMatchObject({ name: 'hook', installer: 'patchkit', integrity: 'ok' });
    expect(list.bundles[0].targets).toEqual(['demo.targets:add', 'demo.targets:Widget.grow']);

    const un = await patchkit(['uninstall', 'hook', '--python', lab.venv.python]);
    expect(un.exitCode).toBe(0);
    expect(un.stdout.split('\n').slice(1, 3)).toEqual(['  hook_patch_injector.pth', '  hook_patch_injector.start']);
    expect(await snapshot(site())).toEqual(before);
    expect((await lab.py('import demo.targets')).stderr).toBe('');
  });

  it('reinstalling a changed bundle replaces the old version cleanly', async () => {
    const before = await snapshot(site());
    expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
    const [first] = await distInfos();
    const core = join(lab.bundleDir, 'hook_patch_core.py');
    const original = await readFile(core, 'utf8');
    await writeFile(core, `${original}\n# a local change\n`);
    try {
      const again = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python, '--json']);
      expect(again.stderr).toBe('');
      expect(again.exitCode).toBe(0);
      expect((JSON.parse(again.stdout) as { replacedVersions: string[] }).replacedVersions).toEqual([
        first.replace('hook_patch-', '').replace('.dist-info', ''),
      ]);
      const now = await distInfos();
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(first);
      expect(await readFile(join(site(), 'hook_patch_core.py'), 'utf8')).toContain('# a local change');
      expect((await patchkit(['list', '--python', lab.venv.python])).exitCode).toBe(0);
    } finally {
      await writeFile(core, original);
    }
    expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
    expect(await snapshot(site())).toEqual(before);
  });

  it('list flags a file edited after install (exit 1); reinstall refuses to overwrite the edit without --force', async () => {
    expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
    const core = join(site(), 'hook_patch_core.py');
    await writeFile(core, `${await readFile(core, 'utf8')}\n# hot fix in site-packages\n`);
    const listed = await patchkit(['list', '--python', lab.venv.python]);
    expect(listed.exitCode).toBe(1);
    expect(listed.stdout).toContain('FILES MODIFIED');
    expect(listed.stdout).toContain('modified: hook_patch_core.py');

    const refused = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('hook_patch_core.py: edited after patchkit installed it');
    expect(await readFile(core, 'utf8')).toContain('# hot fix in site-packages');

    expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python, '--force'])).exitCode).toBe(0);
    expect(await readFile(core, 'utf8')).not.toContain('# hot fix');
    expect((await patchkit(['list', '--python', lab.venv.python])).exitCode).toBe(0);
    expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
  });

  it('refuses a foreign file in the way, leaves it untouched, and takes it over only with --force', async () => {
    const before = await snapshot(site());
    const foreign = join(site(), 'hook_patch_loader.py');
    await writeFile(foreign, '# somebody else wrote this\n');
    const refused = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('hook_patch_loader.py: not written by patchkit');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(foreign, 'utf8')).toBe('# somebody else wrote this\n');
    // Nothing else was written: no dist-info, no .pth.
    expect(await distInfos()).toEqual([]);
    expect((await readdir(site())).filter((e) => e.startsWith('hook_patch_injector'))).toEqual([]);

    const forced = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python, '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('--force replaced hook_patch_loader.py');
    expect((await patchkit(['uninstall', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);
    const after = await snapshot(site());
    expect(after).toEqual(before.filter((line) => !line.startsWith('hook_patch_loader.py ')));
  });

  it('uninstall of a bundle that is not installed is a clear error (exit 2)', async () => {
    const r = await patchkit(['uninstall', 'hook', '--python', lab.venv.python]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('hook is not installed');
  });
});
