/** Interpreter start-up with and without a bundle, next to what any `.pth` costs, and the finder's cost per import. */
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { budget, type BudgetLine } from './budget.js';
import type { BenchContext } from './context.js';
import { generateBundle, installBundle, makeVenv } from './venv.js';

// 300 stdlib modules, listed without importing any: every top-level one, then submodules of packages.
const MODULES_SCRIPT = `
import os, pkgutil
stdlib = os.path.dirname(os.__file__)
skip = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "test", "lib2to3", "ensurepip", "venv", "pydoc", "webbrowser", "__main__", "encodings"}
top = sorted((m for m in pkgutil.iter_modules([stdlib]) if not m.name.startswith("_") and m.name not in skip), key=lambda m: m.name)
names = [m.name for m in top]
for m in top:
    if m.ispkg:
        names += sorted(s.name for s in pkgutil.iter_modules([os.path.join(stdlib, m.name)], m.name + ".") if not s.name.rpartition(".")[2].startswith("_"))
print("\\n".join(names[:300]))
`;

interface StartupResult {
  runs: number;
  wall: Record<string, number>;
  cpu: Record<string, number>;
  /** Seconds each venv adds to `python -c pass`: median of same-round differences from the bare venv. */
  overheadWall: Record<string, number>;
  overheadCpu: Record<string, number>;
  importsWith: number;
  importsWithout: number;
  modules: number;
  stubNs: number;
  loaderNs: number;
}

/** The reference venvs: each differs from the bare one by a single `.pth`. */
const references = async (ctx: BenchContext) => {
  // What any .pth costs, whatever it does: one line that imports a module already imported.
  const floor = await makeVenv('python3', join(ctx.work, 'venv-floor'));
  await writeFile(join(floor.site, 'floor.pth'), 'import sys\n');
  // What a .pth that imports one module costs (an empty one, byte-compiled): the three-file design's
  // own floor, since its .pth must import something from site-packages to hook anything.
  const imports = await makeVenv('python3', join(ctx.work, 'venv-import'));
  await writeFile(join(imports.site, 'floor_import.pth'), 'import floor_import\n');
  await writeFile(join(imports.site, 'floor_import.py'), '');
  await execa(imports.python, ['-I', '-S', '-m', 'py_compile', join(imports.site, 'floor_import.py')]);
  // The order is the run order after the bundle and the bare venv: the one judged against sits next to them.
  return { import: imports.python, floor: floor.python };
};

export const benchStartup = async (
  ctx: BenchContext,
): Promise<{ lines: BudgetLine[]; report: Record<string, unknown> }> => {
  ctx.log('start-up: python -c pass, with and without a bundle (PYTHONDONTWRITEBYTECODE=1)');
  const withB = await makeVenv('python3', join(ctx.work, 'venv-with'));
  const without = await makeVenv('python3', join(ctx.work, 'venv-without'));
  const refs = await references(ctx);
  const bundle = await generateBundle(ctx.bin, join(ctx.work, 'bundles'), 'benchstart', ['json:dumps'], withB.python);
  await installBundle(ctx.bin, bundle, withB.python);
  const { stdout: modules } = await execa(without.python, ['-S', '-c', MODULES_SCRIPT]);
  const list = join(ctx.work, 'modules.txt');
  await writeFile(list, modules);
  const runs = ctx.quick ? 40 : 300;
  const argv = [
    'python3',
    join(ctx.repo, 'bench/startup.py'),
    String(runs),
    list,
    withB.python,
    without.python,
    ...Object.entries(refs).map(([label, python]) => `${label}=${python}`),
  ];
  ctx.log(`  $ ${argv.join(' ')}`);
  const { stdout } = await execa(argv[0], argv.slice(1));
  const r = JSON.parse(stdout) as StartupResult;
  const ms = (label: string) => `${(r.wall[label] * 1e3).toFixed(2)} / ${(r.wall.without * 1e3).toFixed(2)} ms`;
  const cpu = (label: string) => `child CPU ${(r.cpu[label] / r.cpu.without).toFixed(3)}`;
  const perImportNs = ((r.importsWith - r.importsWithout) / r.modules) * 1e9;
  const us = (seconds: number) => `${(seconds * 1e6).toFixed(0)} µs`;
  // Judged on the child's own CPU time (user + system, from wait4): on a shared machine its wall time
  // also holds the wait for a free core, which is no cost of the bundle. Wall time is shown beside it.
  // A floor that measures at or below zero is noise, not a figure to divide by: the line then fails.
  const overRatio = (o: Record<string, number>) => (o.import > 0 ? o.with / o.import : NaN);
  const lines = [
    // The design's floor: its .pth must import something from site-packages to hook anything, and the
    // cheapest such hook, one empty byte-compiled module, is the reference (bench/NOTES.md).
    budget(
      'start-up',
      'bundle overhead / overhead of a .pth importing one empty byte-compiled module (child CPU)',
      overRatio(r.overheadCpu),
      1.15,
      `${us(r.overheadCpu.with)} / ${us(r.overheadCpu.import)} of CPU added to python -c pass, median of ${runs} same-round differences; wall ${us(r.overheadWall.with)} / ${us(r.overheadWall.import)} = ${overRatio(r.overheadWall).toFixed(3)}`,
    ),
    budget(
      'start-up',
      'python -c pass with bundle / without (child CPU)',
      r.cpu.with / r.cpu.without,
      1.035,
      `${(r.cpu.with * 1e3).toFixed(2)} / ${(r.cpu.without * 1e3).toFixed(2)} ms CPU, median of ${runs} alternating runs; wall ${ms('with')} = ${(r.wall.with / r.wall.without).toFixed(3)}`,
    ),
    budget(
      'start-up',
      'python -c pass with a .pth importing one empty module / without (reported: the floor of any .pth that loads code)',
      r.wall.import / r.wall.without,
      Infinity,
      `${ms('import')}; ${cpu('import')}`,
    ),
    budget(
      'start-up',
      'python -c pass with a one-line `import sys` .pth / without (reported: what any .pth costs)',
      r.wall.floor / r.wall.without,
      Infinity,
      `${ms('floor')}; ${cpu('floor')}; site.py runs a venv's .pth files twice (3.8–3.13 here)`,
    ),
    budget(
      'start-up',
      `importing ${r.modules} stdlib modules with bundle / without (reported)`,
      r.importsWith / r.importsWithout,
      Infinity,
      `≈ ${perImportNs.toFixed(0)} ns per import, lost in the noise of whole imports; in one process the finder adds ${r.stubNs.toFixed(0)} ns to a lookup (the injector's stub), ${r.loaderNs.toFixed(0)} ns once the loader has taken over`,
    ),
  ];
  return { lines, report: { ...r, perImportNs } };
};
