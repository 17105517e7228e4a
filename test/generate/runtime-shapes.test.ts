/** The passthrough bundle wraps every shape of target and behaves exactly like the original. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, pyJson, type Bundle } from './bundle.js';

let bundle: Bundle;
beforeAll(async () => {
  bundle = await makeBundle({ name: 'demo', target: ['demo.targets:*'] });
});
afterAll(() => bundle?.remove());

const SHAPES = `
import asyncio, inspect, json, demo.targets as t
import demo_patch_loader as L
raw = t.Widget.__dict__
def wrapped(f):
    return '__patchkit_demo__' in vars(f) and '__patchkit_demo__' not in vars(f.__wrapped__)
g = t.count(3)
first, echoed, rest = next(g), g.send(10), list(g)
async def collect():
    return [x async for x in t.acount(3)]
w = t.Widget.make(3)
grown = w.grow(2)
w.size = 9
class Sub(t.Widget):
    pass
print(json.dumps({
  "report": sorted(set(v["state"] for v in L.report().values())),
  "add": [t.add(1), t.add(1, b=5), wrapped(t.add), str(inspect.signature(t.add)), t.add.__name__, t.add.__doc__],
  "async": [inspect.iscoroutinefunction(t.fetch), asyncio.run(t.fetch(1)), wrapped(t.fetch)],
  "generator": [inspect.isgeneratorfunction(t.count), first, echoed, rest, wrapped(t.count)],
  "asyncgen": [inspect.isasyncgenfunction(t.acount), asyncio.run(collect()), wrapped(t.acount)],
  "classmethod": [type(raw["make"]).__name__, wrapped(raw["make"].__func__), type(w).__name__, grown],
  "staticmethod": [type(raw["unit"]).__name__, t.Widget.unit(), w.unit(), wrapped(raw["unit"].__func__)],
  "property": [type(raw["size"]).__name__, w.size, wrapped(raw["size"].fget), wrapped(raw["size"].fset)],
  "init_subclass": [type(t.Base.__dict__["__init_subclass__"]).__name__, t.Base.seen, wrapped(t.Base.__dict__["__init_subclass__"].__func__)],
  "new": [type(t.Base.__dict__["__new__"]).__name__, wrapped(t.Base.__dict__["__new__"].__func__)],
  "work_doc": t.work.__doc__, "qualname": raw["grow"].__qualname__, "module": raw["grow"].__module__,
}))
`;

describe('passthrough wrappers in a real interpreter', () => {
  it('wraps function, async, generator, async generator, classmethod, staticmethod, property, __init_subclass__, __new__', async () => {
    const { value, stderr } = await pyJson<Record<string, unknown>>(bundle, SHAPES);
    expect(stderr).toBe('');
    expect(value).toEqual({
      report: ['applied'],
      add: [2, 6, true, '(a, b=1)', 'add', null],
      async: [true, 2, true],
      generator: [true, 0, 10, [1, 2], true],
      asyncgen: [true, [0, 1, 2], true],
      classmethod: ['classmethod', true, 'Widget', 5],
      staticmethod: ['staticmethod', 'cm', 'cm', true],
      property: ['property', 9, true, true],
      init_subclass: ['classmethod', ['Widget', 'Sub'], true],
      new: ['staticmethod', true],
      work_doc: 'Run in multiprocessing children; picklable by reference.',
      qualname: 'Widget.grow',
      module: 'demo.targets',
    });
  });

  it('propagates exceptions, generator throw/close and async generator aclose unchanged', async () => {
    const { value } = await pyJson<unknown[]>(
      bundle,
      `
import asyncio, json, demo.targets as t
out = []
try:
    t.boom()
except ValueError as e:
    out.append(str(e))
g = t.count(5); next(g)
try:
    g.throw(KeyError("k"))
except KeyError:
    out.append("thrown")
g = t.count(5); next(g); g.close(); out.append(g.gi_frame is None)
async def main():
    a = t.acount(5)
    first = await a.__anext__()
    await a.aclose()
    return first
out.append(asyncio.run(main()))
print(json.dumps(out))
`,
    );
    expect(value).toEqual(['boom', 'thrown', true, 0]);
  });

  it('re-points binding sites imported before and after the sentinel (from x import f)', async () => {
    const code = (order: string) => `
import json
${order}
import demo, demo.user as u, demo.targets as t
print(json.dumps([demo.add is t.add, u.add is t.add, u.plus is t.add, '__wrapped__' in vars(u.add), u.use()]))
`;
    for (const order of ['import demo.user', 'import demo.targets', 'import demo']) {
      const { value } = await pyJson<unknown[]>(bundle, code(order));
      expect(value, order).toEqual([true, true, true, true, [3, 3]]);
    }
  });

  it('the generated test file passes under python -m unittest (and fails without the bundle)', async () => {
    const ok = await bundle.pyArgs(['-m', 'unittest', '-v', 'test_demo_patch'], {}, bundle.result.dir);
    expect(ok.stderr).toMatch(/Ran 2 tests[\s\S]*OK/);
    expect(ok.exitCode).toBe(0);
    const off = await bundle.pyArgs(
      ['-m', 'unittest', 'test_demo_patch'],
      { DEMO_PATCH_DISABLE: '1' },
      bundle.result.dir,
    );
    expect(off.stderr).toMatch(/skipped/);
  });

  it('stays silent: nothing on stdout or stderr at start-up, debug goes to stderr only', async () => {
    const quiet = await bundle.py('pass');
    expect([quiet.stdout, quiet.stderr]).toEqual(['', '']);
    const debug = await bundle.py('import demo.targets', { DEMO_PATCH_DEBUG: '1' });
    expect(debug.stdout).toBe('');
    expect(debug.stderr).toMatch(/finder installed in pid \d+/);
    expect(debug.stderr).toMatch(/demo\.targets:Widget\.size: applied/);
  });

  it('kill switch: DEMO_PATCH_DISABLE=1 installs nothing and patches nothing', async () => {
    const { value } = await pyJson<unknown[]>(
      bundle,
      `
import json, sys, demo.targets as t, demo_patch_loader as L
r = L.report()["demo.targets:add"]
print(json.dumps(['__wrapped__' in vars(t.add), any(type(f).__name__ == '_PatchkitFinder' for f in sys.meta_path), r["state"], r["reason"]]))
`,
      { DEMO_PATCH_DISABLE: '1' },
    );
    expect(value).toEqual([false, false, 'pending', 'disabled by DEMO_PATCH_DISABLE=1']);
  });
});
