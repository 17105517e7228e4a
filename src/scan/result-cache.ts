/**
 * The assembled result of a whole scan, kept as the exact `--json` text next to the per-file facts.
 * Its key covers everything the result is made from: patchkit's version and queries, the
 * interpreter, the located target and every file's size and mtime. A warm `scan --json` then only
 * locates and stats files and copies bytes; profiling showed the warm path was otherwise GC plus
 * re-assembling and re-serialising ~21 MB of JSON for torch (BENCHMARKS.md).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, ScanResult } from './model.js';

export interface CachedResult {
  /** Kept as bytes: decoding 21 MB to a string only to encode it again for stdout cost more than the rest. */
  text: Uint8Array | string;
  diagnostics: Diagnostic[];
}

interface Meta {
  key: string;
  diagnostics: Diagnostic[];
}

/** The one serialisation of a result: what `scan --json` prints and what this cache keeps. */
export const resultJson = (result: ScanResult): string => JSON.stringify(result, null, 2);

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export const resultKey = (parts: unknown): string => hash(JSON.stringify(parts));

/** One slot per package (overwritten when anything changes), so edits never pile up old results. */
const slot = (dir: string, identity: string) => join(dir, `${hash(identity).slice(0, 24)}.result`);

export const readResult = async (dir: string, identity: string, key: string): Promise<CachedResult | null> => {
  const base = slot(dir, identity);
  try {
    const meta = JSON.parse(await readFile(`${base}.meta.json`, 'utf8')) as Meta;
    if (meta.key !== key) return null;
    // The text file starts with its own key line: a pair torn by two scans writing at once is a miss.
    const stored = await readFile(`${base}.json`);
    const head = Buffer.from(`${key}\n`);
    if (!stored.subarray(0, head.length).equals(head)) return null;
    return { text: stored.subarray(head.length), diagnostics: meta.diagnostics };
  } catch {
    return null;
  }
};

export const writeResult = async (dir: string, identity: string, key: string, value: CachedResult): Promise<void> => {
  const base = slot(dir, identity);
  const meta: Meta = { key, diagnostics: value.diagnostics };
  try {
    await mkdir(dir, { recursive: true });
    const temp = `${base}.${process.pid}.tmp`;
    await writeFile(temp, Buffer.concat([Buffer.from(`${key}\n`), Buffer.from(value.text)]));
    await rename(temp, `${base}.json`);
    await writeFile(temp, JSON.stringify(meta));
    await rename(temp, `${base}.meta.json`);
  } catch {
    // A read-only cache directory must not fail a scan.
  }
};
