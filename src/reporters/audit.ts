/**
 * Start-up files per site dir, their executable lines with flags and owners. Exit 1 when a foreign
 * file that this interpreter processes has a flagged line: usable as a CI gate on images.
 */
import type { AuditOptions, AuditResult } from '../commands/audit.js';
import type { AuditFile } from '../audit/audit.js';
import type { Owner } from '../audit/owners.js';

const ownerText = (o: Owner) =>
  o.kind === 'patchkit'
    ? `patchkit bundle ${o.distribution}${o.installer ? ` (installed by ${o.installer})` : ''}`
    : o.kind === 'distribution'
      ? `foreign: ${o.distribution}`
      : 'foreign: no installed distribution lists it';

const MAX_SHOWN = 160;

const fileLines = (f: AuditFile): string[] => {
  const state = f.processed ? 'runs at start-up' : `not processed: ${f.note}`;
  const lines = [
    `  ${f.path.slice(f.siteDir.length + 1)}  [${ownerText(f.owner)}]  ${state}${f.hidden ? '  HIDDEN' : ''}`,
  ];
  if (f.unreadable) lines.push(`    unreadable: ${f.unreadable}`);
  for (const l of f.executable) {
    const text = l.text.length > MAX_SHOWN ? `${l.text.slice(0, MAX_SHOWN)}… (${l.text.length} chars)` : l.text;
    lines.push(`    ${l.line}: ${text}`);
    for (const flag of l.flags) lines.push(`       ! ${flag.code}: ${flag.evidence.join(', ')}`);
  }
  for (const p of f.paths) lines.push(`    path: ${p}`);
  return lines;
};

export const render = (data: AuditResult, options: AuditOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  const lines = [`start-up files for ${data.python} (Python ${data.version}); nothing was run`];
  for (const d of data.dirs) {
    const files = data.files.filter((f) => f.siteDir === d.dir);
    lines.push('', `${d.dir}${d.active ? '' : '  (not processed by this interpreter)'}`);
    if (files.length === 0) lines.push('  (no .pth or .start files)');
    for (const f of files) lines.push(...fileLines(f));
  }
  return lines.join('\n');
};

export const exitCodeFor = (data: AuditResult): number =>
  data.files.some((f) => f.processed && f.owner.kind !== 'patchkit' && f.executable.some((l) => l.flags.length > 0))
    ? 1
    : 0;
