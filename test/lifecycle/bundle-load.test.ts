/** `loadBundle` accepts what `new` writes and refuses a manifest that would install a broken start-up hook. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/install/bundle.js';
import { buildModel } from '../../src/generate/model.js';
import { render } from '../../src/generate/render.js';
import { loadTemplates } from '../../src/generate/templates.js';
import { FIXTURE_INPUT } from '../generate/fixture-model.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const writeBundle = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'patchkit-bundle-load-'));
  dirs.push(dir);
  for (const [name, text] of render(buildModel(FIXTURE_INPUT), await loadTemplates()))
    await writeFile(join(dir, name), text);
  return dir;
};

describe('loadBundle', () => {
  it('reads the runtime files in install order: modules, then the start-up hooks', async () => {
    const bundle = await loadBundle(await writeBundle(), '/');
    expect(bundle.files.map((f) => f.name)).toEqual([
      'fixture_patch_loader.py',
      'fixture_patch_core.py',
      'fixture_patch_injector.py',
      'fixture_patch_injector.pth',
      'fixture_patch_injector.start',
    ]);
  });

  it('refuses a manifest whose .pth imports an injector module it does not list', async () => {
    const dir = await writeBundle();
    const path = join(dir, 'patchkit.json');
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { files: string[] };
    manifest.files = manifest.files.filter((f) => f !== 'fixture_patch_injector.py');
    await writeFile(path, JSON.stringify(manifest));
    await expect(loadBundle(dir, '/')).rejects.toThrow(/does not list fixture_patch_injector\.py/);
  });
});
