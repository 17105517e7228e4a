/** End-to-end CLI cost: `patchkit --help` and a one-file scan against `node -e 0`. */
import { budget, type BudgetLine } from './budget.js';
import type { BenchContext } from './context.js';
import { compare, type Timing } from './measure.js';

export const benchCli = async (ctx: BenchContext): Promise<{ timings: Timing[]; lines: BudgetLine[] }> => {
  ctx.log('CLI');
  const timings = await compare(
    [
      { label: 'node -e 0', argv: [process.execPath, '-e', '0'] },
      { label: 'patchkit --help', argv: [process.execPath, ctx.bin, '--help'] },
      { label: 'patchkit scan difflib --json', argv: [process.execPath, ctx.bin, 'scan', 'difflib', '--json'] },
    ],
    ctx.quick ? 5 : 15,
    ctx.log,
  );
  const [node, help, scan] = timings;
  return {
    timings,
    lines: [
      budget(
        'cli',
        'patchkit --help / node -e 0',
        help.wallMs / node.wallMs,
        3,
        `${help.wallMs.toFixed(0)} / ${node.wallMs.toFixed(0)} ms`,
      ),
      budget(
        'cli',
        'patchkit scan difflib / node -e 0 (reported)',
        scan.wallMs / node.wallMs,
        Infinity,
        `${scan.wallMs.toFixed(0)} / ${node.wallMs.toFixed(0)} ms`,
      ),
    ],
  };
};
