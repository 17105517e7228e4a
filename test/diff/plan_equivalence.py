"""Does a DiffPlan reproduce the patched module? Run by equivalence.test.ts with:

    python plan_equivalence.py <plan.json> <module> <installed.py> <patched.py> <overlay_dir>

Builds the module twice in fresh namespaces, never touching the installed one: the reference,
compiled from the patched file; and the planned one, compiled from the installed file with the
plan's overlay hunks applied (by the rendered <overlay_dir>/eq_patch_overlay.py), then the module
code run in its namespace and its `unbinds` deleted, then every removal, replacement and addition
done the plainest way (a definition's text compiled in the module's globals, inside its classes'
headers for a method). Then every function reachable from the module (module level, class bodies,
properties, static and class methods) is compared: code objects recursively (bytecode, constants,
names, variables, flags, argument counts; file names and line numbers ignored), defaults; and the
module's and classes' other attributes by name and, for plain data, by value. Prints JSON.
"""
import json
import sys
import types

PLAIN = (int, float, str, bytes, bool, type(None), tuple, list, dict, frozenset, set)


def load(name, path, text):
    parent = name.rpartition(".")[0]
    if parent:
        __import__(parent)  # the real package first: its __init__ may import this very module
    module = types.ModuleType(name)
    module.__file__ = path
    module.__package__ = parent
    if path.endswith("__init__.py"):
        module.__path__ = [path[: -len("/__init__.py")]]
        module.__package__ = name
    saved = sys.modules.get(name)
    sys.modules[name] = module  # dataclasses and typing look the module up while its classes are made
    try:
        exec(compile(text, path, "exec", dont_inherit=True), module.__dict__)
    finally:
        if saved is None:
            del sys.modules[name]
        else:
            sys.modules[name] = saved
    return module


def norm(value, depth=0):
    """A comparable form of a value: containers by content, functions and classes by name, no addresses."""
    if depth > 6:
        return "..."
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [norm(v, depth + 1) for v in value]
        return (type(value).__name__, sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items)
    if isinstance(value, dict):
        return ("dict", sorted(((norm(k, depth + 1), norm(v, depth + 1)) for k, v in value.items()), key=repr))
    if isinstance(value, (types.FunctionType, type, types.BuiltinFunctionType, types.MethodType)):
        return (type(value).__name__, getattr(value, "__module__", None), getattr(value, "__qualname__", None))
    text = repr(value)
    return text if " at 0x" not in text else type(value).__name__


def shape(code):
    consts = tuple(shape(c) if isinstance(c, types.CodeType) else (type(c).__name__, repr(c)) for c in code.co_consts)
    return (
        code.co_code,
        consts,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
        code.co_flags,
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        getattr(code, "co_qualname", code.co_name),
    )


def functions(owner, prefix, out, seen, module_name):
    for name, value in sorted(vars(owner).items()):
        where = prefix + name
        for kind, fn in (("", value), (".fget", getattr(value, "fget", None)), (".fset", getattr(value, "fset", None))):
            fn = getattr(fn, "__func__", fn)  # staticmethod / classmethod
            if not isinstance(fn, types.FunctionType):
                fn = getattr(fn, "__wrapped__", None)  # functools.lru_cache and friends
            if isinstance(fn, types.FunctionType):
                out[where + kind] = (shape(fn.__code__), norm(fn.__defaults__), norm(fn.__kwdefaults__))
        if isinstance(value, type) and value.__module__ == module_name and id(value) not in seen:
            seen.add(id(value))
            functions(value, where + ".", out, seen, module_name)


def data(owner, prefix, out, seen, module_name):
    for name, value in sorted(vars(owner).items()):
        if name in ("__dict__", "__weakref__", "__builtins__"):
            continue
        where = prefix + name
        if isinstance(value, PLAIN):
            try:
                out[where] = norm(value)
            except Exception:
                out[where] = "<unrepresentable>"
        else:
            out[where] = type(value).__name__
        if isinstance(value, type) and value.__module__ == module_name and id(value) not in seen:
            seen.add(id(value))
            data(value, where + ".", out, seen, module_name)


def undecorated(source):
    lines = source.splitlines(True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("def ", "async def ")):
            return "".join(lines[i:])
    return source


def in_place_target(owner, name, source):
    """The plain function a replacement's code goes into: through staticmethod, classmethod,
    property (the accessor the decorators name) and functools.wraps chains."""
    value = vars(owner).get(name) if not isinstance(owner, types.ModuleType) else vars(owner).get(name)
    if isinstance(value, property):
        head = source.split("def ", 1)[0]
        value = value.fset if ".setter" in head else value.fdel if ".deleter" in head else value.fget
    value = getattr(value, "__func__", value)
    while not isinstance(value, types.FunctionType) and hasattr(value, "__wrapped__"):
        value = value.__wrapped__
    while isinstance(value, types.FunctionType) and hasattr(value, "__wrapped__"):
        value = value.__wrapped__
    return value if isinstance(value, types.FunctionType) else None


def main():
    plan_path, name, installed_path, patched_path, overlay_dir = sys.argv[1:6]
    with open(plan_path) as f:
        plan = json.load(f)
    with open(installed_path, encoding="utf-8") as f:
        installed = f.read()
    with open(patched_path, encoding="utf-8") as f:
        patched = f.read()
    sys.path.insert(0, overlay_dir)
    import eq_patch_overlay

    module_plan = next(m for m in plan["modules"] if m["module"] == name)
    imported = module_plan["importedNames"]
    changes = module_plan["changes"]
    text = installed
    if any(c["mechanism"] == "overlay" for c in changes):
        text = eq_patch_overlay.apply(name, installed)
    reference = load(name, installed_path, patched)
    planned = load(name, installed_path, text)
    ns = planned.__dict__
    unsimulated = []
    for change in changes:
        if change["mechanism"] != "module-code":
            continue
        exec(compile(change["source"], installed_path, "exec", dont_inherit=True), ns)
        for gone in change["unbinds"]:
            ns.pop(gone, None)
    for change in changes:
        mechanism = change["mechanism"]
        if mechanism not in ("replace", "add", "remove"):
            continue
        parts = change["qualname"].split(".")
        owner = planned
        for part in parts[:-1]:
            owner = getattr(owner, part)
        if mechanism == "remove":
            delattr(owner, change["attribute"])
            continue
        # Names the module imports, declared in a block that never runs: the compiler then emits the
        # same attribute loads as in the whole patched file (3.11+ treats imported names specially).
        prelude = "if 0:\n    import %s\n" % ", ".join(imported) if imported else ""
        header = "".join("%sclass %s:\n" % (c["indent"], c["name"]) for c in change["classes"])
        source = change["source"]
        live = in_place_target(owner, change["attribute"], source) if mechanism == "replace" else None
        if live is not None:
            # In place, as a bundle does for a function held elsewhere (aliases, a metaclass, a
            # registry): the definition without its decorators gives the code and the defaults.
            source = undecorated(source)
        scratch = {}
        try:
            exec(compile(prelude + header + source, installed_path, "exec", dont_inherit=True), ns, scratch)
        except Exception as error:  # e.g. a setter whose decorator names the class's own property
            unsimulated.append("%s: %s: %s" % (change["qualname"], type(error).__name__, error))
            continue
        made = scratch
        for context in change["classes"]:
            made = vars(made[context["name"]]) if isinstance(made, dict) else vars(vars(made)[context["name"]])
        value = made[change["attribute"]]
        if live is not None:
            value = getattr(value, "__func__", value)  # __new__ is a staticmethod, __init_subclass__ a classmethod
        if live is not None and len(live.__code__.co_freevars) == len(value.__code__.co_freevars):
            for attribute in ("__code__", "__defaults__", "__kwdefaults__", "__doc__", "__annotations__"):
                setattr(live, attribute, getattr(value, attribute))
            continue
        try:
            setattr(owner, change["attribute"], value)
        except TypeError as error:  # a class the module replaced by a compiled one
            unsimulated.append("%s: %s: %s" % (change["qualname"], type(error).__name__, error))
            continue
        for alias in change["aliases"]:
            setattr(owner, alias.rpartition(".")[2], value)
    ref_functions, got_functions = {}, {}
    functions(reference, "", ref_functions, set(), name)
    functions(planned, "", got_functions, set(), name)
    ref_data, got_data = {}, {}
    data(reference, "", ref_data, set(), name)
    data(planned, "", got_data, set(), name)
    differing = sorted(k for k in set(ref_functions) | set(got_functions) if ref_functions.get(k) != got_functions.get(k))
    details = {}
    for k in differing:
        a, b = ref_functions.get(k), got_functions.get(k)
        if a is None or b is None:
            details[k] = "only in the %s module" % ("planned" if a is None else "patched")
        else:
            fields = ("code", "consts", "names", "varnames", "freevars", "cellvars", "flags", "argcount", "posonly", "kwonly", "qualname")
            details[k] = [fields[i] for i in range(len(fields)) if a[0][i] != b[0][i]] + (["defaults"] if a[1:] != b[1:] else [])
    differing_data = sorted(k for k in set(ref_data) | set(got_data) if ref_data.get(k) != got_data.get(k))
    print(
        json.dumps(
            {
                "functions": len(ref_functions),
                "attributes": len(ref_data),
                "differing": differing,
                "details": details,
                "differingData": differing_data,
                "unsimulated": unsimulated,
            }
        )
    )


if __name__ == "__main__":
    main()
