"""Start-up cost of a bundle: `python -c pass` in venvs that differ only by the bundle, run
alternately (the machine is shared and noisy: only a same-run ratio means anything), and the
finder's cost per import.

Usage: python3 startup.py <runs> <modules.txt> <with-bundle> <without> [<label>=<python> ...]
The labelled interpreters are references that differ from <without> by one .pth (what any .pth
costs, what a .pth that imports one empty module costs): the bundle's overhead is judged against
the second, the floor of any .pth that loads code.
Each child is started with posix_spawn and reaped with wait4, so its wall time and its own CPU
time (user + system) are both measured, without a Python parent's subprocess machinery in between.
Prints one JSON object.
"""
import json, os, statistics, subprocess, sys, time

runs, modules_file, with_bundle, without = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
references = dict(arg.split("=", 1) for arg in sys.argv[5:])
env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
pythons = {"with": with_bundle, "without": without, **references}


def once(python):
    start = time.perf_counter()
    pid = os.posix_spawn(python, [python, "-c", "pass"], env)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit("%s -c pass exited with status %d" % (python, status))
    return wall, usage.ru_utime + usage.ru_stime


for python in pythons.values():  # warm the page cache
    once(python)
wall = {label: [] for label in pythons}
cpu = {label: [] for label in pythons}
order = list(pythons.items())
for i in range(runs):
    for label, python in order if i % 2 == 0 else order[::-1]:
        w, c = once(python)
        wall[label].append(w)
        cpu[label].append(c)

# Importing many modules in a fresh process, with and without the bundle: the finder's cost lost in
# everything else an import does (reported; the in-process figure below isolates it).
modules = open(modules_file).read().split()
script = """import importlib, sys, time
t = time.perf_counter()
for m in sys.argv[1:]:
    try:
        importlib.import_module(m)
    except Exception:
        pass
print(time.perf_counter() - t)
"""
imports = {"with": [], "without": []}
for i in range(max(5, runs // 4)):
    pair = (("with", with_bundle), ("without", without))
    for label, python in pair if i % 2 == 0 else pair[::-1]:
        out = subprocess.run([python, "-c", script] + modules, env=env, check=True, capture_output=True, text=True)
        imports[label].append(float(out.stdout))

# In one process of the bundle's venv: importlib's own _find_spec for builtin module names (the
# cheapest lookup there is) with and without the bundle's finder first on sys.meta_path, alternating.
# The difference is what the finder adds to every import; measured for the injector's stub, and again
# after a watched module was imported, when the loader's finder has taken its place.
finder_script = r"""import sys, time, importlib._bootstrap as bootstrap
names = sorted(sys.builtin_module_names)
def per_lookup(finder):
    others = [f for f in sys.meta_path if f is not finder]
    samples = {True: [], False: []}
    for i in range(30):
        for present in (True, False) if i % 2 == 0 else (False, True):
            sys.meta_path[:] = [finder] + others if present else others
            t = time.perf_counter()
            for _ in range(20):
                for name in names:
                    bootstrap._find_spec(name, None)
            samples[present].append((time.perf_counter() - t) / (20 * len(names)))
    sys.meta_path[:] = [finder] + others
    return (min(samples[True]) - min(samples[False])) * 1e9
# The injector module stays on sys.meta_path; the loader takes over by replacing its find_spec.
ours = next(f for f in sys.meta_path if isinstance(getattr(f, "patchkit", None), str))
stub = per_lookup(ours)
loader_before = ours.patchkit in sys.modules
import json  # the bundle watches json (not imported before this line): its loader takes over
loader = per_lookup(ours)
print(json.dumps({"stubNs": stub, "loaderNs": loader, "loaderImported": [loader_before, ours.patchkit in sys.modules]}))
"""
finder = json.loads(
    subprocess.run([with_bundle, "-c", finder_script], env=env, check=True, capture_output=True, text=True).stdout
)

print(json.dumps({
    "runs": runs,
    "wall": {label: statistics.median(v) for label, v in wall.items()},
    "cpu": {label: statistics.median(v) for label, v in cpu.items()},
    # What each venv adds to `python -c pass`: the median of its differences from the bare venv's run of
    # the same round (adjacent in time, so a machine that slows down for a while moves both alike).
    "overheadWall": {label: statistics.median(a - b for a, b in zip(v, wall["without"])) for label, v in wall.items()},
    "overheadCpu": {label: statistics.median(a - b for a, b in zip(v, cpu["without"])) for label, v in cpu.items()},
    "importsWith": statistics.median(imports["with"]), "importsWithout": statistics.median(imports["without"]),
    "modules": len(modules), **finder,
}))
