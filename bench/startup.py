"""Start-up cost of a bundle: `python -c pass` in two venvs that differ only by the bundle, run
alternately (the machine is shared and noisy: only a same-run ratio means anything), and the
finder's cost per import over importing many stdlib modules in one process.

Usage: python3 startup.py <python-with-bundle> <python-without> <runs> <modules.txt> [<python-floor>]
<python-floor>: a third venv whose only difference is a one-line `import sys` .pth: what any .pth
costs, whatever it does (reported next to the bundle, not judged).
Prints one JSON object.
"""
import json, os, statistics, subprocess, sys, time

with_bundle, without, runs, modules_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
floor = sys.argv[5] if len(sys.argv) > 5 else None
env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")


def once(python, args):
    start = time.perf_counter()
    subprocess.run([python] + args, env=env, check=True)
    return time.perf_counter() - start


pythons = [with_bundle, without] + ([floor] if floor else [])
for python in pythons:  # warm the page cache
    once(python, ["-c", "pass"])
a, b, c = [], [], []
for i in range(runs):
    group = [(with_bundle, a), (without, b)] + ([(floor, c)] if floor else [])
    if i % 2:
        group.reverse()
    for python, sink in group:
        sink.append(once(python, ["-c", "pass"]))

modules = open(modules_file).read().split()
script = "import importlib, time, sys\nmods = sys.argv[1:]\nt = time.perf_counter()\nfor m in mods:\n    importlib.import_module(m)\nprint(time.perf_counter() - t)\n"
ia, ib = [], []
for i in range(max(5, runs // 4)):
    for python, sink in ((with_bundle, ia), (without, ib)) if i % 2 == 0 else ((without, ib), (with_bundle, ia)):
        out = subprocess.run([python, "-c", script] + modules, env=env, check=True, capture_output=True, text=True)
        sink.append(float(out.stdout))
print(json.dumps({
    "with": statistics.median(a), "without": statistics.median(b), "floor": statistics.median(c) if c else None,
    "importsWith": statistics.median(ia), "importsWithout": statistics.median(ib), "modules": len(modules),
}))
