/**
 * `.pth` files read the way site.py reads them, without running anything: sorted names, dot-files
 * skipped (Python skips them too, see gh-113659), utf-8-sig else locale (latin-1 here), lines
 * starting exactly with `import ` or `import\t` are code, blank and `#` lines skipped, the rest are
 * directories relative to the site dir, kept when they exist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface PthLine {
  line: number;
  text: string;
}

export interface PthFile {
  path: string;
  name: string;
  /** Python skips names starting with '.', so nothing in them runs (or is added). */
  hidden: boolean;
  /** Directories added to sys.path, in order. */
  paths: string[];
  /** Lines site.py exec()s at every interpreter start. */
  imports: PthLine[];
  /** Set when the file is not text (PyTorch users save models as .pth). */
  unreadable?: string;
}

const MAX_PTH_BYTES = 1 << 20;

const decode = (bytes: Buffer): string | null => {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
};

export const readPth = (siteDir: string, name: string): PthFile => {
  const path = join(siteDir, name);
  const file: PthFile = { path, name, hidden: name.startsWith('.'), paths: [], imports: [] };
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_PTH_BYTES) return { ...file, unreadable: 'larger than 1 MiB: not a path file' };
    bytes = readFileSync(path);
  } catch (error) {
    return { ...file, unreadable: (error as Error).message };
  }
  const text = decode(bytes);
  if (text === null) return { ...file, unreadable: 'binary content' };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.startsWith('import ') || raw.startsWith('import\t')) {
      file.imports.push({ line: index + 1, text: raw });
      return;
    }
    const line = raw.trimEnd();
    if (!line.trim() || line.startsWith('#')) return;
    const dir = resolve(siteDir, line);
    if (existsSync(dir)) file.paths.push(dir);
  });
  return file;
};

/** Every .pth in a site dir, sorted as site.py sorts them; hidden ones included and marked. */
export const readPthFiles = (siteDir: string): PthFile[] => {
  let names: string[];
  try {
    names = readdirSync(siteDir).filter((n) => n.endsWith('.pth'));
  } catch {
    return [];
  }
  return names.sort().map((name) => readPth(siteDir, name));
};
