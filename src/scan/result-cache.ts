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

/** JSON text in pieces: written one after the other, never joined into one string. */
export type JsonText = Uint8Array | string | readonly string[];

export interface CachedResult {
  /** Kept as bytes: decoding 21 MB to a string only to encode it again for stdout cost more than the rest. */
  text: JsonText;
  diagnostics: Diagnostic[];
}

interface Meta {
  key: string;
  diagnostics: Diagnostic[];
}

/** The one serialisation of a result: what `scan --json` prints and what this cache keeps. */
export const resultJson = (result: ScanResult): string => [...resultJsonChunks(result)].join('');

/** `JSON.stringify(value, null, 2)` as it reads `prefix` deep (JSON strings hold no raw newline). */
const leaf = (value: unknown, prefix: string): string =>
  (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${prefix}`);

type Pieces = (value: never, prefix: string) => Generator<string>;

/** An object the way JSON.stringify lays it out, the members named in `inner` laid out by them. */
const object = (inner: Record<string, Pieces> = {}): Pieces =>
  function* (value: Record<string, unknown>, prefix) {
    let first = true;
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      yield `${first ? '{' : ','}\n${prefix}  ${JSON.stringify(key)}: `;
      first = false;
      const lay = inner[key];
      if (lay) yield* lay(member as never, `${prefix}  `);
      else yield leaf(member, `${prefix}  `);
    }
    yield first ? '{}' : `\n${prefix}}`;
  };

/** An array the way JSON.stringify lays it out, each element laid out by `element`. */
const array = (element: Pieces): Pieces =>
  function* (value: unknown[], prefix) {
    if (!Array.isArray(value)) return yield leaf(value, prefix);
    if (value.length === 0) return yield '[]';
    for (const [i, item] of value.entries()) {
      yield `${i === 0 ? '[' : ','}\n${prefix}  `;
      yield* element(item as never, `${prefix}  `);
    }
    yield `\n${prefix}]`;
  };

/** Elements of an array that one JSON.stringify call lays out (about 40 KB of symbols). */
const LEAF_BATCH = 64;

/**
 * An array laid out as JSON.stringify lays it out, many elements a call and no pass over the text
 * to indent it: each batch is stringified inside as many arrays as this one is deep, which gives
 * its elements their indentation, and the wrappers' lines are cut off.
 */
const leaves: Pieces = function* (value: unknown[], prefix) {
  if (!Array.isArray(value)) return yield leaf(value, prefix);
  if (value.length === 0) return yield '[]';
  const depth = prefix.length / 2;
  let head = '';
  for (let i = 0; i < depth; i++) head += `${'  '.repeat(i)}[\n`;
  head += `${prefix}[`;
  let tail = `\n${prefix}]`;
  for (let i = depth - 1; i >= 0; i--) tail += `\n${'  '.repeat(i)}]`;
  for (let i = 0; i < value.length; i += LEAF_BATCH) {
    let wrapped: unknown = value.slice(i, i + LEAF_BATCH);
    for (let k = 0; k < depth; k++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    // `\n${prefix}  ` and the first element … the last: what follows `[` or `,` in the whole array.
    yield `${i === 0 ? '[' : ','}${text.slice(head.length, text.length - tail.length)}`;
  }
  yield `\n${prefix}]`;
};
const layout = object({ modules: array(object({ symbols: leaves, imports: leaves })) });

/**
 * `JSON.stringify(result, null, 2)` byte for byte, in pieces of about 64 KB made as they are
 * read, one module and one symbol at a time: the text of a large package (139 MB for a module of
 * 120,000 classes) never exists as one string, nor its copies on the way out. Pieces stay under
 * V8's largest regular object (128 KB), so each dies young: larger strings go to the large-object
 * space, which only a full collection frees (the heap grew by their sum while a result was written).
 */
export function* resultJsonChunks(result: ScanResult): Generator<string> {
  let batch: string[] = [];
  let size = 0;
  for (const piece of layout(result as never, '')) {
    batch.push(piece);
    size += piece.length;
    if (size >= 1 << 16) {
      yield batch.join('');
      batch = [];
      size = 0;
    }
  }
  if (batch.length) yield batch.join('');
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export const resultKey = (parts: unknown): string => hash(JSON.stringify(parts));

/** One slot per package (overwritten when anything changes), so edits never pile up old results. */
const slot = (dir: string, identity: string) => join(dir, `${hash(identity).slice(0, 24)}.result`);

export const readResult = async (
  dir: string,
  identity: string,
  key: string,
): Promise<(CachedResult & { text: Uint8Array }) | null> => {
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
    const text = value.text;
    await writeFile(temp, [`${key}\n`, ...(typeof text === 'string' || text instanceof Uint8Array ? [text] : text)]);
    await rename(temp, `${base}.json`);
    await writeFile(temp, JSON.stringify(meta));
    await rename(temp, `${base}.meta.json`);
  } catch {
    // A read-only cache directory must not fail a scan.
  }
};
