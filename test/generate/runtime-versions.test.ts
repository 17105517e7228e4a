/** The generated runtime on the oldest and newest interpreters of this machine (3.8 … 3.13). */
import { describe, expect, it } from 'vitest';
import { needsInterpreter, skipUnmet } from '../helpers/needs.js';
import { makeBundle, pyJson } from './bundle.js';

const PYENV = process.env.PYENV_ROOT ?? '/root/.pyenv';
const candidates = ['3.8.18', '3.9.18', '3.12.1', '3.13.0'].map((v) => `${PYENV}/versions/${v}/bin/python`);
const missing = new Set(
  candidates.filter((python) =>
    skipUnmet(`generated runtime on ${python}`, needsInterpreter(python, 'pyenv CPython (set PYENV_ROOT)')),
  ),
);

const CHECK = `
import asyncio, importlib, json, multiprocessing as mp, pickle, threading, demo.targets as t, demo.user as u
import demo_patch_loader as L
def child(q):
    q.put('__wrapped__' in vars(t.work))
if __name__ == '__main__':
    ctx = mp.get_context('spawn'); q = ctx.Queue(); p = ctx.Process(target=child, args=(q,)); p.start(); spawned = q.get(timeout=60); p.join()
    importlib.reload(t)
    async def collect():
        return [x async for x in t.acount(2)]
    print(json.dumps([sorted(set(v['state'] for v in L.report().values())), spawned, '__wrapped__' in vars(u.add),
        '__wrapped__' in vars(t.work.__wrapped__), asyncio.run(t.fetch(1)), asyncio.run(collect()),
        pickle.loads(pickle.dumps(t.work)) is t.work, t.Widget.make(2).size]))
`;

describe.each(candidates)('generated runtime on %s', (python) => {
  it.skipIf(missing.has(python))('applies every target, spawn child included, and survives reload', async () => {
    const bundle = await makeBundle({ name: 'demo', target: ['demo.targets:*'], python });
    try {
      const { writeFile } = await import('node:fs/promises');
      const script = `${bundle.venv.dir}/check.py`;
      await writeFile(script, CHECK);
      const r = await bundle.pyArgs([script]);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual([['applied'], true, true, false, 2, [0, 1], true, 2]);
      const unit = await bundle.pyArgs(['-m', 'unittest', 'test_demo_patch'], {}, bundle.result.dir);
      expect(unit.exitCode, unit.stderr).toBe(0);
      void pyJson;
    } finally {
      await bundle.remove();
    }
  });
});
