/**
 * scanPackage: locate a target without importing it, parse its files (cached, on every core),
 * and assemble the inventory. Never prints; progress goes through the optional callback.
 */
import { stat } from 'node:fs/promises';
import { isPathTarget, locatePath } from '../env/locate-path.js';
import type { InterpreterFacts, LocatedTarget } from '../env/model.js';
import type { ParserKind } from '../parser/adapter.js';
import { noCache, openCache } from './cache.js';
import type { FileFacts } from './facts.js';
import type { ScanResult } from './model.js';
import { assemble, type ParsedFile } from './package.js';
import { parseFiles } from './pool.js';
import { querySource, queryVersion } from './queries.js';
import { PATCHKIT_VERSION } from '../version.js';

export interface ScanOptions {
  target: string;
  cwd: string;
  python?: string;
  /** false: parse everything again and leave the cache alone (`--no-cache`). */
  cache?: boolean;
  parser?: ParserKind | 'auto';
  env?: NodeJS.ProcessEnv;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanRun {
  result: ScanResult;
  parserKind: ParserKind | null;
  parsed: number;
  cached: number;
}

export const scanPackageRun = async (options: ScanOptions): Promise<ScanRun> => {
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
  const query = querySource();
  const cache =
    options.cache === false
      ? noCache()
      : await openCache(`${located.topLevel}\0${located.portions.join('\0')}`, `${PATCHKIT_VERSION}-${queryVersion()}`);

  const known = new Map<string, FileFacts>();
  const sizes = new Map<string, { size: number; mtimeMs: number }>();
  const toParse: string[] = [];
  await Promise.all(
    located.files
      .filter((f) => f.kind !== 'extension' || f.stub)
      .map(async (file) => {
        const path = file.stub ?? file.path;
        try {
          const info = await stat(path);
          sizes.set(path, { size: info.size, mtimeMs: info.mtimeMs });
          const hit = cache.get(path, info.size, info.mtimeMs);
          if (hit) known.set(path, hit);
          else toParse.push(path);
        } catch {
          toParse.push(path); // vanished: the parse reports it
        }
      }),
  );
  toParse.sort();
  const errors = new Map<string, string>();
  let parserKind: ParserKind | null = null;
  if (toParse.length > 0) {
    const outcome = await parseFiles(toParse, {
      kind: options.parser ?? 'auto',
      query,
      onProgress: options.onProgress,
    });
    parserKind = outcome.parserKind;
    for (const r of outcome.results) {
      if ('facts' in r) {
        known.set(r.path, r.facts);
        const s = sizes.get(r.path);
        if (s) cache.set(r.path, s.size, s.mtimeMs, r.facts);
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
  const interpreter = facts ? { executable: facts.executable, version: facts.version } : null;
  const result = assemble(located, parsed, interpreter);
  for (const line of located.diagnostics) result.diagnostics.push({ severity: 'info', message: line });
  return { result, parserKind, parsed: toParse.length, cached: located.files.length - toParse.length };
};

export const scanPackage = async (options: ScanOptions): Promise<ScanResult> => (await scanPackageRun(options)).result;
