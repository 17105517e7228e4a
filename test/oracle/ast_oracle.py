#!/usr/bin/env python3
"""CPython's own answer to `patchkit scan`: every definition reachable by attribute path from its module.

That is each def, async def and class at module level or in a class body, also inside the blocks that
run when the module or class body runs (if/else, try/except/else/finally, with, for, while, match
cases), recursively through nested classes; never a definition inside a function body, which no
attribute path reaches. For every .py file under ROOT (sorted, as os.walk yields them) it prints one
JSON line {"module", "qualname", "kind", "line", "async"}; files CPython's ast refuses are counted on
stderr as {"unparsable": N}. It imports nothing from ROOT: the files are only read and parsed.

Usage: python3 test/oracle/ast_oracle.py ROOT
"""
import ast
import json
import os
import sys

# Fields holding statements run in the same scope as their statement (handlers and match cases are
# nodes whose own `body` field then holds the statements).
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def module_name(parent, path):
    """The dotted module name of `path` below `parent` (a package's __init__.py is the package)."""
    parts = os.path.relpath(path, parent)[: -len(".py")].split(os.sep)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def definitions(body, prefix, in_class, out):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = "method" if in_class else "function"
            out.append((prefix + node.name, kind, node.lineno, isinstance(node, ast.AsyncFunctionDef)))
        elif isinstance(node, ast.ClassDef):
            out.append((prefix + node.name, "class", node.lineno, False))
            definitions(node.body, prefix + node.name + ".", True, out)
        else:
            for field in _BLOCK_FIELDS:
                block = getattr(node, field, None)
                if isinstance(block, list):
                    definitions(block, prefix, in_class, out)


def main(root):
    root = os.path.abspath(root)
    parent = os.path.dirname(root)
    unparsable = 0
    write = sys.stdout.write
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as handle:
                    tree = ast.parse(handle.read())
            except (SyntaxError, ValueError):
                unparsable += 1
                continue
            found = []
            definitions(tree.body, "", False, found)
            module = module_name(parent, path)
            for qualname, kind, line, is_async in found:
                record = {"module": module, "qualname": qualname, "kind": kind, "line": line, "async": is_async}
                write(json.dumps(record) + "\n")
    sys.stderr.write(json.dumps({"unparsable": unparsable}) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__.rsplit("Usage: ", 1)[1])
        sys.exit(2)
    main(sys.argv[1])
