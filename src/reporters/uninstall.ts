/** What `uninstall` removed, per site dir. */
import type { UninstallOptions } from '../commands/uninstall.js';
import type { UninstallOutcome } from '../install/uninstall.js';

export const render = (data: UninstallOutcome, options: UninstallOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  const lines: string[] = [];
  for (const r of data.removed) {
    lines.push(`removed ${data.name}-patch ${r.version} from ${r.siteDir} (${r.files.length} file(s))`);
    for (const f of r.files) lines.push(`  ${f}`);
  }
  return lines.join('\n');
};
