/**
 * Runtime faults (issue 6, item 4): a wrapper that raises when called, targets that changed kind
 * since generation, recursive targets and a tracer tracing what it uses itself, a core that imports
 * the sentinel, a sentinel that fails to import on its own. Real interpreters, real bundles; the
 * rule is that nothing breaks a process that works unpatched, and failures go to stderr once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, makeFaultBundle, type FaultBundle } from './runtime-bundle.js';

let kinds: FaultBundle;
let tracer: FaultBundle;
let sentinel: FaultBundle;
beforeAll(async () => {
  [kinds, tracer, sentinel] = await Promise.all([
    makeFaultBundle({ name: 'faults', target: ['faulty.kinds:*'], sentinel: 'faulty.kinds' }),
    makeFaultBundle({ name: 'rec', target: ['faulty.rec:*'], sentinel: 'faulty.rec', body: 'trace' }),
    makeFaultBundle({
      name: 'sent',
      target: ['faulty.sentinel:ok', 'faulty.second:two'],
      sentinel: 'faulty.sentinel',
    }),
  ]);
});
afterEach(async () => {
  for (const b of [kinds, tracer, sentinel]) await b?.restore();
});
afterAll(async () => {
  for (const b of [kinds, tracer, sentinel]) await b?.remove();
});

/** Puts `line` at the start of the wrapper body generated for `key` (before the call to the original). */
const intoWrapper = (core: string, key: string, line: string) => {
  const at = core.indexOf(`for ${key}; `);
  expect(at, key).toBeGreaterThan(0);
  const body = core.indexOf('def wrapper(*args, **kwargs):\n', at) + 'def wrapper(*args, **kwargs):\n'.length;
  return `${core.slice(0, body)}        ${line}\n${core.slice(body)}`;
};

describe('a wrapper that raises when called (a bug in the user wrapper body)', () => {
  it('the exception propagates from the call as written; imports, reload and report() keep working', async () => {
    await kinds.edit('faults_patch_core.py', (t) =>
      intoWrapper(t, 'faulty.kinds:plain', 'raise RuntimeError("bug in my wrapper")'),
    );
    const r = await kinds.py([
      '-c',
      `
import importlib, json, sys, traceback
import faulty.kinds as k, faults_patch_loader as L
out = {}
try:
    k.plain(1)
except RuntimeError as e:
    frames = traceback.extract_tb(e.__traceback__)
    out["raised"] = [str(e), frames[-1].name, frames[-1].filename.rsplit("/", 1)[-1], len(frames)]
out["others"] = [k.later(2), k.K().meth(), k.K.stat(), k.K().keep()]
importlib.reload(k)  # the import machinery is not broken by the wrapper
import faulty.second, faulty.rec
try:
    k.plain(1)
except RuntimeError:
    out["after_reload"] = "raised again"
out["states"] = sorted(set(v["state"] for v in L.report().values()))
out["applications"] = L.stats()["applications"]
print(json.dumps(out))
`,
    ]);
    const out = json<Record<string, unknown>>(r);
    // The user's wrapper frame is the last one: the wrapper is the user's code, shown as such.
    expect(out.raised).toEqual(['bug in my wrapper', 'wrapper', 'faults_patch_core.py', 2]);
    expect(out.others).toEqual([6, 1, 2, 3]);
    expect(out.after_reload).toBe('raised again');
    expect(out.states).toEqual(['applied']);
    expect(out.applications).toBe(2 * kinds.result.model.targets.length);
    expect(r.stderr).toBe('');
  });
});

describe('a target gone or changed kind since generation', () => {
  it('method→property, function→class, staticmethod→method, def→async def: one stderr line each, unpatched, the rest applies', async () => {
    await kinds.edit('faulty/kinds.py', (t) =>
      t
        .replace('def plain(x):\n    return x + 1', 'class plain:\n    def __init__(self, x):\n        self.x = x + 1')
        .replace('def later(x):', 'async def later(x):')
        .replace('    def meth(self):', '    @property\n    def meth(self):')
        .replace('    @staticmethod\n    def stat():', '    def stat(self):'),
    );
    const r = await kinds.py([
      '-c',
      `
import asyncio, json, faulty.kinds as k, faults_patch_loader as L
raw = k.K.__dict__
print(json.dumps({
  "report": {key.split(":")[1]: [v["state"], v["reason"]] for key, v in L.report().items()},
  "works": [k.plain(1).x, asyncio.run(k.later(2)), k.K().meth, k.K().stat(), k.K().keep()],
  "untouched": ["__wrapped__" in vars(raw["meth"].fget), "__wrapped__" in vars(raw["stat"]), type(raw["meth"]).__name__],
  "keep": "__wrapped__" in vars(raw["keep"]),
}))`,
    ]);
    const out = json<{
      report: Record<string, [string, string | null]>;
      works: unknown[];
      untouched: unknown[];
      keep: boolean;
    }>(r);
    expect(out.report).toEqual({
      plain: ['error', 'it is now a class, the bundle wraps a function (package changed?)'],
      later: ['error', 'it is now an async def, the wrapper is for a plain def (package changed?)'],
      'K.meth': ['error', 'it is now a property, the bundle wraps a method (package changed?)'],
      'K.stat': ['error', 'it is now a method, the bundle wraps a staticmethod (package changed?)'],
      'K.keep': ['applied', null],
    });
    expect(out.works).toEqual([2, 6, 1, 2, 3]);
    expect(out.untouched).toEqual([false, false, 'property']);
    expect(out.keep).toBe(true);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const name of ['plain', 'later', 'K.meth', 'K.stat'])
      expect(
        lines.filter((l) => l.startsWith(`[FAULTS_PATCH] faulty.kinds:${name} not patched: it is now `)),
      ).toHaveLength(1);
  });

  it('a class that is gone takes its methods with it: errors, the module still imports', async () => {
    await kinds.edit('faulty/kinds.py', (t) => t.replace('class K:', 'class Renamed:'));
    const r = await kinds.py([
      '-c',
      'import json, faulty.kinds as k, faults_patch_loader as L; print(json.dumps([k.plain(1), sorted({v["state"] for key, v in L.report().items() if ":K." in key})]))',
    ]);
    expect(json(r)).toEqual([2, ['error']]);
    expect(r.stderr.trim().split('\n')).toHaveLength(3); // K.meth, K.stat, K.keep: one line each
    expect(r.stderr).toMatch(/faulty\.kinds:K\.meth not patched: faulty\.kinds\.K is gone/);
  });
});

describe('recursive targets and a tracer tracing what it uses', () => {
  const DEPTH = `
import json, sys, faulty.rec as r
def deepest(f):
    lo, hi = 1, 5000
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            f(mid); lo = mid
        except RecursionError:
            hi = mid - 1
    return lo
tree = r.Tree()
print(json.dumps([r.fact(10), r.depth(50), tree.walk(50), r.dump({"b": [1], "a": None}),
                  deepest(r.depth), deepest(tree.walk), sys.getrecursionlimit()]))
`;

  it('recursion through the module global and self.method: correct results, one wrapper frame per level, one trace line per call', async () => {
    const trace = `${tracer.venv.dir}/rec.jsonl`;
    const on = await tracer.py(['-c', DEPTH], { REC_PATCH_TRACE: trace });
    const off = await tracer.py(['-c', DEPTH], { REC_PATCH_DISABLE: '1' });
    const [fact, depth, walk, dumped, maxOn, maxWalkOn] = json<unknown[]>(on);
    const offValue = json<unknown[]>(off);
    expect([fact, depth, walk, dumped]).toEqual(offValue.slice(0, 4));
    expect([fact, depth, walk, dumped]).toEqual([3628800, 50, 50, '{"a": null, "b": [1]}']);
    // Every level goes through the wrapper (a decorator does the same): the usable depth is halved,
    // never cut to a constant: the wrapper itself does not recurse.
    const [maxOff, maxWalkOff] = offValue.slice(4, 6) as number[];
    expect(maxOn as number).toBeGreaterThan((maxOff as number) / 2 - 10);
    expect(maxWalkOn as number).toBeGreaterThan(maxWalkOff / 2 - 10);
    expect(on.stderr).toBe('');
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(trace, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { target: string });
    const count = (t: string) => lines.filter((l) => l.target === t).length;
    expect([count('faulty.rec:fact'), count('faulty.rec:dump')]).toEqual([10, 1]);
    console.log(
      `recursion: max depth unpatched ${String(maxOff)} / patched ${String(maxOn)} (walk ${String(maxWalkOff)} / ${String(maxWalkOn)}); ${String(lines.length)} trace lines`,
    );
  });

  it('tracing os, posixpath, json and functools.wraps (used by the runtime itself) neither recurses nor deadlocks', async () => {
    const b = await makeFaultBundle({
      name: 'stdt',
      target: ['os:*', 'posixpath:*', 'json:*', 'functools:wraps', 'functools:update_wrapper'],
      body: 'trace',
    });
    try {
      const trace = `${b.venv.dir}/stdt.jsonl`;
      const r = await b.py(
        [
          '-c',
          `
import json, os, subprocess, sys, stdt_patch_loader as L
out = [json.dumps({"p": os.path.join("a", "b")}), json.loads("[1]"), os.fsencode("x").decode()]
child = subprocess.run([sys.executable, "-c", "import os, json; print(json.dumps(os.path.join('c', 'd')))"], capture_output=True, text=True)
out.append(child.stdout.strip())
report = L.report()
out.append(sorted(set(v["state"] for v in report.values())))
out.append(report["posixpath:join"]["state"])
print(json.dumps(out))
`,
        ],
        { STDT_PATCH_TRACE: trace },
        30_000,
      );
      expect(r.timedOut).toBe(false);
      const out = json<unknown[]>(r);
      expect(out.slice(0, 4)).toEqual(['{"p": "a/b"}', [1], 'x', '"c/d"']);
      expect(out[5]).toBe('applied');
      // Only names this platform's os deletes or never defines (_add, add_dll_directory...): once each.
      const lines = r.stderr.trim().split('\n');
      expect(lines.every((l) => /^\[STDT_PATCH\] \S+ not patched: /.test(l))).toBe(true);
      expect(new Set(lines).size).toBe(lines.length);
      const { readFile } = await import('node:fs/promises');
      const traced = (await readFile(trace, 'utf8')).trim().split('\n');
      const targets = traced.map((l) => (JSON.parse(l) as { target: string }).target);
      expect(targets).toContain('posixpath:join');
      expect(targets).toContain('json:dumps');
      console.log(`tracing os/posixpath/json/functools: ${String(traced.length)} trace lines, ${String(r.ms)} ms`);
    } finally {
      await b.remove();
    }
  });
});

describe('a core that imports the sentinel (or the package) at top level', () => {
  for (const line of ['import faulty.kinds', 'import faulty', 'from faulty.kinds import K']) {
    it(`core edited to \`${line}\`: no deadlock, no recursion, every patch applied exactly once`, async () => {
      await kinds.edit('faults_patch_core.py', (t) =>
        t.replace('\nimport functools\n', `\nimport functools\n${line}\n`),
      );
      const n = kinds.result.model.targets.length;
      for (const first of [
        'import faulty.kinds',
        'import faults_patch_core',
        'import faulty',
        'import faults_patch_loader',
      ]) {
        const r = await kinds.py(
          [
            '-c',
            `${first}
import json, faulty.kinds as k, faults_patch_loader as L
print(json.dumps([L.stats()["applications"], sorted(set(v["state"] for v in L.report().values())),
                  "__wrapped__" in vars(k.plain), "__wrapped__" in vars(k.plain.__wrapped__), k.plain(1)]))`,
          ],
          {},
          20_000,
        );
        expect(r.timedOut, first).toBe(false);
        expect(json(r), first).toEqual([n, ['applied'], true, false, 2]);
        expect(r.stderr, first).toBe('');
      }
    });
  }
});

describe('a sentinel that fails to import for its own reasons', () => {
  const BREAKS: [string, string][] = [
    ['ValueError at top level', 'raise ValueError("bad config")'],
    ['ImportError of a missing dependency', 'import faulty_missing_dependency'],
    ['SyntaxError', 'def broken(:'],
  ];
  /** The traceback without importlib frames (CPython hides some of them, depending on the error). */
  const frames = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => !l.includes('<frozen importlib._bootstrap'))
      .join('\n');

  for (const [what, bad] of BREAKS) {
    it(`${what}: the same exception, message and traceback as without the bundle`, async () => {
      await sentinel.edit('faulty/sentinel.py', (t) => `${t}\n${bad}\n`);
      const on = await sentinel.py(['-c', 'import faulty.sentinel']);
      const off = await sentinel.py(['-c', 'import faulty.sentinel'], { SENT_PATCH_DISABLE: '1' });
      expect(on.exitCode).toBe(1);
      expect([on.stdout, on.exitCode]).toEqual([off.stdout, off.exitCode]);
      expect(frames(on.stderr)).toBe(frames(off.stderr));
      expect(on.stderr).not.toMatch(/_patch_/);
      expect(on.stderr).toBe(off.stderr); // importlib frames included
    });
  }

  it('a later successful import in the same process (file fixed) is patched, exactly once', async () => {
    const r = await sentinel.py([
      '-c',
      `
import importlib, json, os, sys, faulty
path = os.path.join(os.path.dirname(faulty.__file__), "sentinel.py")
good = open(path).read()
out = []
for bad in ('raise ValueError("bad config")', "import faulty_missing_dependency", "def broken(:"):
    with open(path, "w") as f:
        f.write(good + "\\n" + bad + "\\n")
    importlib.invalidate_caches()
    try:
        import faulty.sentinel
    except BaseException as e:
        out.append(type(e).__name__)
    out.append("faulty.sentinel" in sys.modules)
with open(path, "w") as f:
    f.write(good)
importlib.invalidate_caches()
sys.dont_write_bytecode = True
import faulty.sentinel as s, faulty.second as s2, sent_patch_loader as L
out.append([s.ok(1), "__wrapped__" in vars(s.ok), "__wrapped__" in vars(s2.two), L.stats()["applications"],
            sorted(set(v["state"] for v in L.report().values()))])
print(json.dumps(out))
`,
    ]);
    expect(json(r)).toEqual([
      'ValueError',
      false,
      'ModuleNotFoundError',
      false,
      'SyntaxError',
      false,
      [2, true, true, 2, ['applied']],
    ]);
    expect(r.stderr).toBe('');
  });
});
