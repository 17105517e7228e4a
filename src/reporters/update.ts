/** What update did per target, the conflicts to resolve, and (with --dry-run) the diff of every file. */
import type { UpdateOptions, UpdateResult } from '../commands/update.js';

export const render = (data: UpdateResult, options: UpdateOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  const lines = [`${data.name}: ${data.package} ${data.oldVersion ?? '?'} → ${data.newVersion ?? '?'} (${data.dir})`];
  for (const t of data.targets) {
    lines.push(`  ${t.action.padEnd(11)} ${t.key} (${t.how}, ${t.status})`);
    if (t.note) lines.push(...t.note.split('\n').map((l) => `    ${l}`));
    if (t.closest?.length) lines.push(`    closest: ${t.closest.join(', ')}`);
  }
  if (data.dryRun) {
    for (const f of data.files) lines.push(f.diff.replace(/\n$/, ''));
    lines.push(
      data.files.length === 0
        ? 'nothing would change'
        : `${data.files.length} file(s) would change (dry run: nothing written)`,
    );
  } else
    lines.push(
      data.files.length === 0 ? 'the bundle is current' : `updated ${data.files.map((f) => f.file).join(', ')}`,
    );
  if (data.conflicts.length > 0)
    lines.push(
      `${data.conflicts.length} conflict(s): ${data.conflicts.join(', ')}`,
      '  resolve the <<<<<<< / ======= / >>>>>>> sections in the core; install refuses the bundle until then',
    );
  if (data.unresolved.length > 0)
    lines.push(`${data.unresolved.length} target(s) left as they were: ${data.unresolved.join(', ')}`);
  return lines.join('\n');
};

export const exitCodeFor = (data: UpdateResult): number =>
  data.conflicts.length > 0 || data.unresolved.length > 0 ? 1 : 0;
