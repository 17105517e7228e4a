/**
 * The generated runtime under the import machinery ML code uses (issue 15): importlib.util.LazyLoader
 * (lazy_loader-style packages), a finder put in front of patchkit's later (typeguard, jaxtyping,
 * pytest's assertion rewriting), the importlib docs recipe (find_spec + module_from_spec +
 * exec_module by hand), a sentinel the target module imports at its top, two bundles on one sentinel,
 * a zipimport sentinel, a relative trace path, and isolated subinterpreters. Every pyenv interpreter
 * 3.8 … 3.13 of the machine; each program runs with a timeout (a deadlock is a failure, not a hang).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/python.js';
import { makeSite, parsed, PYENV_PYTHONS, type Site } from './runtime-site.js';

const PACKAGE: Record<string, string> = {
  'imach/__init__.py': '',
  // Imports what nothing else imported yet when it executes: that import comes back to the finder.
  'imach/lazy.py': 'import imach.lazydep\n\n\ndef ok(x):\n    return x + 1\n',
  'imach/lazydep.py': 'VALUE = 1\n',
  'imach/other.py': 'OTHER = 1\n',
  'imach/bystander.py': 'BYSTANDER = 1\n',
  'imach/front.py': 'def ok(x):\n    return x + 1\n',
  // Served by the finder in front too, and imports what that finder does not serve: the finder
  // behind it sees the sentinel mid-import and hooks the end of that import.
  'imach/front2.py': 'import imach.frontdep\n\n\ndef ok(x):\n    return x + 1\n',
  'imach/frontdep.py': 'VALUE = 1\n',
  // Executed by hand; what it imports at its top asks report() while it is still executing.
  'imach/byhand.py': 'import imach.byhanddep\n\n\ndef ok(x):\n    return x + 1\n',
  'imach/byhanddep.py':
    'import sys\n\nL = sys.modules.get("im_patch_loader")\nSEEN = L.report()["imach.byhand:ok"] if L else None\n',
  // The target module imports its sentinel at its top, before it defines the target.
  'imach/top.py': 'import imach.topsent\n\n\ndef work(x):\n    return x * 2\n',
  'imach/topsent.py': 'VALUE = 1\n',
  'imach/shared.py': 'def ok(x):\n    return x + 1\n\n\ndef two(x):\n    return x + 2\n',
  'imach/traced.py': 'def f(x):\n    return x + 1\n',
  'zsent/__init__.py': '',
  'zsent/mod.py': 'def ok(x):\n    return x + 1\n',
};

const LAZY = `
import importlib.util, json, sys
out = {}
import importlib.machinery, imach
def lazy(name):
    """lazy_loader's load(): importlib's own recipe for a lazy import (or the spec straight from
    PathFinder, which no finder of sys.meta_path sees)."""
    if sys.argv[1] == "meta_path":
        spec = importlib.util.find_spec(name)
    else:
        spec = importlib.machinery.PathFinder.find_spec(name, imach.__path__)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
bystander = lazy("imach.bystander")  # lazy, not watched: applying a patch must not execute it
module = lazy("imach.lazy")
import fractions, imach.other  # the finder runs while the module is lazy
L = sys.modules.get("im_patch_loader")
out["lazy"] = [type(module).__name__, "imach.lazydep" in sys.modules]
if L is not None:
    out["before"] = L.report()["imach.lazy:ok"]
    out["still_lazy"] = [type(module).__name__, "imach.lazydep" in sys.modules]
out["value"] = module.ok(1)  # the first attribute access executes it
out["wrapped"] = "__wrapped__" in vars(module.ok)
import importlib.machinery  # (its loader_state holds a class, so a lazy module's spec never pickles)
out["spec"] = [type(module.__spec__) is importlib.machinery.ModuleSpec, type(module.__spec__.loader).__name__]
if L is not None:
    out["after"] = L.report()["imach.lazy:ok"]
out["bystander"] = type(bystander).__name__
print(json.dumps(out))
`;

const FRONT = `
import importlib.machinery, json, sys
class Front:
    """Put first on sys.meta_path after start-up, as typeguard's and pytest's hooks are: it serves its modules itself."""
    def find_spec(self, name, path=None, target=None):
        if name in ("imach", "imach.front", "imach.front2"):
            return importlib.machinery.PathFinder.find_spec(name, path, target)
        return None
sys.meta_path.insert(0, Front())
import imach.front
out = {"loader_imported": "im_patch_loader" in sys.modules}
if sys.argv[1] == "report":
    import im_patch_loader as L
    out["report"] = L.report()["imach.front:ok"]
else:
    import fractions  # the next import, served by the finders behind Front
out["wrapped"] = "__wrapped__" in vars(imach.front.ok)
import imach.front2
out["front2"] = "__wrapped__" in vars(imach.front2.ok)  # when its import returned
print(json.dumps(out))
`;

const BYHAND = `
import importlib.machinery, importlib.util, json, pickle, sys
spec = importlib.util.find_spec(sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules[sys.argv[1]] = module
spec.loader.exec_module(module)
out = {"seen": getattr(sys.modules.get("imach.byhanddep"), "SEEN", None)}
import fractions  # the next import after it completed
name = sys.argv[2]
out["wrapped"] = "__wrapped__" in vars(getattr(module, name))
out["spec"] = [type(module.__spec__) is importlib.machinery.ModuleSpec, len(pickle.dumps(module.__spec__)) > 0]
L = sys.modules[sys.argv[3]]
out["report"] = L.report()[sys.argv[1] + ":" + name]
print(json.dumps(out))
`;

const SHARED = `
import importlib.machinery, json, pickle, sys
import imach.shared as s
out = {"wrapped": ["__wrapped__" in vars(s.ok), "__wrapped__" in vars(s.two)]}  # nothing imported in between
spec = s.__spec__
out["spec"] = [type(spec) is importlib.machinery.ModuleSpec, sorted(k for k in vars(spec) if "patchkit" in k), len(pickle.dumps(spec)) > 0]
import im_patch_loader as A, two_patch_loader as B
out["report"] = [A.report()["imach.shared:ok"], B.report()["imach.shared:two"]]
print(json.dumps(out))
`;

const ZIP = `
import json, sys
sys.path.insert(0, sys.argv[1])
import zsent.mod
out = {"wrapped": "__wrapped__" in vars(zsent.mod.ok), "loader": type(zsent.mod.__loader__).__name__, "value": zsent.mod.ok(1)}
import importlib, zp_patch_loader as L
out["report"] = L.report()["zsent.mod:ok"]
importlib.reload(zsent.mod)  # executed again: patched again, and no proxy is left behind
out["reloaded"] = ["__wrapped__" in vars(zsent.mod.ok), type(zsent.mod.__spec__.loader).__name__, L.stats()["applications"]]
print(json.dumps(out))
`;

const TRACE = `
import json, os, subprocess, sys
import imach.traced as t  # the loader installs itself in the first directory
os.chdir(sys.argv[1])
t.f(1)  # the first traced call, after chdir
subprocess.run([sys.executable, "-c", "import imach.traced as t; t.f(2)"], cwd=sys.argv[2], check=True)
print(json.dumps(os.environ.get("TR_PATCH_TRACE")))
`;

const SUBINTERPRETER = `
import json, os, sys
try:
    import _interpreters as I  # 3.13
except ImportError:
    import _xxsubinterpreters as I  # 3.12
interp = I.create(I.new_config("isolated")) if hasattr(I, "new_config") else I.create(isolated=True)
r, w = os.pipe()
code = """
import os, json
import imach.shared as s, imach.traced as t
import im_patch_loader as A, two_patch_loader as B, tr_patch_loader as T
t.f(1)
os.write(%d, json.dumps([A.report()["imach.shared:ok"]["state"], "__wrapped__" in vars(s.two), T.report()["imach.traced:f"]["state"]]).encode())
""" % w
I.run_string(interp, code)
I.destroy(interp)
os.close(w)
print(os.read(r, 4096).decode())
`;

const PYTHONS = PYENV_PYTHONS.filter(([, python]) => existsSync(python));
const minor = (version: string) => Number(version.split('.')[1]);

describe.each(PYTHONS)('the runtime under unusual import machinery on %s', (version, python) => {
  let site: Site;
  let dirs: string;
  beforeAll(async () => {
    site = await makeSite(PACKAGE, { python });
    await site.bundle({
      name: 'im',
      target: ['imach.lazy:ok', 'imach.front:ok', 'imach.front2:ok', 'imach.byhand:ok', 'imach.shared:ok'],
    });
    await site.bundle({ name: 'two', target: ['imach.shared:two'], sentinel: 'imach.shared' });
    await site.bundle({ name: 'top', target: ['imach.top:work'], sentinel: 'imach.topsent' });
    await site.bundle({ name: 'tr', target: ['imach.traced:f'], body: 'trace' });
    await site.bundle({ name: 'zp', target: ['zsent.mod:ok'] });
    // The zip sentinel: scanned from site-packages, then moved into a zip archive.
    const zip = await site.py([
      '-c',
      'import sys, zipfile, os\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    for f in ("zsent/__init__.py", "zsent/mod.py"):\n        z.write(os.path.join(sys.argv[2], f), f)',
      join(site.venv.dir, 'zsent.zip'),
      site.site,
    ]);
    expect(zip.exitCode, zip.stderr).toBe(0);
    await rm(join(site.site, 'zsent'), { recursive: true, force: true });
    dirs = await tempDir('patchkit-trace-');
  });
  afterAll(async () => {
    await site?.remove();
    if (dirs) await rm(dirs, { recursive: true, force: true });
  });

  it('LazyLoader sentinel: no deadlock, the module stays lazy until used and is patched when it executes', async () => {
    for (const how of ['meta_path', 'PathFinder']) {
      const on = await site.py(['-c', LAZY, how], { timeout: 30_000 });
      const off = await site.py(['-c', LAZY, how], { env: { IM_PATCH_DISABLE: '1' }, timeout: 30_000 });
      expect(on.timedOut, `deadlock (${how})`).toBe(false);
      const value = parsed<Record<string, unknown>>(on);
      expect(on.stderr).toBe('');
      expect(value.lazy).toEqual(['_LazyModule', false]);
      expect(value.before).toEqual({
        state: 'pending',
        reason: 'sentinel imach.lazy is imported lazily (importlib.util.LazyLoader) and not executed yet',
      });
      expect(value.still_lazy).toEqual(['_LazyModule', false]); // report() did not execute it
      expect(value.value).toBe(parsed<Record<string, unknown>>(off).value);
      expect(value.wrapped).toBe(true); // at the first use, before any other import
      // The spec ends as a plain ModuleSpec, its loader the real one.
      expect(value.spec).toEqual([true, 'SourceFileLoader']);
      expect(value.after).toEqual({ state: 'applied', reason: null });
      expect(value.bystander).toBe('_LazyModule'); // re-binding `from x import f` copies reads no lazy module
    }
  });

  it('a finder put in front later serves the sentinel: noticed at the next import, and report() tells the truth', async () => {
    const next = parsed<Record<string, unknown>>(await site.py(['-c', FRONT, 'next']));
    expect(next).toEqual({ loader_imported: false, front2: true, wrapped: true });
    const r = await site.py(['-c', FRONT, 'report']);
    expect(r.stderr).toBe('');
    expect(parsed(r)).toEqual({
      loader_imported: false,
      front2: true,
      report: { state: 'applied', reason: null },
      wrapped: true,
    });
  });

  it('the importlib docs recipe (exec_module by hand): pending while executing, never "gone", applied once complete', async () => {
    const r = await site.py(['-c', BYHAND, 'imach.byhand', 'ok', 'im_patch_loader']);
    expect(r.stderr).toBe('');
    expect(parsed(r)).toEqual({
      seen: { state: 'pending', reason: 'sentinel imach.byhand is still executing' },
      wrapped: true,
      spec: [true, true],
      report: { state: 'applied', reason: null },
    });
  });

  it('a target module that imports its sentinel at its top, imported normally and by the docs recipe', async () => {
    const plain = await site.py([
      '-c',
      'import json, imach.top as t; print(json.dumps("__wrapped__" in vars(t.work)))',
    ]);
    expect([plain.stderr, parsed(plain)]).toEqual(['', true]);
    const r = await site.py(['-c', BYHAND, 'imach.top', 'work', 'top_patch_loader']);
    expect(r.stderr).toBe(''); // no "work is gone from imach.top (package changed?)"
    expect(parsed(r)).toEqual({
      seen: null,
      wrapped: true,
      spec: [true, true],
      report: { state: 'applied', reason: null },
    });
  });

  it('two bundles on one sentinel: both applied when the import returns; the spec ends as it began', async () => {
    const r = await site.py(['-c', SHARED]);
    expect(r.stderr).toBe('');
    expect(parsed(r)).toEqual({
      wrapped: [true, true],
      spec: [true, [], true],
      report: [
        { state: 'applied', reason: null },
        { state: 'applied', reason: null },
      ],
    });
  });

  it('a zipimport sentinel is patched at its import, and report() says so', async () => {
    const r = await site.py(['-c', ZIP, join(site.venv.dir, 'zsent.zip')]);
    expect(r.stderr).toBe('');
    expect(parsed(r)).toEqual({
      wrapped: true,
      loader: 'zipimporter',
      value: 2,
      report: { state: 'applied', reason: null },
      reloaded: [true, 'zipimporter', 2],
    });
  });

  it('a relative TR_PATCH_TRACE is the directory the loader started in: after os.chdir and in a child with cwd=', async () => {
    const [start, moved, child] = ['start', 'moved', 'child'].map((d) => join(dirs, d));
    for (const d of [start, moved, child]) await mkdir(d, { recursive: true });
    const r = await site.py(['-c', TRACE, moved, child], { env: { TR_PATCH_TRACE: 'trace.jsonl' }, cwd: start });
    expect(r.stderr).toBe('');
    expect(parsed(r)).toBe(join(start, 'trace.jsonl')); // exported, absolute
    const lines = (await readFile(join(start, 'trace.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { target: string }).target)).toEqual([
      'imach.traced:f',
      'imach.traced:f',
    ]);
    expect([await readdir(moved), await readdir(child)]).toEqual([[], []]);
  });

  it.runIf(minor(version) >= 12)(
    'an isolated subinterpreter imports the sentinels: patched there, and the process exits cleanly',
    async () => {
      const r = await site.py(['-c', SUBINTERPRETER], { env: { TR_PATCH_TRACE: join(dirs, 'sub.jsonl') } });
      expect([r.exitCode, r.signal, r.stderr]).toEqual([0, undefined, '']);
      expect(JSON.parse(r.stdout)).toEqual(['applied', true, 'applied']);
      // Every module the runtime imports lazily loads in an isolated subinterpreter too.
      const loader = await readFile(join(site.site, 'im_patch_loader.py'), 'utf8');
      const lazy = [...loader.matchAll(/^ +(?:import (\w+)|from (\w+) import)/gm)].map((m) => m[1] ?? m[2]);
      expect(lazy).toEqual(expect.arrayContaining(['_ast', 'dis', 'inspect']));
      const each = await site.py([
        '-c',
        `import sys\ntry:\n    import _interpreters as I\nexcept ImportError:\n    import _xxsubinterpreters as I\nfor name in sys.argv[1:]:\n    interp = I.create(I.new_config("isolated")) if hasattr(I, "new_config") else I.create(isolated=True)\n    I.run_string(interp, "import " + name)\n    I.destroy(interp)\nprint("ok")`,
        // _sha256 is the module before 3.12; multiprocessing only serves `python -m <loader> --spawn`.
        ...new Set(lazy.filter((m) => m !== '_sha256' && m !== 'multiprocessing')),
      ]);
      expect([each.exitCode, each.stdout.trim(), each.stderr]).toEqual([0, 'ok', '']);
    },
  );
});
