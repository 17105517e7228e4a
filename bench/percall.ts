/** Per-call overhead of generated passthrough wrappers vs a functools.wraps closure and wrapt. */
import { execa } from 'execa';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { budget, type BudgetLine } from './budget.js';
import type { BenchContext } from './context.js';
import { generateBundle, installBundle, makeVenv } from './venv.js';

type Variants = Record<'plain' | 'closure' | 'wrapt' | 'patchkit', number> & { wraptAsync?: number };

export const benchPerCall = async (
  ctx: BenchContext,
): Promise<{ lines: BudgetLine[]; report: Record<string, Variants> }> => {
  ctx.log('per call: Debian python3 venv (--system-site-packages for python3-wrapt), bench/benchtarget.py patched');
  const venv = await makeVenv('/usr/bin/python3', join(ctx.work, 'venv-percall'), true);
  await copyFile(join(ctx.repo, 'bench/benchtarget.py'), join(venv.site, 'benchtarget.py'));
  const targets = ['benchtarget:f', 'benchtarget:C.m', 'benchtarget:C.cm', 'benchtarget:af'];
  const bundle = await generateBundle(ctx.bin, join(ctx.work, 'bundles'), 'benchcall', targets, venv.python);
  await installBundle(ctx.bin, bundle, venv.python);
  const argv = [venv.python, join(ctx.repo, 'bench/percall.py'), String(ctx.quick ? 3 : 7)];
  ctx.log(`  $ ${argv.join(' ')}`);
  const { stdout } = await execa(argv[0], argv.slice(1));
  const report = JSON.parse(stdout) as Record<string, Variants>;
  const lines: BudgetLine[] = [];
  for (const [kind, v] of Object.entries(report)) {
    const over = (x: number) => Math.max(x - v.plain, 1e-9);
    const detail = `overhead ns: patchkit ${over(v.patchkit).toFixed(0)}, closure ${over(v.closure).toFixed(0)}, wrapt ${over(v.wrapt).toFixed(0)} (bare call ${v.plain.toFixed(0)} ns)`;
    lines.push(
      budget(
        'per call',
        `${kind}: patchkit / functools.wraps closure`,
        over(v.patchkit) / over(v.closure),
        1.3,
        detail,
      ),
    );
    lines.push(
      budget('per call', `${kind}: patchkit / wrapt FunctionWrapper`, over(v.patchkit) / over(v.wrapt), 0.3, detail),
    );
    // wrapt's passthrough returns the coroutine without awaiting it, so it has no after-await slot and
    // creates one coroutine fewer; next to it, wrapt with an `async def` wrapper that awaits, as patchkit's does.
    if (v.wraptAsync !== undefined)
      lines.push(
        budget(
          'per call',
          `${kind}: patchkit / wrapt FunctionWrapper with an async wrapper (reported: both await the original)`,
          over(v.patchkit) / over(v.wraptAsync),
          Infinity,
          `overhead ns: patchkit ${over(v.patchkit).toFixed(0)}, wrapt with an async wrapper ${over(v.wraptAsync).toFixed(0)}; an \`async def\` closure ${over(v.closure).toFixed(0)} is the floor of any wrapper that stays a coroutine function`,
        ),
      );
  }
  return { lines, report };
};
