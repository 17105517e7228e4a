/**
 * Parses files on every core. Small jobs stay on the main thread: starting a worker and loading
 * tree-sitter in it costs more than parsing a handful of files.
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

const parseInline = async (
  paths: string[],
  kind: ParserKind | 'auto',
  query: QuerySources,
  hash: boolean,
): Promise<ParseOutcome> => {
  const parser = await loadParser(kind, query);
  const results = await scanFiles(parser, paths, hash);
  return { results, parserKind: parser.kind };
};

export const parseFiles = async (
  paths: string[],
  options: {
    kind: ParserKind | 'auto';
    query: QuerySources;
    /** Also hash each file's bytes (for the content-keyed cache). */
    hash?: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ParseOutcome> => {
  if (paths.length <= INLINE_LIMIT) return parseInline(paths, options.kind, options.query, options.hash === true);
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / BATCH)));
  const results: WorkerResult[] = [];
  let next = 0;
  let parserKind: ParserKind = 'native';
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: { kind: options.kind, query: options.query, hash: options.hash === true },
      });
      const feed = () => {
        if (next >= paths.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const batch = paths.slice(next, next + BATCH);
        next += batch.length;
        worker.postMessage({ id: next, paths: batch });
      };
      worker.on('message', (message: WorkerResponse | { ready: ParserKind }) => {
        if ('ready' in message) {
          parserKind = message.ready;
        } else {
          results.push(...message.results);
          options.onProgress?.(results.length, paths.length);
        }
        feed();
      });
      worker.on('error', reject);
    });
  await Promise.all(Array.from({ length: threads }, runWorker));
  return { results, parserKind };
};
