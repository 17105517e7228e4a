/**
 * Installed files against their RECORD: a file edited after install (someone "just fixed" the core in
 * site-packages) or missing (a killed install, a manual rm) is flagged. Bytecode is not judged: an
 * interpreter legitimately rewrites a .pyc, and a stale one is ignored by the import system anyway.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashOf } from './record.js';
import type { InstalledBundle } from './installed.js';

export type FileState = 'ok' | 'modified' | 'missing';

export interface FileCheck {
  path: string;
  state: FileState;
}

export const checkIntegrity = async (bundle: InstalledBundle): Promise<FileCheck[]> => {
  const checks: FileCheck[] = [];
  for (const e of bundle.entries) {
    if (!e.hash || e.path.endsWith('.pyc')) continue;
    const data = await readFile(join(bundle.siteDir, e.path)).catch(() => null);
    checks.push({ path: e.path, state: data === null ? 'missing' : hashOf(data) === e.hash ? 'ok' : 'modified' });
  }
  return checks;
};
