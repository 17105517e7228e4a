/**
 * Two bundles on one target, in one environment: both apply, in the stated order (the bundle whose
 * `.pth` sorts later wraps the other's patch), each bundle's generated test passes, and neither sees
 * drift that did not happen — each looks at its own layer only. And the `arguments()` helper a
 * wrapper may call.
 */
import { execa } from 'execa';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pthRuntimeFiles, bundleFileNames } from '../../src/generate/manifest.js';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, tempDir, type Venv } from '../helpers/python.js';
import { FIXTURE_SITE } from './bundle.js';

let venv: Venv;
let out: string;

const make = async (name: string, edit: (core: string) => string) => {
  const r = await patchkit(['new', name, '--target', 'demo.targets:add', '--python', venv.python, '--out', out]);
  expect(r.exitCode, r.stderr).toBe(0);
  const dir = join(out, name);
  const core = join(dir, `${name}_patch_core.py`);
  await writeFile(core, edit(await readFile(core, 'utf8')));
  for (const file of pthRuntimeFiles(bundleFileNames(name))) await cp(join(dir, file), join(venv.sitePackages, file));
  return dir;
};

const RESULT = '        result = original(*args, **kwargs)\n';

beforeAll(async () => {
  venv = await makeVenv();
  await cp(FIXTURE_SITE, venv.sitePackages, { recursive: true });
  out = await tempDir('patchkit-stacked-');
});
afterAll(async () => {
  await venv?.remove();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('stacked bundles', () => {
  it('both apply in .pth order, each generated test passes, no drift warning', async () => {
    const a = await make('alpha', (t) => t.replace(RESULT, '        result = original(*args, **kwargs) + 1\n'));
    const b = await make('beta', (t) => t.replace(RESULT, '        result = original(*args, **kwargs) * 10\n'));
    // add(1, 2) is 3; alpha (inner) adds 1, beta (outer, its .pth sorts later) multiplies by 10.
    const r = await execa(venv.python, ['-c', 'import demo.targets as t; print(t.add(1, 2))'], { reject: false });
    expect([r.stdout, r.stderr]).toEqual(['40', '']);
    for (const [name, dir] of [
      ['alpha', a],
      ['beta', b],
    ]) {
      const unit = await execa(venv.python, ['-m', 'unittest', `test_${name}_patch`], { cwd: dir, reject: false });
      expect(unit.exitCode, `${name}: ${String(unit.stderr)}`).toBe(0);
      expect(String(unit.stderr)).not.toMatch(/PATCH\]/);
    }
  });

  it('arguments(original, args, kwargs) gives the call by parameter name, defaults filled in (three layers)', async () => {
    const dir = await make('gamma', (t) =>
      t.replace(
        RESULT,
        '        seen = arguments(original, args, kwargs)\n' +
          '        result = (original(*args, **kwargs), sorted(seen.items()))\n',
      ),
    );
    const r = await execa(venv.python, ['-c', 'import demo.targets as t; print(t.add(5), t.add(1, b=7), sep="|")'], {
      reject: false,
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    // gamma sorts last, so it wraps beta's and alpha's layers: add(5) is 6, alpha makes it 7, beta 70.
    expect(String(r.stdout).trim().split('|')).toEqual(["(70, [('a', 5), ('b', 1)])", "(90, [('a', 1), ('b', 7)])"]);
  });
});
