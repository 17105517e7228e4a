/** The first `limit` .py files under a directory, in name order, skipping site-packages and __pycache__. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const pythonFiles = (dir: string, limit: number): string[] => {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (found.length >= limit) return;
      const path = join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'site-packages' && entry.name !== '__pycache__') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
    }
  };
  walk(dir);
  return found;
};
