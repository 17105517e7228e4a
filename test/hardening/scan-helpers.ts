/**
 * Shared by the scan-*.test.ts hardening tests: the built CLI run as a real process under
 * /usr/bin/time (wall time and peak RSS of the whole process, worker threads included), and the
 * checks every hostile-tree run must pass: exit 0, JSON on stdout, no stack trace on stderr.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { Diagnostic, ScanResult } from '../../src/scan/model.js';
import { binPath } from '../helpers/cli.js';
import { key, type Key } from '../helpers/oracle.js';
import { tempDir } from '../helpers/python.js';
import { STACK } from './check.js';

export interface ScanRunResult {
  exitCode: number;
  stderr: string;
  result: ScanResult;
  wallSeconds: number;
  /** Peak resident set of the CLI process, in MiB (null when /usr/bin/time is missing). */
  peakRssMiB: number | null;
}

const TIME = '/usr/bin/time';
const MARK = '@@patchkit-time@@';

/** `patchkit scan <target> --json --no-cache [...extra]`, with its own cache dir under the temp dir. */
export const scanCli = async (
  target: string,
  extra: string[] = [],
  options: { timeoutMs?: number; onSpawn?: () => void } = {},
): Promise<ScanRunResult> => {
  const args = [binPath, 'scan', target, '--json', '--no-cache', ...extra];
  const timed = existsSync(TIME);
  const cacheDir = await tempDir('patchkit-scan-cache-');
  const started = process.hrtime.bigint();
  const child = timed
    ? execa(TIME, ['-f', `${MARK} %e %M`, process.execPath, ...args], {
        reject: false,
        stdin: 'ignore',
        maxBuffer: 1 << 30,
        timeout: options.timeoutMs,
        env: { NO_COLOR: '1', PATCHKIT_CACHE_DIR: cacheDir },
      })
    : execa(process.execPath, args, {
        reject: false,
        stdin: 'ignore',
        maxBuffer: 1 << 30,
        timeout: options.timeoutMs,
        env: { NO_COLOR: '1', PATCHKIT_CACHE_DIR: cacheDir },
      });
  options.onSpawn?.();
  const run = await child;
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  await rm(cacheDir, { recursive: true, force: true });
  let stderr = String(run.stderr);
  let peakRssMiB: number | null = null;
  const mark = stderr.lastIndexOf(MARK);
  if (timed && mark >= 0) {
    const [, kib] = stderr
      .slice(mark + MARK.length)
      .trim()
      .split(/\s+/);
    peakRssMiB = Math.round(Number(kib) / 1024);
    stderr = stderr.slice(0, mark);
  }
  expect(run.timedOut, `scan of ${target} timed out`).toBe(false);
  expect(stderr, 'no stack trace on stderr').not.toMatch(STACK);
  // `scan` documents 0 for a finished scan: diagnostics are findings in the JSON, not failures.
  expect(run.exitCode, stderr).toBe(0);
  const result = JSON.parse(String(run.stdout)) as ScanResult;
  return { exitCode: run.exitCode ?? -1, stderr, result, wallSeconds: wall, peakRssMiB };
};

/** Diagnostics whose path is `path` (warnings and errors: the `info` ones are notes). */
export const diagnosticsFor = (result: ScanResult, path: string): Diagnostic[] =>
  result.diagnostics.filter((d) => d.path === path && d.severity !== 'info');

export const symbolsOf = (result: ScanResult, module: string): string[] =>
  (result.modules.find((m) => m.name === module)?.symbols ?? []).map((s) => `${s.qualname}:${s.line}`);

/** The (module, qualname, line, async) keys of one module of a scan. */
export const moduleKeys = (result: ScanResult, module: string): Set<Key> =>
  new Set(
    (result.modules.find((m) => m.name === module)?.symbols ?? []).map((s) => key(module, s.qualname, s.line, s.async)),
  );

/** Writes `files` (relative path → content) under a fresh temp dir's `pkg`; returns the package dir. */
export const writeTree = async (files: Record<string, string | Uint8Array>, name = 'pkg') => {
  const base = await tempDir('patchkit-hostile-');
  const root = join(base, name);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return { base, root, remove: () => rm(base, { recursive: true, force: true }) };
};

/** One line for the test log (and RELIABILITY.md): what ran and what it cost. */
export const record = (label: string, run: ScanRunResult) =>
  console.log(
    `[scan-hardening] ${label}: ${run.wallSeconds.toFixed(2)} s, peak RSS ${run.peakRssMiB ?? '?'} MiB, ` +
      `${run.result.diagnostics.length} diagnostics, ${run.result.modules.length} modules, ` +
      `${run.result.modules.reduce((n, m) => n + m.symbols.length, 0)} symbols`,
  );
