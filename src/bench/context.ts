/** What every benchmark section needs: paths, run counts, a log that prints the commands. */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchContext {
  quick: boolean;
  runs: number;
  repo: string;
  bin: string;
  oracle: string;
  stdlibDir: string;
  work: string;
  log: (line: string) => void;
}

export const createContext = async (quick: boolean): Promise<BenchContext> => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const oracle = [
    process.env.PATCHKIT_SHARED && join(process.env.PATCHKIT_SHARED, 'tools/ast_oracle.py'),
    join(repo, '../shared/tools/ast_oracle.py'),
    join(repo, 'shared/tools/ast_oracle.py'),
  ].find((p): p is string => !!p && existsSync(p));
  if (!oracle) throw new Error('../shared/tools/ast_oracle.py not found (set PATCHKIT_SHARED)');
  const { stdout } = await execa('python3', ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']);
  return {
    quick,
    runs: quick ? 3 : 5,
    repo,
    bin: join(repo, 'bin/patchkit.js'),
    oracle,
    stdlibDir: stdout.trim(),
    work: await mkdtemp(join(tmpdir(), 'patchkit-bench-')),
    log: (line) => process.stdout.write(`${line}\n`),
  };
};
