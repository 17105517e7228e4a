/**
 * `verify`: run the probe in the target interpreter (from an empty temp dir, so nothing in the user's
 * cwd shadows a sentinel) and turn its JSON into per-target findings for the parent and, with
 * --spawn, a multiprocessing spawn child (the process model of SGLang and vLLM workers).
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, InterpreterError } from '../errors.js';
import { findInstalled, type InstalledBundle } from './installed.js';
import { lookupDirs, type TargetEnv } from './target.js';
import { PROBE_MARK, VERIFY_PROBE } from './verify-probe.js';

export type TargetState = 'applied' | 'pending' | 'skipped' | 'error';

export interface ProcessReport {
  pid: number | null;
  /** The loader was imported at start-up (by the .pth/.start), before the probe ran. */
  started: boolean;
  loader: string | null;
  /** Sentinels that failed to import, with the error. */
  importErrors: Record<string, string>;
  targets: { key: string; state: TargetState; reason: string | null }[];
}

export interface VerifyOutcome {
  name: string;
  python: string;
  siteDir: string;
  version: string;
  parent: ProcessReport;
  child: ProcessReport | null;
  ok: boolean;
  stderr: string;
}

interface RawProcess {
  pid?: number;
  started?: boolean;
  imports?: Record<string, string | null>;
  report?: Record<string, { state: TargetState; reason: string | null }> | null;
  loader?: string | null;
  error?: string;
}

const toReport = (raw: RawProcess | null, keys: string[]): ProcessReport => {
  const importErrors: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw?.imports ?? {})) if (v) importErrors[k] = v;
  const why = raw?.error ?? (raw?.report ? null : `loader not importable: ${raw?.loader ?? 'no answer'}`);
  const targets = keys.map((key) => {
    const r = raw?.report?.[key];
    if (!r) return { key, state: 'error' as const, reason: why ?? 'not in the loader report' };
    if (r.state !== 'applied' && !raw?.started)
      return { key, state: r.state, reason: `the .pth did not run at start-up (${r.reason ?? 'no reason given'})` };
    return { key, state: r.state, reason: r.reason };
  });
  return { pid: raw?.pid ?? null, started: Boolean(raw?.started), loader: raw?.loader ?? null, importErrors, targets };
};

const findBundle = async (name: string, env: TargetEnv): Promise<InstalledBundle> => {
  for (const dir of env.facts.siteDirs.concat(lookupDirs(env.facts))) {
    const [found] = await findInstalled(dir, name);
    if (found) return found;
  }
  throw new EnvironmentError(`${name} is not installed for ${env.python}`, `patchkit install <bundle dir> first`);
};

export const verifyBundle = async (name: string, env: TargetEnv, spawn: boolean): Promise<VerifyOutcome> => {
  const bundle = await findBundle(name, env);
  const keys = bundle.manifest.targets.map((t) => `${t.module}:${t.qualname}`);
  const dir = await mkdtemp(join(tmpdir(), 'patchkit-verify-'));
  try {
    const script = join(dir, 'patchkit_verify_probe.py');
    await writeFile(script, VERIFY_PROBE);
    const r = await execa(
      env.python,
      [script, `${name}_patch_loader`, spawn ? '1' : '0', ...bundle.manifest.sentinels],
      { cwd: dir, reject: false, stdin: 'ignore', timeout: 300_000 },
    );
    const line = String(r.stdout)
      .split('\n')
      .reverse()
      .find((l) => l.startsWith(PROBE_MARK));
    if (!line)
      throw new InterpreterError(
        `the verify probe did not answer (exit ${r.exitCode}): ${String(r.stderr).trim().split('\n').slice(-3).join(' | ')}`,
      );
    const raw = JSON.parse(line.slice(PROBE_MARK.length)) as { parent: RawProcess; child: RawProcess | null };
    const parent = toReport(raw.parent, keys);
    const child = spawn ? toReport(raw.child, keys) : null;
    const all = [parent, ...(child ? [child] : [])];
    return {
      name,
      python: env.python,
      siteDir: bundle.siteDir,
      version: bundle.version,
      parent,
      child,
      ok: all.every((p) => p.targets.every((t) => t.state === 'applied')),
      stderr: String(r.stderr),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
