/**
 * `patchkit demo`: the whole loop on the stdlib, in a throw-away venv, with nothing mocked — scan
 * `json`, generate a trace bundle for json.dumps/json.loads, install it, run a program that also starts
 * a child interpreter, show the trace lines of both processes, uninstall, and check that site-packages
 * is exactly as before.
 */
import { execa } from 'execa';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './new.js';
import { loadBundle } from '../install/bundle.js';
import { DEMO_PROGRAM } from '../install/demo-program.js';
import { installBundle } from '../install/install.js';
import { resolveEnv } from '../install/target.js';
import { uninstallBundle } from '../install/uninstall.js';
import { EnvironmentError } from '../errors.js';

export interface DemoOptions {
  cwd: string;
  python?: string;
  keep?: boolean;
}

export interface TraceLine {
  pid: number;
  role: 'parent' | 'child';
  target: string;
  duration: number;
}

export interface DemoResult {
  dir: string;
  kept: boolean;
  steps: { title: string; detail: string[] }[];
  parentPid: number | null;
  traces: TraceLine[];
  /** site-packages after uninstall equals site-packages before install. */
  clean: boolean;
}

const NAME = 'demo';
const TARGETS = ['json:dumps', 'json:loads'];

const listTree = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true })).map(String).sort();

export const run = async (options: DemoOptions): Promise<DemoResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'patchkit-demo-'));
  const steps: DemoResult['steps'] = [];
  try {
    const venvDir = join(dir, 'venv');
    const made = await execa(options.python ?? 'python3', ['-m', 'venv', '--without-pip', venvDir], { reject: false });
    if (made.exitCode !== 0) throw new EnvironmentError(`cannot create a venv: ${String(made.stderr).trim()}`);
    const python = join(venvDir, 'bin', 'python');
    const env = await resolveEnv({ python, cwd: dir });
    steps.push({ title: 'created a throw-away venv', detail: [venvDir, `Python ${env.facts.version}`] });

    const { scanPackage } = await import('../scan/index.js');
    const scan = await scanPackage({ target: 'json', python, cwd: dir });
    const symbols = scan.modules.reduce((n, m) => n + m.symbols.length, 0);
    steps.push({
      title: 'scanned the stdlib package json without importing it',
      detail: [`${scan.modules.length} modules, ${symbols} definitions, from ${scan.package.root}`],
    });

    const made2 = await generate({ cwd: dir, name: NAME, target: TARGETS, body: 'trace', out: dir, python }, [scan]);
    steps.push({ title: 'generated a trace bundle', detail: [made2.dir, ...made2.model.targets.map((t) => t.key)] });

    const before = await listTree(env.facts.purelib);
    const installed = await installBundle(await loadBundle(made2.dir, dir), env, {});
    steps.push({
      title: 'installed it',
      detail: [installed.siteDir, ...installed.written.filter((p) => !p.includes('/'))],
    });

    const program = join(dir, 'demo_program.py');
    const traceFile = join(dir, 'trace.jsonl');
    await writeFile(program, DEMO_PROGRAM);
    const ran = await execa(python, [program], {
      cwd: dir,
      reject: false,
      env: { [`${NAME.toUpperCase()}_PATCH_TRACE`]: traceFile },
    });
    if (ran.exitCode !== 0) throw new EnvironmentError(`the demo program failed: ${String(ran.stderr).trim()}`);
    const parentPid = Number(String(ran.stdout).trim().split('\n').pop()) || null;
    steps.push({ title: 'ran a program that calls json and starts a child interpreter', detail: [program] });

    const raw = await readFile(traceFile, 'utf8').catch(() => '');
    const traces: TraceLine[] = raw
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { pid: number; target: string; duration: number })
      .map((t) => ({
        pid: t.pid,
        target: t.target,
        duration: t.duration,
        role: t.pid === parentPid ? 'parent' : 'child',
      }));

    const removed = await uninstallBundle(NAME, env);
    const after = await listTree(env.facts.purelib);
    const clean = JSON.stringify(before) === JSON.stringify(after);
    steps.push({
      title: 'uninstalled it',
      detail: [
        `${removed.removed.reduce((n, r) => n + r.files.length, 0)} files removed; site-packages as before: ${clean ? 'yes' : 'NO'}`,
      ],
    });
    return { dir, kept: Boolean(options.keep), steps, parentPid, traces, clean };
  } finally {
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
};
