/** The finder and proxy loader keep every import path working: -m, resources, C extensions, namespaces. */
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
  it('install() imports nothing but the loader: no importlib.abc/metadata, typing, the core or the target', async () => {
    const b = await make({ name: 'demo', target: ['demo.targets:*'] });
    await b.pyArgs(['-m', 'compileall', '-q', b.venv.sitePackages]); // as an installer does
    const probe = 'import sys, json; print(json.dumps(sorted(sys.modules)))';
    // json is imported by the probe itself after start-up, in both runs.
    const on = (await pyJson<string[]>(b, probe)).value;
    const off = (await pyJson<string[]>(b, probe, { DEMO_PATCH_DISABLE: '1' })).value;
    expect(on.filter((m) => !off.includes(m))).toEqual([]);
    expect(on).toContain('demo_patch_loader');
    for (const heavy of ['importlib.abc', 'importlib.metadata', 'typing', 'demo_patch_core', 'demo', 'threading']) {
      expect(on).not.toContain(heavy);
    }
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await b.pyArgs(['-X', 'importtime', '-c', 'pass']);
      const lines = r.stderr
        .split('\n')
        .filter((l) => /\|\s+demo_patch_loader$/.test(l) || /\|\s+demo_patch_loader\b/.test(l));
      expect(lines).toHaveLength(1);
      const [, self, cumulative] = /import time:\s+(\d+) \|\s+(\d+)/.exec(lines[0]) ?? [];
      expect(self).toBe(cumulative); // no nested imports under the loader
      times.push(Number(cumulative));
    }
    times.sort((x, y) => x - y);
    console.log(`loader import (pyc present), median of 5: ${times[2]} µs cumulative`);
    expect(times[2]).toBeLessThan(5000);
  });
});
