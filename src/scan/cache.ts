/**
 * Per-file facts kept between runs, keyed by path, size and mtime, in one JSON file per package
 * (so a warm scan is one read). The file name includes patchkit's version and the queries' hash:
 * a new release or an edited grammar query simply misses.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileFacts } from './facts.js';

interface Entry {
  size: number;
  mtimeMs: number;
  facts: FileFacts;
}

export interface FactsCache {
  get(path: string, size: number, mtimeMs: number): FileFacts | undefined;
  set(path: string, size: number, mtimeMs: number, facts: FileFacts): void;
  save(): Promise<void>;
}

export const cacheDir = (env: NodeJS.ProcessEnv = process.env) =>
  env.PATCHKIT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'patchkit');

export const openCache = async (key: string, version: string, dir = cacheDir()): Promise<FactsCache> => {
  const file = join(dir, `${createHash('sha256').update(`${version}\0${key}`).digest('hex').slice(0, 24)}.json`);
  let entries: Record<string, Entry> = {};
  try {
    entries = JSON.parse(await readFile(file, 'utf8')) as Record<string, Entry>;
  } catch {
    // Missing or corrupt: start empty; it is only a cache.
  }
  let dirty = false;
  return {
    get(path, size, mtimeMs) {
      const entry = entries[path];
      return entry && entry.size === size && entry.mtimeMs === mtimeMs ? entry.facts : undefined;
    },
    set(path, size, mtimeMs, facts) {
      entries[path] = { size, mtimeMs, facts };
      dirty = true;
    },
    async save() {
      if (!dirty) return;
      try {
        await mkdir(dir, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, JSON.stringify(entries));
        await rename(temp, file);
      } catch {
        // A read-only home must not fail a scan.
      }
    },
  };
};

/** A cache that never hits and never writes (`--no-cache`). */
export const noCache = (): FactsCache => ({ get: () => undefined, set: () => undefined, save: async () => undefined });
