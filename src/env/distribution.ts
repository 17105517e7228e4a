/**
 * Which installed distribution owns a module, and its version, from metadata files only:
 * `*.dist-info` (METADATA; ownership from top_level.txt or RECORD) and the `*.egg-info`
 * directories or files Debian's python3-* packages ship (PKG-INFO; top_level.txt,
 * installed-files.txt). importlib.metadata would give the same answer but means running code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Distribution {
  name: string;
  version: string;
}

interface InfoEntry {
  path: string;
  isDir: boolean;
  /** Normalised distribution name from the entry's file name (`Django-3.2.25.egg-info` → `django`). */
  normalisedName: string;
}

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '_');

const readText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Core metadata is an RFC 822 header block; the description after the first blank line may say anything. */
const header = (text: string, field: string): string | null => {
  const head = text.split(/\r?\n\r?\n/, 1)[0];
  return new RegExp(`^${field}:[ \\t]*(.+)$`, 'mi').exec(head)?.[1].trim() ?? null;
};

const infoEntries = (siteDir: string): InfoEntry[] => {
  let names: string[];
  try {
    names = readdirSync(siteDir).filter((n) => n.endsWith('.dist-info') || n.endsWith('.egg-info'));
  } catch {
    return [];
  }
  return names.sort().map((n) => {
    const path = join(siteDir, n);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      // dangling: treated as a file, which reads as empty
    }
    return { path, isDir, normalisedName: normalise(n.replace(/\.(dist|egg)-info$/, '').split('-')[0]) };
  });
};

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim());

/** Files the distribution installed, as paths relative to the site dir. */
const installedFiles = (entry: InfoEntry): string[] => {
  if (!entry.isDir) return [];
  const record = readText(join(entry.path, 'RECORD'));
  if (record) return lines(record).map((l) => l.replace(/,[^,]*,[^,]*$/, ''));
  // egg-info: paths relative to the egg-info directory itself.
  return lines(readText(join(entry.path, 'installed-files.txt'))).map((l) => l.replace(/^\.\.\//, ''));
};

const metadataOf = (entry: InfoEntry): Distribution | null => {
  const file = !entry.isDir
    ? entry.path
    : join(entry.path, entry.path.endsWith('.dist-info') ? 'METADATA' : 'PKG-INFO');
  const text = readText(file);
  const name = header(text, 'Name');
  const version = header(text, 'Version');
  return name && version ? { name, version } : null;
};

/**
 * The distribution owning module `parts` (`['django', 'utils']`), searching `siteDirs` in order.
 * A name match or top_level.txt is enough for a regular package; for a namespace package several
 * distributions share the top-level name, so installed file lists decide by the deepest path.
 */
export const findDistribution = (siteDirs: string[], parts: string[]): Distribution | null => {
  const topLevel = parts[0];
  const entries = siteDirs.flatMap(infoEntries);
  const declared = entries.filter(
    (e) =>
      e.normalisedName === normalise(topLevel) ||
      (e.isDir && lines(readText(join(e.path, 'top_level.txt'))).includes(topLevel)),
  );
  const owns = (entry: InfoEntry, depth: number) => {
    const sub = parts.slice(0, depth).join('/');
    return installedFiles(entry).some((f) => f.startsWith(`${sub}/`) || f.startsWith(`${sub}.`));
  };
  let candidates = declared;
  if (declared.length !== 1) {
    // Ambiguous or undeclared (hatchling and flit write no top_level.txt): ask the file lists,
    // from the full dotted path up to the top level.
    const pool = declared.length > 1 ? declared : entries;
    for (let depth = parts.length; depth >= 1; depth--) {
      const owners = pool.filter((e) => owns(e, depth));
      if (owners.length > 0) {
        candidates = owners;
        break;
      }
    }
  }
  for (const entry of candidates) {
    const meta = metadataOf(entry);
    if (meta) return meta;
  }
  return null;
};
