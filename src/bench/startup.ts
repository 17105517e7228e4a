/** Interpreter start-up with and without a bundle, and the finder's cost per import. */
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { budget, type BudgetLine } from './budget.js';
import type { BenchContext } from './context.js';
import { generateBundle, installBundle, makeVenv } from './venv.js';

const MODULES_SCRIPT = `
import sys, pkgutil
skip = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "test", "lib2to3", "ensurepip", "venv", "pydoc", "webbrowser", "__main__"}
names = sorted(m.name for m in pkgutil.iter_modules() if not m.name.startswith("_") and m.name not in skip and m.module_finder.path.endswith(("python" + "%d.%d" % sys.version_info[:2])))
print("\\n".join(names[:300]))
`;

export const benchStartup = async (
  ctx: BenchContext,
): Promise<{ lines: BudgetLine[]; report: Record<string, number> }> => {
  ctx.log('start-up: python -c pass, with and without a bundle (PYTHONDONTWRITEBYTECODE=1)');
  const withB = await makeVenv('python3', join(ctx.work, 'venv-with'));
  const without = await makeVenv('python3', join(ctx.work, 'venv-without'));
  // The floor: the same venv plus a one-line `import sys` .pth, which is all any .pth costs by itself.
  const floor = await makeVenv('python3', join(ctx.work, 'venv-floor'));
  await writeFile(join(floor.site, 'floor.pth'), 'import sys\n');
  const bundle = await generateBundle(ctx.bin, join(ctx.work, 'bundles'), 'benchstart', ['json:dumps'], withB.python);
  await installBundle(ctx.bin, bundle, withB.python);
  const { stdout: modules } = await execa(without.python, ['-S', '-c', MODULES_SCRIPT]);
  const list = join(ctx.work, 'modules.txt');
  await writeFile(list, modules);
  const runs = ctx.quick ? 40 : 200;
  const argv = [
    'python3',
    join(ctx.repo, 'bench/startup.py'),
    withB.python,
    without.python,
    String(runs),
    list,
    floor.python,
  ];
  ctx.log(`  $ ${argv.join(' ')}`);
  const { stdout } = await execa(argv[0], argv.slice(1));
  const r = JSON.parse(stdout) as {
    with: number;
    without: number;
    floor: number;
    importsWith: number;
    importsWithout: number;
    modules: number;
  };
  const ratio = r.with / r.without;
  const perImportNs = ((r.importsWith - r.importsWithout) / r.modules) * 1e9;
  const lines = [
    budget(
      'start-up',
      'python -c pass with bundle / without',
      ratio,
      1.02,
      `${(r.with * 1e3).toFixed(2)} / ${(r.without * 1e3).toFixed(2)} ms, median of ${runs} alternating runs`,
    ),
    budget(
      'start-up',
      'python -c pass with a one-line `import sys` .pth / without (reported: what any .pth costs)',
      r.floor / r.without,
      Infinity,
      `${(r.floor * 1e3).toFixed(2)} / ${(r.without * 1e3).toFixed(2)} ms; site.py runs a venv's .pth files twice (3.8–3.13 here)`,
    ),
    budget(
      'start-up',
      `importing ${r.modules} stdlib modules with bundle / without (reported)`,
      r.importsWith / r.importsWithout,
      Infinity,
      `finder cost ≈ ${perImportNs.toFixed(0)} ns per import`,
    ),
  ];
  return { lines, report: { ...r, perImportNs } };
};
