/**
 * Targets that are not plain functions in their class's __dict__, and what introspection of a
 * wrapper shows (issue 15): a method the class body also binds under another name
 * (`__call__ = _call_impl`, as torch's Module does), functools.cached_property and
 * singledispatchmethod (rebuilt around the wrapper), and the introspection that does not follow
 * __wrapped__ (each difference documented in the bundle's README). A trace body proves that calls
 * pass through the wrapper: one trace line per call. Every pyenv interpreter 3.8 … 3.13.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, parsed, PYENV_PYTHONS, type Site } from './runtime-site.js';

const KINDS = `import functools


class C:
    def __init__(self, n=2):
        self.n = n

    @functools.cached_property
    def square(self):
        return self.n * self.n

    @functools.singledispatchmethod
    def show(self, arg):
        return "object"

    @show.register(int)
    def _show_int(self, arg):
        return "int"

    @functools.singledispatchmethod
    @classmethod
    def kind(cls, arg):
        return "object"

    @kind.register(str)
    @classmethod
    def _kind_str(cls, arg):
        return "str"


class M:
    def _call_impl(self, x):
        return self.forward(x)

    __call__ = _call_impl

    def forward(self, x):
        return x + 1


def f(a, b=2, *, c=3):
    return a + b + c


async def af(a, b=2):
    return a + b


def gen(a):
    yield a
`;

const TARGETS = ['C.square', 'C.show', 'C.kind', 'M._call_impl', 'f', 'af', 'gen'].map((q) => `desc.kinds:${q}`);

const CHECK = `
import json, os, desc.kinds as k
def lines():
    path = os.environ["DK_PATCH_TRACE"]
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line)["target"].split(":")[1] for line in handle]
c = k.C(3)
out = {"square": [c.square, c.square, "square" in vars(c), getattr(vars(k.C)["square"], "attrname", None)]}
out["show"] = [c.show(1), c.show("x"), k.C.kind(1), k.C.kind("s"), type(vars(k.C)["kind"]).__name__]
m = k.M()
out["call"] = [m(1), vars(k.M)["__call__"] is vars(k.M)["_call_impl"]]
import sys
L = sys.modules.get("dk_patch_loader")  # never imported with DK_PATCH_DISABLE=1
out["report"] = sorted(set(v["state"] for v in L.report().values())) if L else None
out["traced"] = lines()
print(json.dumps(out))
`;

const INTROSPECT = `
import asyncio, inspect, json, desc.kinds as k
def spec(func):
    s = inspect.getfullargspec(func)
    return [s.args, s.varargs, s.varkw, s.kwonlyargs]
def bad_call(func):
    """Where a call with a missing argument raises: at the call, or only when the coroutine runs."""
    try:
        coroutine = func()
    except TypeError:
        return "at the call"
    try:
        asyncio.run(coroutine)
    except TypeError:
        return "at the first await"
def bad_next(func):
    try:
        generator = func()
    except TypeError:
        return "at the call"
    try:
        next(generator)
    except TypeError:
        return "at the first next()"
print(json.dumps({
    "signature": [str(inspect.signature(k.f)), str(inspect.signature(k.af)), str(inspect.signature(k.gen))],
    "getfullargspec": spec(k.f),
    "defaults": [k.f.__defaults__, k.f.__kwdefaults__, k.f.__code__.co_argcount],
    "bad_call": [bad_call(k.af), bad_next(k.gen)],
    "kinds": [inspect.iscoroutinefunction(k.af), inspect.isgeneratorfunction(k.gen)],
}))
`;

const PYTHONS = PYENV_PYTHONS.filter(([, python]) => existsSync(python));

describe.each(PYTHONS)('descriptor targets and introspection on %s', (_version, python) => {
  let site: Site;
  let readme: string;
  beforeAll(async () => {
    site = await makeSite({ 'desc/__init__.py': '', 'desc/kinds.py': KINDS }, { python });
    const result = await site.bundle({ name: 'dk', target: TARGETS, body: 'trace' });
    readme = await readFile(join(result.dir, 'README.md'), 'utf8');
  });
  afterAll(() => site?.remove());

  it('cached_property and singledispatchmethod are wrapped and rebuilt; a class-body alias runs the wrapper too', async () => {
    const trace = join(site.venv.dir, 'trace.jsonl');
    await rm(trace, { force: true });
    const on = await site.py(['-c', CHECK], { env: { DK_PATCH_TRACE: trace } });
    expect(on.stderr).toBe('');
    const value = parsed<Record<string, unknown>>(on);
    const off = parsed<Record<string, unknown>>(
      await site.py(['-c', CHECK], { env: { DK_PATCH_TRACE: trace, DK_PATCH_DISABLE: '1' } }),
    );
    expect([value.square, value.show, value.call]).toEqual([off.square, off.show, off.call]);
    expect(value.square).toEqual([9, 9, true, 'square']); // __set_name__ ran on the rebuilt cached_property
    expect(value.show).toEqual(['int', 'object', 'object', 'str', 'singledispatchmethod']);
    expect(value.call).toEqual([2, true]);
    expect(value.report).toEqual(['applied']);
    // One line per call that reached a wrapper: the cached value is computed once, registered
    // overloads are upstream's own, and m(1) goes through __call__, the alias of _call_impl.
    expect(value.traced).toEqual(['C.square', 'C.show', 'C.kind', 'M._call_impl']);
  });

  it('introspection that does not follow __wrapped__ differs as the bundle README says', async () => {
    const on = parsed<Record<string, unknown>>(await site.py(['-c', INTROSPECT]));
    const off = parsed<Record<string, unknown>>(await site.py(['-c', INTROSPECT], { env: { DK_PATCH_DISABLE: '1' } }));
    expect(on.signature).toEqual(off.signature); // inspect.signature follows __wrapped__
    expect(on.kinds).toEqual([true, true]);
    expect(off.getfullargspec).toEqual([['a', 'b'], null, null, ['c']]);
    expect(on.getfullargspec).toEqual([[], 'args', 'kwargs', []]);
    expect(off.defaults).toEqual([[2], { c: 3 }, 2]);
    expect(on.defaults).toEqual([null, null, 0]);
    expect(off.bad_call).toEqual(['at the call', 'at the call']);
    expect(on.bad_call).toEqual(['at the first await', 'at the first next()']);
    for (const documented of [
      'inspect.getfullargspec',
      '__defaults__',
      '__kwdefaults__',
      '__code__',
      'at the first `await`',
      'at the first `next()`',
      'TorchScript',
    ])
      expect(readme, documented).toContain(documented);
  });
});
