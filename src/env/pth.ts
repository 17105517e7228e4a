/**
 * `.pth` files read the way site.py reads them, without running anything: sorted names, dot-files
 * marked (3.13+ skips them, gh-113659; 3.11.7 still runs them), utf-8-sig else latin-1, universal newlines, lines
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
  /** Name starts with '.': skipped by site.py since gh-113659 (3.13+), still processed by 3.11.7. */
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
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
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

export interface SiteDirPth {
  /** Every .pth of the dir, hidden ones included (marked), in site.py's order. */
  files: PthFile[];
  /** Directories the visible .pth files add to sys.path, in order, without duplicates. */
  paths: string[];
  /** Lines site.py would exec() at start-up, with the file they come from. */
  imports: Array<PthLine & { file: string }>;
}

/**
 * Path entries and import lines of one site dir: what `scan` follows and what `audit` reports.
 * `skipHidden`: the interpreter's site.py ignores `.name.pth` (InterpreterFacts.pthSkipsHidden).
 */
export const readSiteDirPth = (siteDir: string, options: { skipHidden?: boolean } = {}): SiteDirPth => {
  const files = readPthFiles(siteDir);
  const skipHidden = options.skipHidden ?? true;
  const visible = files.filter((f) => !(skipHidden && f.hidden));
  const paths = [...new Set(visible.flatMap((f) => f.paths))];
  const imports = visible.flatMap((f) => f.imports.map((i) => ({ ...i, file: f.path })));
  return { files, paths, imports };
};
