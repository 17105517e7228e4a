/** What every benchmark section needs: paths, run counts, a log that prints the commands. */
import { execa } from 'execa';
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
  /** Package trees given with `--corpus <dir>` (a directory holding the package's __init__.py). */
  corpora: string[];
  work: string;
  log: (line: string) => void;
}

export const createContext = async (quick: boolean, corpora: string[] = []): Promise<BenchContext> => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const oracle = join(repo, 'test/oracle/ast_oracle.py');
  const { stdout } = await execa('python3', ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']);
  return {
    quick,
    runs: quick ? 3 : 5,
    repo,
    bin: join(repo, 'bin/patchkit.js'),
    oracle,
    stdlibDir: stdout.trim(),
    corpora,
    work: await mkdtemp(join(tmpdir(), 'patchkit-bench-')),
    log: (line) => process.stdout.write(`${line}\n`),
  };
};
