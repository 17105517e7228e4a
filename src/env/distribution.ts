/**
 * Which installed distribution owns a top-level package, and its version: `*.dist-info` (METADATA,
 * top_level.txt or RECORD) and Debian's `*.egg-info` (PKG-INFO). Read only, never imported.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const field = (text: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(text)?.[1].trim() ?? null;

const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

const owns = (infoDir: string, topLevel: string): boolean => {
  const topLevelTxt = readText(join(infoDir, 'top_level.txt'));
  if (topLevelTxt) return topLevelTxt.split(/\r?\n/).some((l) => l.trim() === topLevel);
  const record = readText(join(infoDir, 'RECORD'));
  return record
    .split(/\r?\n/)
    .some((l) => l.startsWith(`${topLevel}/`) || l.startsWith(`${topLevel}.py,`) || l.startsWith(`${topLevel}.`));
};

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '_');

export const findDistribution = (siteDirs: string[], topLevel: string): { name: string; version: string } | null => {
  for (const dir of siteDirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.dist-info') || n.endsWith('.egg-info'));
    } catch {
      continue;
    }
    // Name match first (cheap), then ownership through top_level.txt / RECORD.
    const ordered = [...names.filter((n) => normalise(n.split('-')[0]) === normalise(topLevel)), ...names];
    for (const name of ordered) {
      const path = join(dir, name);
      const isDir = existsSync(path) && statSync(path).isDirectory();
      if (isDir && !owns(path, topLevel) && normalise(name.split('-')[0]) !== normalise(topLevel)) continue;
      if (!isDir && normalise(name.split('-')[0]) !== normalise(topLevel)) continue;
      const text = readText(isDir ? join(path, name.endsWith('.dist-info') ? 'METADATA' : 'PKG-INFO') : path);
      const distName = field(text, 'Name');
      const version = field(text, 'Version');
      if (distName && version) return { name: distName, version };
    }
  }
  return null;
};
