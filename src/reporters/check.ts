/** One line per target; signatures old → new; exit 1 when anything drifted. */
import type { CheckOptions, CheckResult } from '../commands/check.js';
import type { TargetDrift } from '../install/drift.js';

const detail = (t: TargetDrift): string[] => {
  if (!t.now) return [`    ${t.gone ?? 'no definition of this qualname in the scanned package'}`];
  switch (t.status) {
    case 'signature':
      return [`    old ${t.old.signature}`, `    new ${t.now.signature}`];
    case 'body':
      return [`    fingerprint ${t.old.fingerprint} → ${t.now.fingerprint}`];
    case 'moved':
      return [`    ${t.old.module}:${t.old.line} → ${t.now.module}:${t.now.line}`];
    default:
      return [];
  }
};

export const render = (data: CheckResult, options: CheckOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  const versions = `${data.oldVersion ?? '?'} → ${data.newVersion ?? '?'}`;
  const lines = [`${data.name}: ${data.package} ${versions} (${data.scanned})`];
  for (const t of data.targets) lines.push(`  ${t.status.padEnd(9)} ${t.key}`, ...detail(t));
  lines.push(
    data.changed === 0 ? 'all targets unchanged' : `${data.changed} target(s) changed: regenerate or review the bundle`,
  );
  return lines.join('\n');
};

export const exitCodeFor = (data: CheckResult): number => (data.changed === 0 ? 0 : 1);
