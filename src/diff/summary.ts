/**
 * The text summary of a DiffPlan, grouped by module: each change with its mechanism, what it acts
 * on and the hunks that carry it; then the hunks no change needs, then the warnings. A reporter
 * prints it as it is; `--json` prints the plan itself (every hunk with its mechanisms).
 */
import type { Change, DiffPlan } from './plan.js';

const hunkList = (hunks: number[]) => (hunks.length === 1 ? `hunk ${hunks[0]}` : `hunks ${hunks.join(', ')}`);

const what = (change: Change): string => {
  switch (change.mechanism) {
    case 'overlay':
      return `source overlay: ${change.reason}`;
    case 'module-code': {
      const parts = [
        change.binds.length > 0 ? `binds ${change.binds.join(', ')}` : '',
        change.unbinds.length > 0 ? `deletes ${change.unbinds.join(', ')}` : '',
      ].filter(Boolean);
      return `module code (${parts.join('; ') || 'statements'})`;
    }
    case 'new-file':
      return `new module file ${change.relpath}`;
    default:
      return `${change.qualname} (${change.kind}${change.async ? ', async' : ''})`;
  }
};

export const planSummary = (plan: DiffPlan): string => {
  const lines: string[] = [];
  for (const module of plan.modules) {
    const where = module.path ?? 'new file';
    lines.push(`${module.module}  ${where}${module.alreadyImported ? '  (imported at interpreter start-up)' : ''}`);
    if (module.changes.length === 0) lines.push('  (nothing to do at run time)');
    for (const change of module.changes)
      lines.push(`  ${change.mechanism.padEnd(11)} ${what(change)}  [${hunkList(change.hunks)}]`);
  }
  const idle = plan.hunks.filter((h) => h.mechanisms.length === 0);
  if (idle.length > 0) lines.push('', `no change needed for ${hunkList(idle.map((h) => h.index))}`);
  const counts = new Map<string, number>();
  for (const h of plan.hunks) for (const m of h.mechanisms) counts.set(m, (counts.get(m) ?? 0) + 1);
  lines.push(
    '',
    `${plan.hunks.length} hunks in ${plan.modules.length} modules: ` +
      ([...counts].map(([m, n]) => `${m} ${n}`).join(', ') || 'nothing to apply'),
  );
  if (plan.warnings.length > 0) lines.push('', ...plan.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n') + '\n';
};
