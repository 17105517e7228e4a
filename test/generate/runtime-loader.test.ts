/** The finder and proxy loader keep every import path working: -m, resources, C extensions, namespaces. */
import { cp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBundle, pyJson, type Bundle } from './bundle.js';

const bundles: Bundle[] = [];
const make = async (options: Parameters<typeof makeBundle>[0]) => {
  const b = await makeBundle(options);
  bundles.push(b);
  return b;
};
afterAll(async () => {
  for (const b of bundles) await b.remove();
});

describe('proxy loader (pitfalls L1–L5)', () => {
  it('python -m on a watched package and module, importlib.resources and pkgutil.get_data, __loader__ restored', async () => {
    const b = await make({ name: 'demo', target: ['demo.targets:add'], sentinel: 'demo' });
    const m = await b.pyArgs(['-m', 'demo']);
    expect([m.stdout, m.stderr, m.exitCode]).toEqual(['main 5 True', '', 0]);
    // demo/__init__ imports demo.targets, so runpy warns with or without the bundle: same output both ways.
    const asMain = await b.pyArgs(['-m', 'demo.targets']);
    const plain = await b.pyArgs(['-m', 'demo.targets'], { DEMO_PATCH_DISABLE: '1' });
    expect([asMain.stdout, asMain.stderr, asMain.exitCode]).toEqual([plain.stdout, plain.stderr, 0]);
    const { value } = await pyJson<unknown[]>(
      b,
      `
import importlib.resources, json, pkgutil, demo, demo.targets as t
print(json.dumps([
  importlib.resources.files('demo').joinpath('data.txt').read_text(),
  pkgutil.get_data('demo', 'data.txt').decode(),
  type(demo.__loader__).__name__, type(demo.__spec__.loader).__name__,
  type(t.__loader__).__name__, demo.__loader__.is_package('demo'),
  '__wrapped__' in vars(t.add),
]))`,
    );
    expect(value).toEqual([
      'hello resource\n',
      'hello resource\n',
      'SourceFileLoader',
      'SourceFileLoader',
      'SourceFileLoader',
      true,
      true,
    ]);
  });

  it('a single-phase C extension as sentinel (_decimal) keeps all its attributes; its targets apply', async () => {
    const b = await make({ name: 'cext', target: ['textwrap:dedent'], sentinel: '_decimal' });
    const code = `
import json, _decimal, sys
tw = sys.modules.get('textwrap')
print(json.dumps([len(dir(_decimal)), _decimal.Decimal('1.5') + 1 == _decimal.Decimal('2.5'), bool(tw) and '__wrapped__' in vars(tw.dedent)]))`;
    const off = await pyJson<unknown[]>(b, code, { CEXT_PATCH_DISABLE: '1' });
    const on = await pyJson<unknown[]>(b, code);
    expect(on.value[0]).toBeGreaterThan(40);
    expect(on.value).toEqual([off.value[0], true, true]);
    expect(on.stderr).toBe('');
  });

  it('a namespace-package sentinel (PEP 420, loader None) keeps working and its targets apply', async () => {
    const b = await make({ name: 'ns', target: ['nsdemo.inner.mod:hello'], sentinel: 'nsdemo' });
    const { value, stderr } = await pyJson<unknown[]>(
      b,
      `
import json, nsdemo
first = list(nsdemo.__path__)
import nsdemo.inner.mod as m, ns_patch_loader as L
print(json.dumps([len(first), type(nsdemo.__loader__).__name__, m.hello('x'), '__wrapped__' in vars(m.hello), L.report()['nsdemo.inner.mod:hello']['state']]))`,
    );
    expect(stderr).toBe('');
    expect(value[0]).toBe(1);
    expect(value.slice(2)).toEqual(['hello x', true, 'applied']);
  });

  it('an already-imported stdlib sentinel (json, imported by an earlier .pth) is patched at install()', async () => {
    const b = await make({ name: 'js', target: ['json:dumps'], sentinel: 'json' });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${b.venv.sitePackages}/00json.pth`, 'import json\n');
    const { value } = await pyJson<unknown[]>(
      b,
      `import json, sys; print(json.dumps(['__wrapped__' in vars(json.dumps), 'js_patch_core' in sys.modules]))`,
    );
    expect(value).toEqual([true, true]);
  });
});

describe('start-up cost (python -X importtime)', () => {
  it('start-up imports only the small injector module, not the loader: its stub waits for a watched module', async () => {
    const b = await make({ name: 'demo', target: ['demo.targets:*'] });
    await b.pyArgs(['-m', 'compileall', '-q', b.venv.sitePackages]); // as an installer does
    const probe =
      'import sys, json; print(json.dumps([sorted(sys.modules), [getattr(f, "patchkit", None) for f in sys.meta_path]]))';
    // json is imported by the probe itself after start-up, in both runs.
    const [on, finders] = (await pyJson<[string[], (string | null)[]]>(b, probe)).value;
    const [off, offFinders] = (await pyJson<[string[], (string | null)[]]>(b, probe, { DEMO_PATCH_DISABLE: '1' }))
      .value;
    expect(on.filter((m) => !off.includes(m))).toEqual([]);
    expect(on.filter((m) => m.includes('_patch_'))).toEqual(['demo_patch_injector']);
    // The stub is first, and there is one: in a venv site.py runs each .pth twice (3.8–3.13 alike), and
    // the second run finds the injector in sys.modules.
    expect(finders[0]).toBe('demo_patch_loader');
    expect(finders.filter((f) => f === 'demo_patch_loader')).toHaveLength(1);
    // Kill switch: the stub stays (it is one set lookup) but never imports the loader or the core.
    expect(offFinders[0]).toBe('demo_patch_loader');
    const disabled = await pyJson<string[]>(
      b,
      'import sys, json, demo.targets; print(json.dumps(sorted(m for m in sys.modules if "_patch_" in m)))',
      { DEMO_PATCH_DISABLE: '1' },
    );
    expect(disabled.value).toEqual(['demo_patch_injector']);
    for (let i = 0; i < 3; i++) {
      const r = await b.pyArgs(['-X', 'importtime', '-c', 'pass']);
      expect(r.stderr.split('\n').filter((l) => l.includes('demo_patch'))).toEqual([
        expect.stringMatching(/\|\s+demo_patch_injector$/),
      ]);
    }
    // Loaded from its .pyc, not compiled at every start.
    const cached = await pyJson<boolean>(
      b,
      'import json, os, demo_patch_injector as i; print(json.dumps(os.path.exists(i.__cached__)))',
    );
    expect(cached.value).toBe(true);
    // The loader and the core come with the first watched import (here the sentinel's own).
    const after = await pyJson<[string[], string[]]>(
      b,
      'import sys, json; ours = lambda: sorted(m for m in sys.modules if "_patch_" in m); before = ours(); ' +
        'import demo.targets; print(json.dumps([before, ours()]))',
    );
    const [before, loaded] = after.value;
    expect(before).toEqual(['demo_patch_injector']);
    expect(loaded).toEqual(['demo_patch_core', 'demo_patch_injector', 'demo_patch_loader']);
    const modules = (
      await pyJson<string[]>(b, 'import sys, json, demo.targets; print(json.dumps(sorted(sys.modules)))')
    ).value;
    for (const heavy of ['importlib.abc', 'importlib.metadata', 'typing', 'threading'])
      expect(modules).not.toContain(heavy);
  });

  it('a loader deleted by hand: the watched import still works, unpatched, with one line on stderr', async () => {
    const b = await make({ name: 'gone', target: ['json:dumps'], sentinel: 'json' });
    const site = b.venv.sitePackages;
    await rm(join(site, 'gone_patch_loader.py'));
    await rm(join(site, '__pycache__'), { recursive: true, force: true });
    const r = await b.py('import json; print(json.dumps({"a": 1}), hasattr(json.dumps, "__wrapped__"))');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('{"a": 1} False');
    // One line, never a traceback.
    expect(r.stderr).toBe(
      "[GONE_PATCH] patches not applied: cannot import gone_patch_loader: ModuleNotFoundError: No module named 'gone_patch_loader'",
    );
  });

  it('the .start entry point (PEP 829, Python 3.15+) hooks like the .pth: one stub, loader only at the watched import', async () => {
    // No 3.15 here: site.py's PEP 829 step is done by hand, as it does it (pkgutil.resolve_name, then a
    // call with no arguments), under -S so that no .pth runs; twice, as site.py runs a venv's files twice.
    const b = await make({ name: 'entry', target: ['demo.targets:add'], sentinel: 'demo', install: false });
    const f = b.result.model.files;
    for (const file of [f.loader, f.core, f.injector])
      await cp(join(b.result.dir, file), join(b.venv.sitePackages, file));
    const entry = (await readFile(join(b.result.dir, f.start), 'utf8')).trim();
    expect(entry).toBe('entry_patch_injector:hook');
    const code = `
import json, pkgutil, sys
sys.path.append(sys.argv[1])
for _ in range(2):
    pkgutil.resolve_name(sys.argv[2])()
ours = [f for f in sys.meta_path if getattr(f, "patchkit", None) == "entry_patch_loader"]
early = "entry_patch_loader" in sys.modules
import demo.targets
print(json.dumps([len(ours), sys.meta_path[0] is ours[0], early, "__wrapped__" in vars(demo.targets.add)]))`;
    const r = await b.pyArgs(['-S', '-c', code, b.venv.sitePackages, entry]);
    expect([r.stderr, r.exitCode]).toEqual(['', 0]);
    expect(JSON.parse(r.stdout)).toEqual([1, true, false, true]);
  });

  it('the injector deleted by hand: the process still runs, and site.py names the broken .pth', async () => {
    const b = await make({ name: 'lost', target: ['json:dumps'], sentinel: 'json' });
    await rm(join(b.venv.sitePackages, 'lost_patch_injector.py'));
    const r = await b.py('import json; print(json.dumps({"a": 1}), hasattr(json.dumps, "__wrapped__"))');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('{"a": 1} False');
    // site.py's own report of a failing .pth line (once per run of the .pth), not a crash.
    expect(r.stderr).toContain('lost_patch_injector.pth');
    expect(r.stderr).toContain("ModuleNotFoundError: No module named 'lost_patch_injector'");
  });
});
