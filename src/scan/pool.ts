/**
 * Parses files on every core. Small jobs stay on the main thread: starting a worker and loading
 * tree-sitter in it costs more than parsing a handful of files. Workers can be started before the
 * files are known (startWorkers): a worker takes 100–150 ms to boot, load tree-sitter and compile
 * the queries, time the main thread spends locating the target and asking the interpreter.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadParser, type ParserKind, type QuerySources } from '../parser/adapter.js';
import { scanFiles } from './file.js';
import type { WorkerResponse, WorkerResult } from './worker.js';

const INLINE_LIMIT = 24;
const BATCH = 16;

export interface ParseOutcome {
  results: WorkerResult[];
  parserKind: ParserKind;
}

export interface ParseOptions {
  kind: ParserKind | 'auto';
  query: QuerySources;
  /** Also hash each file's bytes (for the content-keyed cache). */
  hash?: boolean;
  onProgress?: (done: number, total: number) => void;
}

interface StartedWorker {
  worker: Worker;
  /** The parser the worker loaded, once it has. */
  ready: Promise<ParserKind>;
}

/** Workers started ahead of the parse: parseFiles takes them, or `close` ends them unused. */
export interface WorkerPool {
  readonly workers: StartedWorker[];
  close(): Promise<void>;
}

const startWorker = (options: ParseOptions): StartedWorker => {
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    workerData: { kind: options.kind, query: options.query, hash: options.hash === true },
  });
  const ready = new Promise<ParserKind>((resolve, reject) => {
    worker.once('message', (message: { ready: ParserKind }) => resolve(message.ready));
    worker.once('error', reject);
  });
  // A pool closed before its workers were ready must not leave an unhandled rejection.
  ready.catch(() => undefined);
  return { worker, ready };
};

/**
 * Ends a worker once it has booted: terminating one while it loads the native addon aborts the
 * whole process (`terminate called after throwing an instance of 'Napi::Error'`, seen on Node 20).
 */
const stop = async ({ worker, ready }: StartedWorker) => {
  await ready.catch(() => undefined);
  await worker.terminate();
};

export const startWorkers = (options: ParseOptions, threads = availableParallelism()): WorkerPool => {
  const workers = Array.from({ length: Math.max(1, threads) }, () => startWorker(options));
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map(stop));
    },
  };
};

const parseInline = async (paths: string[], options: ParseOptions): Promise<ParseOutcome> => {
  const parser = await loadParser(options.kind, options.query);
  const results = await scanFiles(parser, paths, options.hash === true);
  return { results, parserKind: parser.kind };
};

/** Parses `paths`, on the pool's workers when one is given (and always closes it), else on new ones. */
export const parseFiles = async (paths: string[], options: ParseOptions, pool?: WorkerPool): Promise<ParseOutcome> => {
  if (paths.length <= INLINE_LIMIT) {
    const closing = pool?.close();
    const outcome = await parseInline(paths, options);
    await closing;
    return outcome;
  }
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / BATCH)));
  const workers = pool ? pool.workers : Array.from({ length: threads }, () => startWorker(options));
  const idle = workers.slice(threads).map(stop);
  const used = workers.slice(0, threads);
  const results: WorkerResult[] = [];
  let next = 0;
  let parserKind: ParserKind = 'native';
  const runWorker = async ({ worker, ready }: StartedWorker) => {
    parserKind = await ready;
    await new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= paths.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const batch = paths.slice(next, next + BATCH);
        next += batch.length;
        worker.postMessage({ id: next, paths: batch });
      };
      worker.on('message', (message: WorkerResponse) => {
        results.push(...message.results);
        options.onProgress?.(results.length, paths.length);
        feed();
      });
      worker.on('error', reject);
      feed();
    });
  };
  await Promise.all([...used.map(runWorker), ...idle]);
  return { results, parserKind };
};
