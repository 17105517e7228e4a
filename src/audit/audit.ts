/**
 * Every `.pth` and `.start` file an interpreter's start-up would see, read as text: nothing is imported
 * or executed (the interpreter itself is only asked, under -S, where its site dirs are).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InterpreterFacts } from '../env/model.js';
import { readPth } from '../env/pth.js';
import { flagLine, type Flag } from './flags.js';
import { ownersOf, type Owner } from './owners.js';

export interface AuditLine {
  line: number;
  text: string;
  flags: Flag[];
}

export interface AuditFile {
  path: string;
  siteDir: string;
  kind: 'pth' | 'start';
  hidden: boolean;
  /** Whether this interpreter's start-up processes the file (and runs its executable lines). */
  processed: boolean;
  /** Why it is not processed, when it is not. */
  note: string | null;
  owner: Owner;
  /** `.pth`: `import` lines; `.start`: entry points (`pkg.mod:callable`). */
  executable: AuditLine[];
  /** `.pth` directories added to sys.path (those that exist). */
  paths: string[];
  unreadable?: string;
}

export interface AuditDir {
  dir: string;
  /** Processed at start-up by this interpreter (the user site may be disabled, e.g. in a venv). */
  active: boolean;
}

const readStart = async (path: string): Promise<{ lines: AuditLine[]; unreadable?: string }> => {
  const text = await readFile(path, 'utf8').catch((e: Error) => e);
  if (text instanceof Error) return { lines: [], unreadable: text.message };
  const lines: AuditLine[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, index) => {
      const entry = raw.trim();
      if (entry && !entry.startsWith('#')) lines.push({ line: index + 1, text: entry, flags: flagLine(entry) });
    });
  return { lines };
};

export const auditDirs = (facts: InterpreterFacts): AuditDir[] => {
  const dirs: AuditDir[] = facts.siteDirs.map((dir) => ({ dir, active: true }));
  // Also the dirs this interpreter skips (a venv's hidden user site, a missing one): a reviewer should see them.
  for (const dir of [facts.purelib, facts.platlib, facts.userSite])
    if (dir && !dirs.some((d) => d.dir === dir))
      dirs.push({ dir, active: dir === facts.userSite ? facts.userSiteEnabled : false });
  return dirs;
};

export const auditSiteDir = async (site: AuditDir, facts: InterpreterFacts): Promise<AuditFile[]> => {
  const names = (await readdir(site.dir).catch((): string[] => [])).filter(
    (n) => n.endsWith('.pth') || n.endsWith('.start'),
  );
  const owners = await ownersOf(site.dir);
  const startsOn = facts.versionInfo[0] > 3 || facts.versionInfo[1] >= 15; // PEP 829
  const files: AuditFile[] = [];
  for (const name of names.sort()) {
    const path = join(site.dir, name);
    const hidden = name.startsWith('.');
    const kind = name.endsWith('.pth') ? 'pth' : 'start';
    let note: string | null = site.active ? null : 'site dir not processed by this interpreter';
    if (!note && hidden && (kind === 'start' || facts.pthSkipsHidden)) note = 'hidden: skipped by site.py';
    if (!note && kind === 'start' && !startsOn) note = '.start files are read from Python 3.15 (PEP 829)';
    if (!note && kind === 'pth' && startsOn && names.includes(name.replace(/\.pth$/, '.start')))
      note = 'import lines disabled by the matching .start (PEP 829)';
    const base = { path, siteDir: site.dir, kind, hidden, processed: note === null, note } as const;
    const owner = owners.get(name) ?? { kind: 'unknown' as const };
    if (kind === 'start') {
      const { lines, unreadable } = await readStart(path);
      files.push({ ...base, owner, executable: lines, paths: [], ...(unreadable ? { unreadable } : {}) });
      continue;
    }
    const pth = readPth(site.dir, name);
    files.push({
      ...base,
      owner,
      executable: pth.imports.map((l) => ({ ...l, flags: flagLine(l.text) })),
      paths: pth.paths,
      ...(pth.unreadable ? { unreadable: pth.unreadable } : {}),
    });
  }
  return files;
};
