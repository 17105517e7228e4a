/**
 * Timing commands fairly on a shared machine: every compared command runs in the same session,
 * alternating, several times; the median is kept and only ratios are judged. Peak RSS and CPU time
 * (user + system, every thread and child) come from GNU time (`/usr/bin/time -f '%M %U %S'`),
 * which wraps every side alike.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Command {
  label: string;
  argv: string[];
  env?: Record<string, string>;
  /** Runs before every run of the command, untimed (puts a cache back in the state under test). */
  before?: () => Promise<void>;
}

export interface Timing {
  label: string;
  command: string;
  wallMs: number;
  /** User + system CPU time of the command and everything it ran. */
  cpuMs: number;
  rssMb: number;
  runs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const shellQuote = (argv: string[]) =>
  argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');

/** spawn (no shell) with stdout on `fd`; execa's types only take descriptors 3–9 there. */
const runToFd = (argv: string[], env: Record<string, string> | undefined, fd: number) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', fd, 'ignore'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${shellQuote(argv)} exited with ${signal ?? code}`)),
    );
  });

const once = async (command: Command, dir: string) => {
  await command.before?.();
  const timeFile = join(dir, 'time.txt');
  // The command writes its stdout straight into a file, as griffe's `-o` does: execa's `{ file }` would
  // pipe it through this process, and 21 MB of scan output then cost the child ≈0.4 s of waiting.
  const stdout = await open(join(dir, 'stdout'), 'w');
  const start = process.hrtime.bigint();
  try {
    await runToFd(['/usr/bin/time', '-f', '%M %U %S', '-o', timeFile, ...command.argv], command.env, stdout.fd);
  } finally {
    await stdout.close();
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const [rssKb, user, system] = ((await readFile(timeFile, 'utf8')).trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  return { wallMs, rssKb, cpuMs: (user + system) * 1000 };
};

/** Runs the commands alternately `runs` times; the order rotates so none always goes first. */
export const compare = async (commands: Command[], runs: number, log: (line: string) => void): Promise<Timing[]> => {
  const dir = await mkdtemp(join(tmpdir(), 'patchkit-bench-'));
  for (const c of commands) {
    log(
      `  $ ${
        c.env
          ? `${Object.entries(c.env)
              .filter(([k]) => k.startsWith('PATCHKIT') || k.startsWith('PYTHON'))
              .map(([k, v]) => `${k}=${v} `)
              .join('')}`
          : ''
      }${shellQuote(c.argv)}`,
    );
    await once(c, dir); // warm-up: the page cache, and a cache that a warm command reads
  }
  const samples = commands.map(() => ({ wall: [] as number[], rss: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (k + r) % commands.length;
      const { wallMs, rssKb, cpuMs } = await once(commands[i], dir);
      samples[i].wall.push(wallMs);
      samples[i].rss.push(rssKb);
      samples[i].cpu.push(cpuMs);
    }
  }
  return commands.map((c, i) => ({
    label: c.label,
    command: shellQuote(c.argv),
    wallMs: median(samples[i].wall),
    cpuMs: median(samples[i].cpu),
    rssMb: median(samples[i].rss) / 1024,
    runs,
  }));
};
