/**
 * RECORD files (the wheel/PEP 376 format: `path,sha256=<urlsafe base64, no padding>,size`), shared by
 * `patchkit install` and pip: a bundle installed either way is found, listed, verified and removed by the
 * same code. Paths are relative to the site dir; entries that leave it (`../bin/x`) are never touched.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, normalize, sep } from 'node:path';

export interface RecordEntry {
  /** Relative to the site dir, '/'-separated. */
  path: string;
  /** `sha256=…`, or null (the RECORD itself, or a file whose hash is not recorded). */
  hash: string | null;
  size: number | null;
}

export const hashOf = (data: Uint8Array) => `sha256=${createHash('sha256').update(data).digest('base64url')}`;

export const entryFor = (path: string, data: Uint8Array): RecordEntry => ({
  path,
  hash: hashOf(data),
  size: data.length,
});

/** One CSV field as Python's csv module writes it: quoted only when needed. */
const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

export const formatRecord = (entries: RecordEntry[]): string =>
  entries.map((e) => [e.path, e.hash ?? '', e.size === null ? '' : String(e.size)].map(field).join(',')).join('\n') +
  '\n';

const splitCsvLine = (line: string): string[] => {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
};

/** True for a relative path that stays inside the site dir. */
export const isInside = (path: string) => {
  if (!path || isAbsolute(path)) return false;
  const n = normalize(path);
  return n !== '..' && !n.startsWith(`..${sep}`) && !n.startsWith('../');
};

export const parseRecord = (text: string): RecordEntry[] =>
  text
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map((line) => {
      const [path = '', hash = '', size = ''] = splitCsvLine(line);
      return { path: path.replaceAll('\\', '/'), hash: hash || null, size: size ? Number(size) : null };
    })
    .filter((e) => isInside(e.path));
