/**
 * Per-file facts kept between runs, keyed by the file's content: a fast hash of its bytes. Facts
 * depend on nothing but those bytes (scan/facts.ts), so a file that did not change is not parsed
 * again, whatever its path: in another release of the package, another venv or another container.
 *
 * Two files per package name, both named after patchkit's version and the queries' hash (a new
 * release or an edited query simply misses):
 * - the store, `<key>.facts`: one line per content hash, `<hash> <generation> <facts JSON>`. It is
 *   read as text and only the lines a scan needs are parsed; a save keeps what this scan used and
 *   what the last scans used (generations), so it holds a few versions of the package, not all;
 * - per location (the package's directories), `<key>.index.json`: path → size, mtime and hash, so
 *   that files whose size and mtime did not change are not even read to be hashed.
 */
import * as crypto from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileFacts } from './facts.js';

/** Generations of scans whose entries a save keeps besides the current one's. */
const KEEP_GENERATIONS = 2;
const HASH_LENGTH = 40;

/** sha1 of the bytes: fast (OpenSSL), and a name, not a defence against collisions made on purpose. */
export const contentHash = (bytes: Uint8Array): string =>
  typeof crypto.hash === 'function'
    ? crypto.hash('sha1', bytes, 'hex')
    : crypto.createHash('sha1').update(bytes).digest('hex');

export interface FileStat {
  size: number;
  mtimeMs: number;
}

export interface FactsCache {
  /** The hash recorded for a path whose size and mtime are unchanged, else undefined. */
  knownHash(path: string, stat: FileStat): string | undefined;
  /** Facts by content hash. */
  get(hash: string): FileFacts | undefined;
  /** Records facts for a path (its stat before reading) under the hash of the bytes they came from. */
  set(path: string, stat: FileStat, hash: string, facts: FileFacts): void;
  /** Records that a path (stat before reading) holds content already in the store. */
  touch(path: string, stat: FileStat, hash: string): void;
  save(): Promise<void>;
}

export const cacheDir = (env: NodeJS.ProcessEnv = process.env) =>
  env.PATCHKIT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'patchkit');

const fileKey = (...parts: string[]) => crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 24);

interface StoreLine {
  generation: number;
  /** The whole line (without its newline): written back as it is. */
  line: string;
}

/** `<hash> <generation> <json>` lines → hash → line; malformed lines are dropped. */
const readStore = (text: string): { lines: Map<string, StoreLine>; generation: number } => {
  const lines = new Map<string, StoreLine>();
  let generation = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const space = line.indexOf(' ', HASH_LENGTH + 1);
    if (line.charCodeAt(HASH_LENGTH) !== 0x20 || space < 0) continue;
    const g = Number(line.slice(HASH_LENGTH + 1, space));
    if (!Number.isInteger(g)) continue;
    lines.set(line.slice(0, HASH_LENGTH), { generation: g, line });
    if (g > generation) generation = g;
  }
  return { lines, generation };
};

/**
 * `name`: the package's top-level name (every location of it shares one store); `location`: what
 * tells this copy from others (its directories).
 */
export const openCache = async (
  name: string,
  location: string,
  version: string,
  dir = cacheDir(),
): Promise<FactsCache> => {
  const storeFile = join(dir, `${fileKey(version, name)}.facts`);
  const indexFile = join(dir, `${fileKey(version, name, location)}.index.json`);
  const [storeText, indexText] = await Promise.all([
    readFile(storeFile, 'utf8').catch(() => ''),
    readFile(indexFile, 'utf8').catch(() => '{}'),
  ]);
  const store = readStore(storeText);
  let index: Record<string, [number, number, string]> = {};
  try {
    const parsed = JSON.parse(indexText) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      index = parsed as Record<string, [number, number, string]>;
  } catch {
    // corrupt: start empty; it is only a cache
  }
  const parsed = new Map<string, FileFacts | null>();
  const added = new Map<string, string>();
  const used = new Set<string>();
  let indexDirty = false;
  const record = (path: string, stat: FileStat, hash: string) => {
    const old = index[path];
    if (!old || old[0] !== stat.size || old[1] !== stat.mtimeMs || old[2] !== hash) {
      index[path] = [stat.size, stat.mtimeMs, hash];
      indexDirty = true;
    }
    used.add(hash);
  };
  const save = async (file: string, text: string) => {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, text);
    await rename(temp, file);
  };
  return {
    knownHash(path, stat) {
      const entry = index[path];
      return Array.isArray(entry) && entry[0] === stat.size && entry[1] === stat.mtimeMs && typeof entry[2] === 'string'
        ? entry[2]
        : undefined;
    },
    get(hash) {
      if (parsed.has(hash)) return parsed.get(hash) ?? undefined;
      const entry = store.lines.get(hash);
      let facts: FileFacts | null = null;
      if (entry) {
        try {
          facts = JSON.parse(entry.line.slice(entry.line.indexOf(' ', HASH_LENGTH + 1) + 1)) as FileFacts;
        } catch {
          facts = null; // a torn line: parsed again
        }
      }
      parsed.set(hash, facts);
      return facts ?? undefined;
    },
    set(path, stat, hash, facts) {
      if (!store.lines.has(hash) && !added.has(hash)) added.set(hash, JSON.stringify(facts));
      record(path, stat, hash);
    },
    touch(path, stat, hash) {
      record(path, stat, hash);
    },
    async save() {
      if (added.size === 0 && !indexDirty) return;
      try {
        await mkdir(dir, { recursive: true });
        if (added.size > 0) {
          // This scan's entries at a new generation; others while they are recent enough.
          const generation = store.generation + 1;
          const out: string[] = [];
          for (const [hash, entry] of store.lines) {
            if (used.has(hash)) {
              const json = entry.line.slice(entry.line.indexOf(' ', HASH_LENGTH + 1) + 1);
              out.push(`${hash} ${generation} ${json}`);
            } else if (entry.generation > generation - 1 - KEEP_GENERATIONS) {
              out.push(entry.line);
            }
          }
          for (const [hash, json] of added) out.push(`${hash} ${generation} ${json}`);
          await save(storeFile, `${out.join('\n')}\n`);
        }
        if (indexDirty) await save(indexFile, JSON.stringify(index));
      } catch {
        // A read-only home must not fail a scan.
      }
    },
  };
};

/** A cache that never hits and never writes (`--no-cache`). */
export const noCache = (): FactsCache => ({
  knownHash: () => undefined,
  get: () => undefined,
  set: () => undefined,
  touch: () => undefined,
  save: async () => undefined,
});
