/**
 * Runtime faults in the import machinery around a bundle: a hostile object on sys.meta_path,
 * sys.modules mutated during an import, a watched module that deletes itself from sys.modules,
 * threads importing different watched modules while the .pth stub hands over to the loader.
 * Each program is run with the bundle and with its kill switch: same output, nothing on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeFaultBundle, type FaultBundle } from './runtime-bundle.js';

let b: FaultBundle;
beforeAll(async () => {
  b = await makeFaultBundle({
    name: 'imp',
    target: ['faulty.sentinel:ok', 'faulty.second:two', 'faulty.kinds:plain', 'faulty.rec:fact'],
  });
});
afterAll(() => b?.remove());

/** Runs code with and without the bundle; returns both parsed outputs and the patched run's stderr. */
const both = async (code: string) => {
  const on = await b.py(['-c', code], {}, 30_000);
  const off = await b.py(['-c', code], { IMP_PATCH_DISABLE: '1' }, 30_000);
  return {
    on: json<Record<string, unknown>>(on),
    off: json<Record<string, unknown>>(off),
    stderr: on.stderr,
    offErr: off.stderr,
  };
};

describe('hostile and unusual import machinery', () => {
  it('a finder whose __getattr__ raises (last on sys.meta_path) and a Mock-like answer-everything finder (second)', async () => {
    const { on, off, stderr } = await both(`
import json, sys
class Hostile:
    def __getattr__(self, name):
        raise RuntimeError("hostile " + name)
class Everything:
    def __getattr__(self, name):
        return lambda *a, **k: None
sys.meta_path.insert(1, Everything())
sys.meta_path.append(Hostile())
import faulty.sentinel as s, faulty.second as s2
out = {"calls": [s.ok(1), s2.two(1)], "wrapped": "__wrapped__" in vars(s.ok)}
try:
    import faulty_not_there
except BaseException as e:
    out["missing"] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
`);
    expect(on.calls).toEqual(off.calls);
    expect(on.missing).toBe(off.missing); // the hostile finder is reached the same way
    expect(on.missing).toBe('RuntimeError: hostile find_spec');
    expect([on.wrapped, off.wrapped]).toEqual([true, false]);
    expect(stderr).toBe('');
  });

  it('a watched module that deletes itself from sys.modules, or puts another object there', async () => {
    for (const [change, label] of [
      ['import sys\ndel sys.modules[__name__]\n', 'deletes itself'],
      ['import sys, types\nsys.modules[__name__] = types.SimpleNamespace(ok=lambda x: -x)\n', 'replaces itself'],
    ]) {
      await b.edit('faulty/sentinel.py', (t) => `${t}\n${change}`);
      const code = `
import json, sys
out = {}
try:
    import faulty.sentinel as s
    out["result"] = s.ok(1)
except BaseException as e:
    out["error"] = type(e).__name__ + ": " + str(e)
out["in_modules"] = type(sys.modules.get("faulty.sentinel")).__name__
import faulty.second as s2
out["second"] = s2.two(1)
print(json.dumps(out))
`;
      const { on, off, stderr } = await both(code);
      expect(on, label).toEqual(off);
      expect(
        stderr.split('\n').filter((l) => l && !l.includes('[IMP_PATCH]')),
        label,
      ).toEqual([]);
      // At most one line per target the bundle could not patch, never a traceback.
      expect(stderr, label).not.toMatch(/Traceback/);
      await b.restore();
    }
  });

  it('sys.modules mutated during imports: entries dropped, cleared and re-imported', async () => {
    const { on, off, stderr } = await both(`
import importlib, json, sys
import faulty.sentinel
for name in [n for n in sys.modules if n.startswith("faulty")]:
    del sys.modules[name]
import faulty.sentinel as s, faulty.kinds as k
saved = dict(sys.modules)
sys.modules.pop("faulty.kinds")
import faulty.kinds as k2
print(json.dumps({"calls": [s.ok(1), k.plain(1), k2.plain(1)], "fresh": k is not k2}))
`);
    expect(on).toEqual(off);
    expect(stderr).toBe('');
    const r = await b.py([
      '-c',
      `
import json, sys
import faulty.sentinel, faulty.kinds
for name in [n for n in sys.modules if n.startswith("faulty")]:
    del sys.modules[name]
import faulty.sentinel as s, faulty.kinds as k, imp_patch_loader as L
print(json.dumps(["__wrapped__" in vars(s.ok), "__wrapped__" in vars(k.plain), sorted(set(v["state"] for v in L.report().values()))]))
`,
    ]);
    expect(json(r)).toEqual([true, true, ['applied', 'pending']]); // faulty.rec is never imported
  });

  it('16 threads importing 4 different watched modules while the stub adopts the loader, 10 rounds', async () => {
    const code = `
import json, sys, threading
names = ["faulty.sentinel", "faulty.second", "faulty.kinds", "faulty.rec"]
barrier = threading.Barrier(16)
errors = []
def go(i):
    barrier.wait()
    try:
        __import__(names[i % 4])
    except BaseException as e:
        errors.append(repr(e))
threads = [threading.Thread(target=go, args=(i,)) for i in range(16)]
[t.start() for t in threads]; [t.join() for t in threads]
out = {"errors": errors, "calls": [sys.modules["faulty.sentinel"].ok(1), sys.modules["faulty.rec"].fact(5)]}
L = sys.modules.get("imp_patch_loader")
if L is not None and L._installed:
    out["states"] = sorted(set(v["state"] for v in L.report().values()))
    out["applications"] = L.stats()["applications"]
    out["finders"] = sum(1 for f in sys.meta_path if type(f).__name__ == "_PatchkitFinder" or getattr(f, "patchkit", None) == "imp_patch_loader")
print(json.dumps(out))
`;
    for (let round = 0; round < 10; round++) {
      const { on, off, stderr } = await both(code);
      expect(on.errors).toEqual([]);
      expect(on.calls).toEqual(off.calls);
      expect(on.states).toEqual(['applied']);
      expect(on.applications).toBe(4);
      expect(stderr).toBe('');
    }
  });
});
