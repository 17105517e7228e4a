"""Prints, as JSON, what a module is made of, for comparing a bundle-patched module with the
source-patched one: for every function reachable from it (module level, class bodies, nested
classes, static and class methods, property accessors) the shape of its code object — bytecode,
constants (code objects recursively), names, variables, flags, argument counts, qualname — and its
defaults; for the module and each class, the names it holds and, for plain data, their values. File
names and line numbers are left out: they are the only things a bundle may change.

Usage: python module_shape.py MODULE
"""
import hashlib
import importlib
import json
import sys
import types

from plan_equivalence import shape  # the same code comparison as the planner's equivalence test

PLAIN = (int, float, complex, str, bytes, bool, type(None), tuple, frozenset)
SKIP = {"__file__", "__cached__", "__spec__", "__loader__", "__builtins__", "__path__"}


def stable(value):
    """repr without memory addresses: a function or class default is named, not located."""
    if isinstance(value, tuple):
        return "(" + ", ".join(stable(v) for v in value) + ")"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        return "<%s %s.%s>" % (type(value).__name__, getattr(value, "__module__", "?"), value.__qualname__)
    return repr(value)


def digest(value):
    return hashlib.sha256(repr(value).encode("utf-8", "backslashreplace")).hexdigest()[:16]


def unwrap(obj):
    seen = 0
    while not isinstance(obj, types.FunctionType) and hasattr(obj, "__wrapped__") and seen < 10:
        obj = obj.__wrapped__
        seen += 1
    return obj


def functions_of(obj):
    """The plain functions inside a __dict__ entry (under lru_cache and other __wrapped__ keepers)."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        parts = (("fget", obj.fget), ("fset", obj.fset), ("fdel", obj.fdel))
        found = [("." + n, unwrap(f)) for n, f in parts if f is not None]
        return [(n, f) for n, f in found if isinstance(f, types.FunctionType)]
    obj = unwrap(obj)
    return [("", obj)] if isinstance(obj, types.FunctionType) else []


def describe(namespace, prefix, module_name, out, depth=0):
    for name in sorted(namespace):
        if name in SKIP:
            continue
        value = namespace[name]
        path = prefix + name
        found = functions_of(value)
        for suffix, func in found:
            if func.__module__ == module_name:
                out[path + suffix] = {
                    "code": digest(shape(func.__code__)),
                    "defaults": stable(func.__defaults__),
                    "kwdefaults": stable(tuple(sorted((func.__kwdefaults__ or {}).items()))),
                }
        if found:
            continue
        if isinstance(value, type) and value.__module__ == module_name and depth < 5 and path not in out:
            out[path] = {"class": [b.__name__ for b in value.__bases__]}
            describe(dict(vars(value)), path + ".", module_name, out, depth + 1)
        elif isinstance(value, PLAIN) or (isinstance(value, (list, dict, set)) and len(repr(value)) < 100000):
            out[path] = {"value": repr(value) if not isinstance(value, (dict, set, frozenset)) else repr(sorted(map(repr, value)))}
        else:
            out[path] = {"type": type(value).__name__}


if __name__ == "__main__":
    name = sys.argv[1]
    module = importlib.import_module(name)
    out = {}
    describe(dict(vars(module)), "", name, out)
    print(json.dumps({"file": module.__file__, "shape": out}, sort_keys=True))
