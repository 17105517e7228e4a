/**
 * `npm run bench [-- --quick] [-- --corpus <dir>]`: scan, start-up, per-call and CLI measurements as same-run ratios,
 * printed with the commands that produced them. The full run writes BENCHMARKS.md and
 * bench/results.json and exits 1 on any FAIL. The quick run (a small corpus, fewer runs; CI) writes
 * nothing and proves every section still runs end to end; it does not judge ratios, because on a
 * small corpus fixed costs (Node and interpreter start-up, worker spawn) dominate the scan lines.
 */
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli } from './cli.js';
import { createContext } from './context.js';
import { benchPerCall } from './percall.js';
import { machineDescription, readNotes, renderMarkdown, type BenchReport } from './report.js';
import { benchScan } from './scan.js';
import { benchStartup } from './startup.js';

// `--render`: BENCHMARKS.md again from bench/results.json with the current bench/NOTES.md (no measuring).
if (process.argv.includes('--render')) {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const saved = JSON.parse(await readFile(join(repo, 'bench/results.json'), 'utf8')) as BenchReport;
  saved.notes = await readNotes(join(repo, 'bench/NOTES.md'));
  await writeFile(join(repo, 'BENCHMARKS.md'), renderMarkdown(saved));
  await writeFile(join(repo, 'bench/results.json'), `${JSON.stringify(saved, null, 2)}\n`);
  process.stdout.write('rendered BENCHMARKS.md from bench/results.json\n');
  process.exit(0);
}
const quick = process.argv.includes('--quick');
// `--corpus <dir>` (repeatable): any package tree, scanned next to the stdlib and torch; two trees of
// the same package name are also measured as one version after the other (bench/scan.ts).
const corpora = process.argv.flatMap((arg, i) => (arg === '--corpus' ? [resolve(process.argv[i + 1] ?? '')] : []));
// `--only startup` (or scan, percall, cli): one section, for working on it; nothing is written.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : null;
const want = (section: string) => only === null || only === section;
const none = { lines: [], timings: [], report: {} };
const ctx = await createContext(quick, corpora);
const { stdout: python } = await execa('python3', ['-S', '-c', 'import sys; print("CPython", sys.version.split()[0])']);
const scan = want('scan') ? await benchScan(ctx) : none;
const startup = want('startup') ? await benchStartup(ctx) : none;
const perCall = want('percall') ? await benchPerCall(ctx) : none;
const cli = want('cli') ? await benchCli(ctx) : none;
const notes = await readNotes(join(ctx.repo, 'bench/NOTES.md'));
const report: BenchReport = {
  date: new Date().toISOString(),
  quick,
  machine: machineDescription(python.trim()),
  lines: [...scan.lines, ...startup.lines, ...perCall.lines, ...cli.lines],
  timings: [...scan.timings, ...cli.timings],
  startup: startup.report,
  perCall: perCall.report,
  notes,
};
ctx.log('');
for (const l of report.lines) {
  const verdict = Number.isFinite(l.limit) ? (l.pass ? 'PASS' : 'FAIL') : 'info';
  ctx.log(
    `${verdict.padEnd(4)}  ${l.section}: ${l.name}: ${l.ratio.toFixed(3)}${Number.isFinite(l.limit) ? ` (limit ${l.limit})` : ''}  ${l.detail}`,
  );
}
if (!quick && only === null) {
  await writeFile(join(ctx.repo, 'BENCHMARKS.md'), renderMarkdown(report));
  await writeFile(join(ctx.repo, 'bench/results.json'), `${JSON.stringify(report, null, 2)}\n`);
  ctx.log('wrote BENCHMARKS.md and bench/results.json');
}
const failed = quick ? [] : report.lines.filter((l) => Number.isFinite(l.limit) && !l.pass);
process.exitCode = failed.length ? 1 : 0;
