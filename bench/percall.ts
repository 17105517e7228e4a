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
    if (v.wraptAsync === undefined) {
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
      continue;
    }
    // An async target's wrapper must stay a coroutine function (issue 3), so its floor is an `async def`
    // closure and its wrapt counterpart an `async def` wrapper that awaits, as patchkit's does. wrapt's
    // plain passthrough returns the original's coroutine unawaited (one coroutine fewer, no after-await
    // slot): reported.
    const asyncDetail = `overhead ns: patchkit ${over(v.patchkit).toFixed(0)}, \`async def\` closure ${over(v.closure).toFixed(0)}, wrapt with an async wrapper ${over(v.wraptAsync).toFixed(0)}, wrapt passthrough ${over(v.wrapt).toFixed(0)} (bare call ${v.plain.toFixed(0)} ns)`;
    lines.push(
      budget(
        'per call',
        `${kind}: patchkit / functools.wraps \`async def\` closure`,
        over(v.patchkit) / over(v.closure),
        1.3,
        asyncDetail,
      ),
    );
    lines.push(
      budget(
        'per call',
        `${kind}: patchkit / wrapt FunctionWrapper with an async wrapper (below 1: both await the original)`,
        over(v.patchkit) / over(v.wraptAsync),
        1,
        asyncDetail,
      ),
    );
    lines.push(
      budget(
        'per call',
        `${kind}: patchkit / wrapt FunctionWrapper passthrough (reported: returns the coroutine unawaited)`,
        over(v.patchkit) / over(v.wrapt),
        Infinity,
        asyncDetail,
      ),
    );
  }
  return { lines, report };
};
