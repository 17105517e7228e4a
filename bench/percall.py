"""Per-call overhead of generated passthrough wrappers next to a bare functools.wraps closure and
wrapt's FunctionWrapper, for a function, a method, a classmethod and an async function.

Run in a venv where the bundle patching `benchtarget` is installed and wrapt importable.
Usage: python percall.py <repeats>. Prints one JSON object of ns/call.
"""
import functools, json, statistics, sys, timeit

import benchtarget  # the sentinel: the bundle's wrappers are applied now
import wrapt

repeats = int(sys.argv[1])
N = 200_000


def closure(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def async_closure(fn):
    # The fair baseline for an async target: a coroutine function stays a coroutine function.
    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        return await fn(*args, **kwargs)
    return wrapper


def wrapt_passthrough(wrapped, instance, args, kwargs):
    return wrapped(*args, **kwargs)


async def wrapt_passthrough_async(wrapped, instance, args, kwargs):
    # wrapt's wrapper for an async target that, like patchkit's, can run code after the await.
    return await wrapped(*args, **kwargs)


def drive(coro):
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value


C = benchtarget.C
orig_f = benchtarget.f.__wrapped__
orig_m = C.__dict__["m"].__wrapped__
orig_cm = C.__dict__["cm"].__func__.__wrapped__
orig_af = benchtarget.af.__wrapped__
assert benchtarget.f is not orig_f, "bundle not applied"


class Plain:
    m = orig_m
    cm = classmethod(orig_cm)


class Closure:
    m = closure(orig_m)
    cm = classmethod(closure(orig_cm))


class Wrapt:
    m = wrapt.FunctionWrapper(orig_m, wrapt_passthrough)
    cm = wrapt.FunctionWrapper(classmethod(orig_cm), wrapt_passthrough)


obj = {"plain": Plain(), "closure": Closure(), "wrapt": Wrapt(), "patchkit": C()}
# Every variant calls through the same kind of reference, a closure cell (`g`), so that none pays
# a lookup the others do not: `benchtarget.f` would add a global and an attribute lookup per call.
call = lambda g: lambda: g(1)
drive_call = lambda g: lambda: drive(g(1))
cases = {
    "function": {"plain": call(orig_f), "closure": call(closure(orig_f)),
                 "wrapt": call(wrapt.FunctionWrapper(orig_f, wrapt_passthrough)), "patchkit": call(benchtarget.f)},
    "method": {k: (lambda o: lambda: o.m(1))(o) for k, o in obj.items()},
    "classmethod": {"plain": lambda: Plain.cm(1), "closure": lambda: Closure.cm(1), "wrapt": lambda: Wrapt.cm(1),
                    "patchkit": lambda: C.cm(1)},
    "async": {"plain": drive_call(orig_af), "closure": drive_call(async_closure(orig_af)),
              "wrapt": drive_call(wrapt.FunctionWrapper(orig_af, wrapt_passthrough)), "patchkit": drive_call(benchtarget.af),
              "wraptAsync": drive_call(wrapt.FunctionWrapper(orig_af, wrapt_passthrough_async))},
}
out = {}
for case, variants in cases.items():
    samples = {k: [] for k in variants}
    for r in range(repeats):  # alternate variants within each repeat
        for k, fn in variants.items():
            samples[k].append(timeit.timeit(fn, number=N) / N * 1e9)
    out[case] = {k: statistics.median(v) for k, v in samples.items()}
print(json.dumps(out))
