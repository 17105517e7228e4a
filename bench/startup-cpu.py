"""Child CPU and wall time of `python -c pass` for several interpreters (venvs), run alternately.

Usage: python3 bench/startup-cpu.py <python>[,<python>...] <runs>
The last interpreter is the baseline. Used for bench/NOTES.md's start-up variants (each venv differs
by one .pth or module); `npm run bench` measures the budget line itself with bench/startup.py.
"""
import os, statistics, sys, time

pythons = sys.argv[1].split(",")
runs = int(sys.argv[2])
env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
cpu = {p: [] for p in pythons}
wall = {p: [] for p in pythons}
for i in range(runs):
    for python in pythons if i % 2 == 0 else pythons[::-1]:
        start = time.perf_counter()
        pid = os.posix_spawn(python, [python, "-c", "pass"], env)
        _, status, usage = os.wait4(pid, 0)
        wall[python].append(time.perf_counter() - start)
        cpu[python].append(usage.ru_utime + usage.ru_stime)
        if status != 0:
            sys.exit("%s exited with status %d" % (python, status))
base_cpu, base_wall = statistics.median(cpu[pythons[-1]]), statistics.median(wall[pythons[-1]])
for python in pythons:
    c, w = statistics.median(cpu[python]), statistics.median(wall[python])
    print("%-50s cpu %7.3f ms (%.4f)  wall %7.3f ms (%.4f)" % (python, c * 1e3, c / base_cpu, w * 1e3, w / base_wall))
