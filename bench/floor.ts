/**
 * The scan's floor: a bare tree-sitter parse of every .py file under a directory on every core,
 * nothing else (read, decode as UTF-8, parse, drop the tree). `patchkit scan --no-cache` does this
 * and more, so its wall time over this one's is what patchkit itself costs.
 * Usage: node bench/build/floor.js <dir> [threads]. Prints one JSON line: files, bytes, threads.
 */
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

interface Parser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree?: unknown, options?: { bufferSize?: number }): unknown;
}

const require = createRequire(import.meta.url);

const pythonFiles = (dir: string): string[] => {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
};

/** Parses files[next++] until none is left; `next` is shared by every thread (work stealing). */
const parseAll = (files: string[], next: Int32Array): number => {
  const TreeSitter = require('tree-sitter') as new () => Parser;
  const parser = new TreeSitter();
  parser.setLanguage(require('tree-sitter-python'));
  let bytes = 0;
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
    const source = readFileSync(files[i]);
    bytes += source.length;
    const text = source.toString('utf8');
    // The same buffer size as the scanner's, so both parse alike.
    parser.parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
  }
  return bytes;
};

if (!isMainThread) {
  const { files, next } = workerData as { files: string[]; next: SharedArrayBuffer };
  parentPort?.postMessage(parseAll(files, new Int32Array(next)));
} else {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node bench/build/floor.js <dir> [threads]\n');
    process.exit(2);
  }
  const files = pythonFiles(dir);
  const threads = Math.max(1, Number(process.argv[3] ?? availableParallelism()));
  const next = new SharedArrayBuffer(4);
  const bytes = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { files, next } });
          worker.once('message', (n: number) => resolve(n));
          worker.once('error', reject);
        }),
    ),
  );
  process.stdout.write(
    `${JSON.stringify({ files: files.length, bytes: bytes.reduce((a, b) => a + b, 0), threads })}\n`,
  );
}
