/**
 * Runtime faults around process life: interpreter shutdown while trace lines are written (daemon
 * threads, sys.exit, os._exit, SIGTERM), and fork from a thread while another thread holds the
 * loader's lock or is applying patches (pitfall P6). Real interpreters, real bundles.
 */
import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsDebianPython, skipUnmet } from '../helpers/needs.js';
import { SYSTEM_PYTHON } from '../helpers/python.js';
import { json, makeFaultBundle, type FaultBundle } from './runtime-bundle.js';

const bundles: FaultBundle[] = [];
let traced: FaultBundle;
beforeAll(async () => {
  traced = await makeFaultBundle({ name: 'demo', target: ['demo.targets:*'], sentinel: 'demo', body: 'trace' });
  bundles.push(traced);
});
afterAll(async () => {
  for (const b of bundles) await b.remove();
});

const SHUTDOWN = `
import os, signal, sys, threading, time
import demo.targets as t
def loop():
    w = t.Widget(1)
    while True:
        t.work(1); w.grow(1); t.add(1)
for _ in range(4):
    threading.Thread(target=loop, daemon=True).start()
class Late:
    def __del__(self):
        t.work(3)  # a traced call during finalisation
keep = Late()
time.sleep(0.15)
mode = sys.argv[1]
if mode == "exit":
    sys.exit(0)
elif mode == "_exit":
    os._exit(0)
elif mode == "sigterm":
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)
`;

/**
 * Every line of the trace file whole and valid; `tail` is whether the file ends in a fragment. Each
 * line is one O_APPEND write(2), but Linux stops a regular-file write between pages once the process
 * is being killed (exit_group, a fatal signal), so the write in progress at that instant may leave
 * the first part of its line as the file's end: nothing the runtime can prevent, and nothing after
 * it, since every later write of the dying process stops before its first byte.
 */
const checkTrace = async (file: string) => {
  const text = existsSync(file) ? await readFile(file, 'utf8') : '';
  const lines = text.split('\n');
  const tail = lines.pop() !== '';
  let bad = 0;
  for (const line of lines) {
    try {
      const v = JSON.parse(line) as { target?: string; pid?: number };
      if (typeof v.target !== 'string' || typeof v.pid !== 'number') bad++;
    } catch {
      bad++;
    }
  }
  return { lines: lines.length, bad, tail };
};

describe('interpreter shutdown while trace lines are being written', () => {
  const noDebian = skipUnmet("interpreter shutdown on Debian's /usr/bin/python3", needsDebianPython());
  const pythons: [string, string | undefined][] = [
    ['python3', undefined],
    ['/usr/bin/python3', noDebian ? undefined : SYSTEM_PYTHON],
  ];
  for (const [label, python] of pythons) {
    for (const mode of ['exit', '_exit', 'sigterm']) {
      it.skipIf(label !== 'python3' && !python)(
        `${label}: 4 daemon threads tracing, main thread ${mode}: no noise, whole lines`,
        async () => {
          let b = traced;
          if (python) {
            b = await makeFaultBundle({
              name: 'demo',
              target: ['demo.targets:*'],
              sentinel: 'demo',
              body: 'trace',
              python,
            });
            bundles.push(b);
          }
          const script = `${b.venv.dir}/shutdown.py`;
          const { writeFile } = await import('node:fs/promises');
          await writeFile(script, SHUTDOWN);
          let total = 0;
          let tails = 0;
          for (let i = 0; i < 5; i++) {
            const trace = `${b.venv.dir}/shutdown-${mode}-${String(i)}.jsonl`;
            const r = await b.py([script, mode], { DEMO_PATCH_TRACE: trace }, 30_000);
            expect(r.timedOut).toBe(false);
            if (mode === 'sigterm') expect(r.signal).toBe('SIGTERM');
            else expect(r.exitCode).toBe(0);
            expect(r.stderr).toBe('');
            expect(r.stdout).toBe('');
            const { lines, bad, tail } = await checkTrace(trace);
            expect(bad).toBe(0);
            expect(lines).toBeGreaterThan(0);
            total += lines;
            if (tail) tails++;
            await rm(trace, { force: true });
          }
          // A cut last write is rare (a line crosses a page boundary as the process dies): never in most runs.
          expect(tails).toBeLessThan(5);
          console.log(
            `shutdown ${label} ${mode}: 5 runs, ${String(total)} trace lines, 0 torn, ${String(tails)} ending in a cut last write, stderr empty`,
          );
        },
      );
    }
  }
});

/**
 * Python 3.12+ warns about fork() in a multi-threaded process (DeprecationWarning on stderr). These
 * scripts fork from threads on purpose, so the warning is theirs, not the bundle's: silenced, so that
 * "stderr empty" still checks the runtime on every version.
 */
const QUIET_FORK =
  'import warnings; warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)';

describe('fork from a thread (os.register_at_fork gives the child a fresh lock)', () => {
  it('a thread holds the loader lock while another forks: the child imports the sentinel and calls report()', async () => {
    const r = await traced.py(
      [
        '-c',
        `${QUIET_FORK}
import faulthandler, json, os, threading, time
import demo_patch_loader as L
held = threading.Event()
def hold():
    L._lock.acquire(); held.set(); time.sleep(60)
threading.Thread(target=hold, daemon=True).start()
held.wait()
def forker(out):
    pid = os.fork()
    if pid == 0:
        faulthandler.dump_traceback_later(10, exit=True)  # a hung child must not hang the test
        import demo.targets as t
        state = L.report()["demo.targets:work"]["state"]
        os.write(1, json.dumps([t.work(2), state, "__wrapped__" in vars(t.work)]).encode())
        os._exit(0)
    out.append(os.waitpid(pid, 0)[1])
out = []
f = threading.Thread(target=forker, args=(out,)); f.start(); f.join()
os.write(1, ("\\n" + json.dumps(out)).encode())
`,
      ],
      {},
      20_000,
    );
    expect(r.timedOut).toBe(false);
    const [child, parent] = r.stdout.split('\n');
    expect(JSON.parse(child)).toEqual([4, 'applied', true]);
    expect(JSON.parse(parent)).toEqual([0]);
    expect(r.stderr).toBe('');
  });

  it('a thread is applying the patches (slow wrapper factory) while another forks: the child completes them', async () => {
    await traced.edit(
      'demo_patch_core.py',
      (t) =>
        `${t}\n_slow = TARGETS["demo.targets:work"][1]\n_in_factory = []\n` +
        `def _slow_factory(original, _f=_slow):\n    _in_factory.append(1)\n    time.sleep(1.5)\n    return _f(original)\n` +
        `TARGETS["demo.targets:work"] = ("wrap", _slow_factory)\n`,
    );
    try {
      const r = await traced.py(
        [
          '-c',
          `${QUIET_FORK}
import faulthandler, json, os, sys, threading, time
def importer():
    import demo
threading.Thread(target=importer, daemon=True).start()
import demo_patch_loader as L
# Deterministic: fork once the thread is inside a wrapper factory (the core and what applying
# imports are complete then; a fork while a thread imports any module hangs the child unpatched too).
while not getattr(sys.modules.get("demo_patch_core"), "_in_factory", None):
    time.sleep(0.01)
pid = os.fork()
if pid == 0:
    faulthandler.dump_traceback_later(10, exit=True)  # a hung child must not hang the test
    import demo, demo.targets as t, decimal  # decimal: any later import finishes what the thread left
    r = L.report()
    os.write(1, json.dumps([t.work(2), "__wrapped__" in vars(t.work), sorted(set(v["state"] for v in r.values()))]).encode())
    os._exit(0)
status = os.waitpid(pid, 0)[1]
os.write(1, ("\\n" + json.dumps([status])).encode())
`,
        ],
        {},
        20_000,
      );
      expect(r.timedOut).toBe(false);
      const [child, parent] = r.stdout.split('\n');
      expect(JSON.parse(child)).toEqual([4, true, ['applied']]);
      expect(JSON.parse(parent)).toEqual([0]);
      expect(r.stderr).toBe('');
    } finally {
      await traced.restore();
    }
  });

  it('the runtime registers its fork handler only where os.register_at_fork exists, and stays 3.8 syntax', async () => {
    const loader = await readFile(`${traced.site}/demo_patch_loader.py`, 'utf8');
    expect(loader).toMatch(/if hasattr\(os, "register_at_fork"\):/);
    const r = await traced.py([
      '-c',
      'import ast, json, sys; print(json.dumps([bool(ast.parse(open(f).read(), feature_version=(3, 8))) for f in sys.argv[1:]]))',
      `${traced.site}/demo_patch_loader.py`,
      `${traced.site}/demo_patch_core.py`,
    ]);
    expect(json(r)).toEqual([true, true]);
  });
});
