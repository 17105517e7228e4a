/** Worker thread: owns one parser, turns file paths into FileFacts. Errors travel back per file. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadParser, type ParserKind, type QuerySources } from '../parser/adapter.js';
import { scanFiles, type FileResult } from './file.js';

export interface WorkerRequest {
  id: number;
  paths: string[];
}

export type WorkerResult = FileResult;

export interface WorkerResponse {
  id: number;
  results: WorkerResult[];
}

const { kind, query, hash } = workerData as { kind: ParserKind | 'auto'; query: QuerySources; hash: boolean };
const parser = await loadParser(kind, query);
parentPort?.postMessage({ ready: parser.kind });
parentPort?.on('message', async (request: WorkerRequest) => {
  const results = await scanFiles(parser, request.paths, hash);
  parentPort?.postMessage({ id: request.id, results } satisfies WorkerResponse);
});
