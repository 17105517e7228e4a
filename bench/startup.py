"""Start-up cost of a bundle: `python -c pass` in two venvs that differ only by the bundle, run
alternately (the machine is shared and noisy: only a same-run ratio means anything), and the
finder's cost per import over importing many stdlib modules in one process.

Usage: python3 startup.py <python-with-bundle> <python-without> <runs> <modules.txt>
Prints one JSON object.
"""
import json, os, statistics, subprocess, sys, time

with_bundle, without, runs, modules_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")


def once(python, args):
    start = time.perf_counter()
    subprocess.run([python] + args, env=env, check=True)
    return time.perf_counter() - start


for python in (with_bundle, without):  # warm the page cache
    once(python, ["-c", "pass"])
a, b = [], []
for i in range(runs):
    pair = [(with_bundle, a), (without, b)]
    if i % 2:
        pair.reverse()
    for python, sink in pair:
        sink.append(once(python, ["-c", "pass"]))

modules = open(modules_file).read().split()
script = "import importlib, time, sys\nmods = sys.argv[1:]\nt = time.perf_counter()\nfor m in mods:\n    importlib.import_module(m)\nprint(time.perf_counter() - t)\n"
ia, ib = [], []
for i in range(max(5, runs // 4)):
    for python, sink in ((with_bundle, ia), (without, ib)) if i % 2 == 0 else ((without, ib), (with_bundle, ia)):
        out = subprocess.run([python, "-c", script] + modules, env=env, check=True, capture_output=True, text=True)
        sink.append(float(out.stdout))
print(json.dumps({
    "with": statistics.median(a), "without": statistics.median(b),
    "importsWith": statistics.median(ia), "importsWithout": statistics.median(ib), "modules": len(modules),
}))
