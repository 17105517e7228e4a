/** trace bodies across processes: spawn, fork, subprocess; pickling by reference; concurrency; reload. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, pyJson, type Bundle } from './bundle.js';

let bundle: Bundle;
beforeAll(async () => {
  bundle = await makeBundle({
    name: 'tracer',
    target: ['demo.targets:work', 'demo.targets:boom', 'demo.targets:Widget.*', 'demo.targets:fetch'],
    body: 'trace',
  });
});
afterAll(() => bundle?.remove());

interface TraceLine {
  target: string;
  pid: number;
  duration: number;
  exception: string | null;
}

const traceOf = async (file: string): Promise<TraceLine[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TraceLine);

describe('trace wrappers in child processes', () => {
  it('spawn and fork children and a subprocess all run the wrapper; work pickles by reference across spawn', async () => {
    const trace = join(bundle.venv.dir, 'trace-children.jsonl');
    const script = join(bundle.venv.dir, 'children.py');
    await writeFile(
      script,
      `
import json, multiprocessing as mp, os, subprocess, sys
import demo.targets as t

def child(q):
    q.put((os.getpid(), t.work(21), '__wrapped__' in vars(t.work)))

if __name__ == '__main__':
    out = {"parent": [os.getpid(), t.work(1)]}
    for method in ('spawn', 'fork'):
        ctx = mp.get_context(method)
        q = ctx.Queue()
        p = ctx.Process(target=child, args=(q,))
        p.start(); out[method] = q.get(timeout=60); p.join()
        with ctx.Pool(2) as pool:  # t.work itself is pickled: by reference, as the wrapper
            out[method + '_pool'] = pool.map(t.work, [1, 2, 3])
    sub = subprocess.run([sys.executable, '-c', 'import os, demo.targets as t; t.work(5); print(os.getpid())'], capture_output=True, text=True)
    out["subprocess"] = int(sub.stdout)
    print(json.dumps(out))
`,
    );
    const r = await bundle.pyArgs([script], { TRACER_PATCH_TRACE: trace });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    const lines = await traceOf(trace);
    const pids = (m: string) => (out[m] as number[])[0];
    expect((out.spawn as unknown[]).slice(1)).toEqual([42, true]);
    expect((out.fork as unknown[]).slice(1)).toEqual([42, true]);
    expect(out.spawn_pool).toEqual([2, 4, 6]);
    expect(out.fork_pool).toEqual([2, 4, 6]);
    const workPids = new Set(lines.filter((l) => l.target === 'demo.targets:work').map((l) => l.pid));
    for (const pid of [pids('parent'), pids('spawn'), pids('fork'), out.subprocess as number])
      expect(workPids).toContain(pid);
    // 1 parent + 1 spawn + 1 fork + 3 + 3 pool calls + 1 subprocess
    expect(lines.filter((l) => l.target === 'demo.targets:work')).toHaveLength(10);
    expect(lines.every((l) => typeof l.duration === 'number' && l.duration >= 0)).toBe(true);
  });

  it('records the exception type, and async calls once awaited', async () => {
    const trace = join(bundle.venv.dir, 'trace-exc.jsonl');
    const r = await bundle.py(
      'import asyncio, demo.targets as t\ntry:\n    t.boom()\nexcept ValueError:\n    pass\nasyncio.run(t.fetch(1))\nt.Widget.make(2).size',
      { TRACER_PATCH_TRACE: trace },
    );
    expect(r.exitCode).toBe(0);
    const lines = await traceOf(trace);
    // make() calls __init__, whose line is written first (a line is written when the call ends).
    expect(lines.map((l) => [l.target, l.exception])).toEqual([
      ['demo.targets:boom', 'ValueError'],
      ['demo.targets:fetch', null],
      ['demo.targets:Widget.__init__', null],
      ['demo.targets:Widget.make', null],
      ['demo.targets:Widget.size', null],
    ]);
    await rm(trace);
  });

  it('8 threads importing the sentinel at once: every target applied exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const { value } = await pyJson<[Record<string, number>, string[], boolean]>(
        bundle,
        `
import json, sys, threading
import tracer_patch_loader as L
barrier = threading.Barrier(8)
def go():
    barrier.wait()
    import demo.targets
threads = [threading.Thread(target=go) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
t = sys.modules['demo.targets']
print(json.dumps([L.stats(), sorted(set(v['state'] for v in L.report().values())), '__wrapped__' in vars(t.work.__wrapped__)]))
`,
      );
      expect(value[0].applications).toBe(bundle.result.model.targets.length);
      expect(value[1]).toEqual(['applied']);
      expect(value[2]).toBe(false);
    }
  });

  it('importlib.reload re-patches without double wrapping', async () => {
    const { value } = await pyJson<unknown[]>(
      bundle,
      `
import importlib, json, demo.targets as t
import tracer_patch_loader as L
before = t.work
importlib.reload(t); importlib.reload(t)
print(json.dumps([t.work is not before, '__wrapped__' in vars(t.work), '__wrapped__' in vars(t.work.__wrapped__),
                  '__wrapped__' in vars(t.Widget.__dict__['grow'].__wrapped__), L.stats()['applications'], t.work(2)]))
`,
    );
    expect(value).toEqual([true, true, false, false, 3 * bundle.result.model.targets.length, 4]);
  });

  it('a sentinel already imported when install() runs (an earlier .pth) is patched at once', async () => {
    const early = join(bundle.venv.sitePackages, '00early.pth');
    await writeFile(early, 'import demo.targets\n');
    try {
      const { value } = await pyJson<unknown[]>(
        bundle,
        `import json, sys, tracer_patch_loader as L
t = sys.modules['demo.targets']
print(json.dumps(['__wrapped__' in vars(t.work), L.report()['demo.targets:work']['state']]))`,
      );
      expect(value).toEqual([true, 'applied']);
    } finally {
      await rm(early);
    }
  });
});
