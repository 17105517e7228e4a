/**
 * scanPackage: locate a target without importing it, parse its files (cached, on every core),
 * and assemble the inventory. Never prints; progress goes through the optional callback.
 */
import { statSync } from 'node:fs';
import { isPathTarget, locatePath } from '../env/locate-path.js';
import type { InterpreterFacts, LocatedTarget } from '../env/model.js';
import type { ParserKind } from '../parser/adapter.js';
import { cacheDir, contentHash, noCache, openCache } from './cache.js';
import type { FileFacts } from './facts.js';
import { readSource } from './file.js';
import type { Diagnostic, ScanResult } from './model.js';
import { assemble, type ParsedFile } from './package.js';
import { parseFiles, startWorkers, type ParseOptions, type WorkerPool } from './pool.js';
import { querySources, queryVersion } from './queries.js';
import { readResult, resultJsonChunks, resultKey, writeResult, type JsonText } from './result-cache.js';
import { PATCHKIT_VERSION } from '../version.js';

/** Bumped when the facts extracted from the same text change (2: signatures carry no comments), so no cache serves old ones. */
const FACTS_FORMAT = 2;

export interface ScanOptions {
  target: string;
  cwd: string;
  python?: string;
  /** false: parse everything again and leave the cache alone (`--no-cache`). */
  cache?: boolean;
  parser?: ParserKind | 'auto';
  env?: NodeJS.ProcessEnv;
  onProgress?: (done: number, total: number) => void;
  /** Keep (and reuse) the whole result's JSON text: `scan --json` prints it as it is. */
  keepJson?: boolean;
}

export interface ScanRun {
  /** Parsed on first access when the run was answered from the result cache. */
  readonly result: ScanResult;
  /** `resultJson(result)` (as UTF-8 bytes when it came from the cache, else in pieces), when keepJson was asked for. */
  json?: JsonText;
  diagnostics: Diagnostic[];
  parserKind: ParserKind | null;
  parsed: number;
  cached: number;
}

const fromCache = (text: string | Uint8Array, diagnostics: Diagnostic[], files: number): ScanRun => {
  let result: ScanResult | undefined;
  return {
    get result() {
      return (result ??= JSON.parse(
        typeof text === 'string' ? text : Buffer.from(text).toString('utf8'),
      ) as ScanResult);
    },
    json: text,
    diagnostics,
    parserKind: null,
    parsed: 0,
    cached: files,
  };
};

/** Sources (and extension stubs) that have facts: what the parse and the caches are about. */
const parsedPaths = (located: LocatedTarget): string[] =>
  located.files.filter((f) => f.kind !== 'extension' || f.stub).map((f) => f.stub ?? f.path);

/**
 * Sizes and mtimes, by path. Synchronous: a warm scan is mostly this, and a stat is a few
 * microseconds, less than one trip through the thread pool and a promise (≈60 ms less on SGLang).
 */
const statFiles = (located: LocatedTarget) => {
  const sizes = new Map<string, { size: number; mtimeMs: number }>();
  for (const path of parsedPaths(located)) {
    try {
      const info = statSync(path);
      sizes.set(path, { size: info.size, mtimeMs: info.mtimeMs });
    } catch {
      // vanished since it was located, a link loop…: not in the map, so it is parsed (and reported)
    }
  }
  return sizes;
};

export const scanPackageRun = async (options: ScanOptions): Promise<ScanRun> => {
  const query = querySources();
  const caching = options.cache !== false;
  const poolOptions = { kind: options.parser ?? 'auto', query, hash: caching, onProgress: options.onProgress } as const;
  // Without the cache every file is parsed: the workers boot while the target is located.
  const pool = caching ? undefined : startWorkers(poolOptions);
  try {
    return await scan(options, poolOptions, pool);
  } finally {
    await pool?.close();
  }
};

const scan = async (options: ScanOptions, poolOptions: ParseOptions, pool?: WorkerPool): Promise<ScanRun> => {
  const env = options.env ?? process.env;
  let facts: InterpreterFacts | null = null;
  let located: LocatedTarget;
  if (isPathTarget(options.target, options.cwd)) {
    located = await locatePath(options.target, options.cwd);
  } else {
    const { queryInterpreter, resolveInterpreter } = await import('../env/interpreter.js');
    const { locateTarget } = await import('../env/locate.js');
    facts = await queryInterpreter(resolveInterpreter({ python: options.python, env, cwd: options.cwd }));
    located = await locateTarget(options.target, facts, { cwd: options.cwd });
  }
  const identity = `${located.topLevel}\0${located.portions.join('\0')}`;
  const version = `${PATCHKIT_VERSION}-${queryVersion()}-facts${FACTS_FORMAT}`;
  const dir = cacheDir(env);
  const keepJson = options.keepJson === true && options.cache !== false;
  const interpreter = facts ? { executable: facts.executable, version: facts.version } : null;
  const sizes = statFiles(located);
  const stats = [...sizes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // by path
  const key = keepJson ? resultKey([version, interpreter, located, stats]) : '';
  if (keepJson) {
    // Checked before the facts cache is even read: a hit needs nothing else.
    const hit = await readResult(dir, `${version}\0${identity}`, key);
    if (hit) return fromCache(hit.text, hit.diagnostics, located.files.length);
  }
  const caching = options.cache !== false;
  const cache = caching ? await openCache(located.topLevel, located.portions.join('\0'), version, dir) : noCache();
  const known = new Map<string, FileFacts>();
  const toParse: string[] = [];
  for (const path of parsedPaths(located)) {
    const s = sizes.get(path);
    // By content: the hash kept for an unchanged size and mtime, else the hash of the bytes now.
    let hash = s && caching ? cache.knownHash(path, s) : undefined;
    if (s && caching && hash === undefined) {
      try {
        hash = contentHash(readSource(path));
      } catch {
        // unreadable now: the parse reports it
      }
    }
    const hit = hash !== undefined ? cache.get(hash) : undefined;
    if (s && hash !== undefined && hit) {
      known.set(path, hit);
      cache.touch(path, s, hash);
    } else {
      toParse.push(path); // changed, new, or vanished (the parse reports it)
    }
  }
  toParse.sort();
  const errors = new Map<string, string>();
  let parserKind: ParserKind | null = null;
  if (toParse.length > 0) {
    const outcome = await parseFiles(toParse, poolOptions, pool);
    parserKind = outcome.parserKind;
    for (const r of outcome.results) {
      if ('facts' in r) {
        known.set(r.path, r.facts);
        const s = sizes.get(r.path);
        // Under the hash of the bytes the worker parsed: a file rewritten meanwhile cannot mislabel them.
        if (s && r.hash) cache.set(r.path, s, r.hash, r.facts);
      } else {
        errors.set(r.path, r.error);
      }
    }
    await cache.save();
  }
  const parsed: ParsedFile[] = located.files.map((file) => {
    const path = file.stub ?? file.path;
    return {
      file,
      facts: known.get(path) ?? null,
      error: file.kind === 'extension' && !file.stub ? undefined : errors.get(path),
    };
  });
  const result = assemble(located, parsed, interpreter);
  for (const line of located.diagnostics) result.diagnostics.push({ severity: 'info', message: line });
  const run: ScanRun = {
    result,
    diagnostics: result.diagnostics,
    parserKind,
    parsed: toParse.length,
    cached: located.files.length - toParse.length,
  };
  if (keepJson) {
    run.json = [...resultJsonChunks(result)];
    // Only a result built from files that all parsed is worth keeping: a failed read may succeed next time.
    if (errors.size === 0) {
      await writeResult(dir, `${version}\0${identity}`, key, { text: run.json, diagnostics: result.diagnostics });
    }
  }
  return run;
};

export const scanPackage = async (options: ScanOptions): Promise<ScanResult> => (await scanPackageRun(options)).result;
