/** Failures are reported once on stderr and never break the import; the version guard warns or skips. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, pyJson, type Bundle } from './bundle.js';

let bundle: Bundle;
const saved = new Map<string, string>();
const edit = async (file: string, change: (text: string) => string) => {
  const text = await readFile(file, 'utf8');
  if (!saved.has(file)) saved.set(file, text);
  await writeFile(file, change(text));
};

beforeAll(async () => {
  bundle = await makeBundle({
    name: 'demo',
    target: ['demo.targets:work', 'demo.targets:boom', 'demo.targets:Widget.grow'],
    dist: '1.0',
  });
});
afterEach(async () => {
  for (const [file, text] of saved) await writeFile(file, text);
  saved.clear();
});
afterAll(() => bundle?.remove());

const site = () => bundle.venv.sitePackages;
const STATES = `
import importlib, json, demo.targets as t, demo_patch_loader as L
importlib.reload(t); importlib.reload(t)
print(json.dumps({k: [v["state"], v["reason"]] for k, v in L.report().items()} | {"work": t.work(2), "wrapped": '__wrapped__' in vars(t.work)}))
`;

describe('failure isolation and the version guard', () => {
  it('records the distribution version and fingerprints in the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(bundle.result.dir, 'patchkit.json'), 'utf8'));
    expect(manifest.distribution).toEqual({ name: 'demo', version: '1.0' });
    expect(manifest.targets[0]).toMatchObject({ module: 'demo.targets', qualname: 'work', startLine: 8, endLine: 10 });
    expect(manifest.targets[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('an exception in a wrapper factory: that target is an error, reported once; the others apply', async () => {
    await edit(
      join(site(), 'demo_patch_core.py'),
      (t) => `${t}\nTARGETS['demo.targets:work'] = ('wrap', lambda original: 1 / 0)\n`,
    );
    const { value, stderr } = await pyJson<Record<string, unknown>>(bundle, STATES);
    expect(value['demo.targets:work']).toEqual([
      'error',
      'exception in demo_patch_core: ZeroDivisionError: division by zero',
    ]);
    expect(value['demo.targets:Widget.grow']).toEqual(['applied', null]);
    expect([value.work, value.wrapped]).toEqual([4, false]);
    expect(stderr.match(/demo\.targets:work not patched/g)).toHaveLength(1);
  });

  it('a core that fails to import: every target is an error, one line on stderr, the program goes on', async () => {
    await edit(join(site(), 'demo_patch_core.py'), (t) => `${t}\nraise RuntimeError("broken core")\n`);
    const { value, stderr } = await pyJson<Record<string, unknown>>(bundle, STATES);
    expect(value['demo.targets:Widget.grow']).toEqual([
      'error',
      'cannot import demo_patch_core: RuntimeError: broken core',
    ]);
    expect([value.work, value.wrapped]).toEqual([4, false]);
    expect(stderr.trim().split('\n')).toEqual([
      '[DEMO_PATCH] patches not applied: cannot import demo_patch_core: RuntimeError: broken core',
    ]);
  });

  it('an attribute gone after an upgrade is an error for that target only', async () => {
    await edit(join(site(), 'demo', 'targets.py'), (t) => t.replace('def boom():', 'def boom_renamed():'));
    const { value, stderr } = await pyJson<Record<string, unknown>>(bundle, STATES);
    expect(value['demo.targets:boom']).toEqual(['error', 'boom is gone from demo.targets (package changed?)']);
    expect(value['demo.targets:work']).toEqual(['applied', null]);
    expect(stderr.match(/boom/g)).toHaveLength(2); // one line: "demo.targets:boom not patched: boom is gone …"
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a method gone after an upgrade is reported as gone from its class', async () => {
    await edit(join(site(), 'demo', 'targets.py'), (t) => t.replace('def grow(self, by):', 'def grown(self, by):'));
    const { value, stderr } = await pyJson<Record<string, unknown>>(bundle, STATES);
    expect(value['demo.targets:Widget.grow']).toEqual([
      'error',
      'grow is gone from demo.targets.Widget (package changed?)',
    ]);
    expect(value['demo.targets:work']).toEqual(['applied', null]);
    expect(stderr.trim().split('\n')).toEqual([
      '[DEMO_PATCH] demo.targets:Widget.grow not patched: grow is gone from demo.targets.Widget (package changed?)',
    ]);
  });

  it('a changed distribution version warns once; DEMO_PATCH_STRICT=1 skips instead', async () => {
    await edit(join(site(), 'demo-1.0.dist-info', 'METADATA'), (t) => t.replace('Version: 1.0', 'Version: 2.0'));
    const warned = await pyJson<Record<string, unknown>>(bundle, STATES);
    expect(warned.value['demo.targets:work']).toEqual(['applied', 'demo is 2.0, the bundle was generated for 1.0']);
    expect(warned.value.wrapped).toBe(true);
    expect(warned.stderr.match(/warning: demo\.targets:work patched although demo is 2\.0/g)).toHaveLength(1);
    const strict = await pyJson<Record<string, unknown>>(bundle, STATES, { DEMO_PATCH_STRICT: '1' });
    expect(strict.value['demo.targets:work']).toEqual(['skipped', 'demo is 2.0, the bundle was generated for 1.0']);
    expect(strict.value.wrapped).toBe(false);
  });

  it('a changed definition is drift; an edit elsewhere in the file (lines shift) is not', async () => {
    await edit(join(site(), 'demo', 'targets.py'), (t) => `# a new first line\n\n${t}`);
    const shifted = await pyJson<Record<string, unknown>>(bundle, STATES);
    expect(shifted.value['demo.targets:work']).toEqual(['applied', null]);
    expect(shifted.stderr).toBe('');
    await edit(join(site(), 'demo', 'targets.py'), (t) => t.replace('return n * 2', 'return n * 2  # changed\n'));
    const drift = await pyJson<Record<string, unknown>>(bundle, STATES, { DEMO_PATCH_STRICT: '1' });
    expect(drift.value['demo.targets:work']).toEqual([
      'skipped',
      'the source of demo.targets:work changed since the bundle was generated',
    ]);
    expect(drift.value['demo.targets:Widget.grow']).toEqual(['applied', null]);
  });
});
