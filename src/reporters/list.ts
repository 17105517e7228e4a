/** Installed bundles, one block each; edited or missing files are named. */
import type { ListOptions, ListResult } from '../commands/list.js';

export const render = (data: ListResult, options: ListOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  if (data.bundles.length === 0) return `no patchkit bundles installed for ${data.python}`;
  const lines: string[] = [];
  for (const b of data.bundles) {
    const body = b.coreEdited ? `edited (generated as ${b.generatedBody})` : b.body;
    const integrity = b.integrity === 'ok' ? 'files intact' : `FILES ${b.integrity.toUpperCase()}`;
    lines.push(
      `${b.name}  ${b.version}  (${b.installer ?? 'install incomplete'})  ${integrity}`,
      `  ${b.siteDir}`,
      `  for ${b.package}${b.packageVersion ? ` ${b.packageVersion}` : ''}, body ${body}, sentinels ${b.sentinels.join(', ')}`,
    );
    for (const t of b.targets) lines.push(`    ${t}`);
    for (const p of b.problems) lines.push(`  ${p.state}: ${p.path}`);
  }
  return lines.join('\n');
};

/** Exit 1 when a bundle's files are not as installed: `list` doubles as an integrity gate. */
export const exitCodeFor = (data: ListResult): number => (data.bundles.some((b) => b.integrity !== 'ok') ? 1 : 0);
