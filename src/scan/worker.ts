/** Worker thread: owns one parser, turns file paths into FileFacts. Errors travel back per file. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadParser, type ParserKind, type QuerySources } from '../parser/adapter.js';
import { scanFile } from './file.js';
import type { FileFacts } from './facts.js';

export interface WorkerRequest {
  id: number;
  paths: string[];
}

/** `hash`: of the bytes the facts came from, when the cache asked for it. */
export type WorkerResult = { path: string; facts: FileFacts; hash?: string } | { path: string; error: string };

export interface WorkerResponse {
  id: number;
  results: WorkerResult[];
}

const { kind, query, hash } = workerData as { kind: ParserKind | 'auto'; query: QuerySources; hash: boolean };
const parser = await loadParser(kind, query);
parentPort?.postMessage({ ready: parser.kind });
parentPort?.on('message', (request: WorkerRequest) => {
  const results = request.paths.map((path): WorkerResult => {
    try {
      return { path, ...scanFile(parser, path, hash) };
    } catch (error) {
      return { path, error: error instanceof Error ? error.message : String(error) };
    }
  });
  parentPort?.postMessage({ id: request.id, results } satisfies WorkerResponse);
});
