/**
 * The generated runtime with what Debian's interpreter sees (issue 15): torch (TorchScript of a
 * patched function and of a module whose patched forward it compiles; torch's own
 * `Module.__call__ = _call_impl` alias), pytest (its assertion rewriter serves a sentinel in front
 * of patchkit's finder) and wrapt (the reference for introspection of a wrapper). CI installs
 * python3-torch, python3-pytest and python3-wrapt; each test skips with the reason where its
 * package is absent.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PYTHON, tempDir } from '../helpers/python.js';
import { makeSite, parsed, type Site } from './runtime-site.js';

const has = async (module: string) =>
  existsSync(SYSTEM_PYTHON) &&
  (await execa(SYSTEM_PYTHON, ['-c', `import ${module}`], { reject: false })).exitCode === 0;
const [TORCH, PYTEST, WRAPT] = await Promise.all(['torch', 'pytest', 'wrapt'].map(has));
const skip = (ok: boolean, module: string) => (ok ? '' : ` (skipped: no ${module} for ${SYSTEM_PYTHON})`);

const TJIT = `import torch


def helper(x: torch.Tensor) -> torch.Tensor:
    return x * 2


def scale(x: torch.Tensor) -> torch.Tensor:
    return helper(x) + 1


def shift(x: torch.Tensor) -> torch.Tensor:
    return helper(x) - 3


class Net(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return helper(x) - 1


class TracedNet(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return helper(x) + 5
`;

const SCRIPT = `
import json, os, sys, torch, tjit
out = {}
x = torch.ones(2)
cases = {
    "scale": lambda: torch.jit.script(tjit.scale)(x),
    "shift": lambda: torch.jit.script(tjit.shift)(x),
    "Net": lambda: torch.jit.script(tjit.Net())(x),
    "TracedNet": lambda: torch.jit.script(tjit.TracedNet())(x),
}
for name, make in cases.items():
    try:
        out[name] = make().tolist()
    except Exception as e:
        out[name] = type(e).__name__ + ": " + " ".join(str(e).split())[:200]
out["eager"] = [tjit.scale(x).tolist(), tjit.shift(x).tolist(), tjit.Net()(x).tolist(), tjit.TracedNet()(x).tolist()]
M = torch.nn.Module
out["call"] = [M.__dict__["__call__"] is M.__dict__["_call_impl"], "__wrapped__" in vars(M.__dict__["__call__"])]
L = sys.modules.get("tj_patch_loader")
out["report"] = sorted(set(v["state"] for v in L.report().values())) if L else None
path = os.environ.get("TJT_PATCH_TRACE")
if path and os.path.exists(path):
    with open(path) as handle:
        out["traced"] = sorted(set(json.loads(line)["target"] for line in handle))
print(json.dumps(out))
`;

describe('torch 1.13 (Debian python3-torch)', () => {
  let site: Site;
  let dir: string;
  beforeAll(async () => {
    if (!TORCH) return;
    site = await makeSite({ 'tjit.py': TJIT }, { python: SYSTEM_PYTHON, systemSite: true });
    await site.bundleCli({ name: 'tj', target: ['tjit:scale', 'tjit:Net.forward'], sentinel: 'tjit' });
    await site.bundleCli({
      name: 'tjt',
      target: ['tjit:shift', 'tjit:TracedNet.forward', 'torch.nn.modules.module:Module._call_impl'],
      sentinel: 'tjit',
      body: 'trace',
    });
    dir = await tempDir('patchkit-torch-');
  }, 120_000);
  afterAll(async () => {
    await site?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!TORCH)(
    `torch.jit.script of patched functions and modules compiles as unpatched; model(x) runs _call_impl's wrapper through __call__${skip(TORCH, 'torch')}`,
    async () => {
      const trace = join(dir, 'trace.jsonl');
      const on = await site.py(['-c', SCRIPT], { env: { TJT_PATCH_TRACE: trace }, timeout: 120_000 });
      const off = await site.py(['-c', SCRIPT], {
        env: { TJ_PATCH_DISABLE: '1', TJT_PATCH_DISABLE: '1' },
        timeout: 120_000,
      });
      const patched = parsed<Record<string, unknown>>(on);
      const plain = parsed<Record<string, unknown>>(off);
      expect(plain.scale).toEqual([3, 3]); // the unpatched reference compiles
      for (const name of ['scale', 'shift', 'Net', 'TracedNet', 'eager'])
        expect(patched[name], name).toEqual(plain[name]);
      expect(patched.report).toEqual(['applied']);
      // torch's class body binds __call__ = _call_impl: both names hold the wrapper.
      expect(patched.call).toEqual([true, true]);
      expect(patched.traced).toEqual([
        'tjit:TracedNet.forward',
        'tjit:shift',
        'torch.nn.modules.module:Module._call_impl',
      ]);
      expect(on.stderr).not.toMatch(/TJ_PATCH|TJT_PATCH|Traceback/);
    },
    180_000,
  );
});

describe('pytest (Debian python3-pytest): register_assert_rewrite on the sentinel', () => {
  let site: Site;
  let dir: string;
  beforeAll(async () => {
    if (!PYTEST) return;
    site = await makeSite(
      { 'pfront.py': 'def ok(x):\n    return x + 1\n' },
      { python: SYSTEM_PYTHON, systemSite: true },
    );
    await site.bundle({ name: 'pt', target: ['pfront:ok'], sentinel: 'pfront' });
    dir = await tempDir('patchkit-pytest-');
    await site.write(
      {
        'conftest.py': 'import pytest\n\npytest.register_assert_rewrite("pfront")\n',
        'test_front.py': `import sys
import pfront


def test_the_sentinel_is_served_by_the_rewriter_and_patched():
    assert type(pfront.__loader__).__name__ == "AssertionRewritingHook"
    import pt_patch_loader as L

    assert L.report()["pfront:ok"] == {"state": "applied", "reason": None}
    assert "__wrapped__" in vars(pfront.ok)
    assert pfront.ok(1) == 2
`,
      },
      dir,
    );
  }, 120_000);
  afterAll(async () => {
    await site?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!PYTEST)(
    `the rewritten sentinel never reaches patchkit's finder; report() notices it and applies${skip(PYTEST, 'pytest')}`,
    async () => {
      const r = await site.py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', dir], {
        cwd: dir,
        env: { PYTHONDONTWRITEBYTECODE: '1' },
        timeout: 120_000,
      });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/1 passed/);
    },
    180_000,
  );
});

const WRAPT_CHECK = `
import asyncio, functools, inspect, json, sys, wrapt
def f(a, b=2, *, c=3):
    return a + b + c
def patchkit_like(original):
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        return original(*args, **kwargs)
    return wrapper
def passthrough(wrapped, instance, args, kwargs):
    return wrapped(*args, **kwargs)
def view(func):
    s = inspect.getfullargspec(func)
    return [str(inspect.signature(func)), s.args, s.varargs, func.__defaults__, func.__kwdefaults__, func.__code__.co_argcount]
print(json.dumps({"original": view(f), "wrapt": view(wrapt.FunctionWrapper(f, passthrough)), "patchkit": view(patchkit_like(f))}))
`;

describe('wrapt (Debian python3-wrapt): the reference for introspection of a wrapper', () => {
  it.skipIf(!WRAPT)(
    `wrapt's proxy shows the original's argspec, defaults and code; a plain functools.wraps wrapper only its signature (documented in the bundle README)${skip(WRAPT, 'wrapt')}`,
    async () => {
      const r = await execa(SYSTEM_PYTHON, ['-c', WRAPT_CHECK], { reject: false });
      const value = JSON.parse(String(r.stdout)) as Record<string, unknown[]>;
      expect(value.wrapt).toEqual(value.original);
      expect(value.patchkit).toEqual([value.original[0], [], 'args', null, null, 0]);
    },
  );
});
