/**
 * One line per target with its status; under it what changed: signatures old → new, where it moved,
 * upstream's diff of the definition, or the closest names to a missing one. Exit 1 when a status matters.
 */
import type { CheckOptions, CheckResult } from '../commands/check.js';
import type { TargetDrift } from '../install/drift.js';

const indent = (text: string) =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `      ${l}`);

const detail = (t: TargetDrift): string[] => {
  const out: string[] = [];
  if (!t.now && t.status === 'missing') {
    out.push(`    ${t.gone ?? 'no definition of this qualname in the scanned package'}`);
    if (t.closest?.length) out.push(`    closest: ${t.closest.join(', ')}`);
    return out;
  }
  if (t.note) out.push(`    ${t.note}`);
  if (t.now && (t.now.module !== t.old.module || t.now.line !== t.old.line))
    out.push(`    ${t.old.module}:${t.old.line} → ${t.now.module}:${t.now.line}`);
  if (t.now && t.status === 'signature') out.push(`    old ${t.old.signature}`, `    new ${t.now.signature}`);
  for (const h of t.hunks ?? [])
    out.push(
      h.applies
        ? `    hunk #${h.index} ${h.header} applies at line ${h.line}${h.offset ? ` (${h.offset > 0 ? '+' : ''}${h.offset} lines)` : ''}`
        : `    hunk #${h.index} ${h.header} no longer applies: ${h.reason}`,
    );
  if (t.diff && t.status !== 'moved' && t.status !== 'unchanged') out.push(...indent(t.diff));
  return out;
};

export const render = (data: CheckResult, options: CheckOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  const versions = `${data.oldVersion ?? '?'} → ${data.newVersion ?? '?'}`;
  const lines = [`${data.name}: ${data.package} ${versions} (${data.scanned})`];
  for (const t of data.targets) lines.push(`  ${t.status.padEnd(9)} ${t.key}`, ...detail(t));
  const quiet = data.targets.filter((t) => !t.matters && t.status !== 'unchanged').length;
  lines.push(
    data.changed === 0
      ? quiet === 0
        ? 'all targets unchanged'
        : `nothing the patch depends on changed (${quiet} target(s) moved or edited where no patch depends)`
      : `${data.changed} target(s) changed what the patch depends on: review, then \`patchkit update\``,
  );
  if (data.conflicts.length > 0)
    lines.push(
      `the core holds ${data.conflicts.length} unresolved merge conflict(s) (line ${data.conflicts.join(', ')}): resolve them before installing`,
    );
  return lines.join('\n');
};

export const exitCodeFor = (data: CheckResult): number => (data.changed === 0 && data.conflicts.length === 0 ? 0 : 1);
