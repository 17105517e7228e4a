/**
 * Ground truth from CPython: test/oracle/ast_oracle.py over a directory, and the list of
 * files CPython itself refuses to parse (the oracle skips them; tree-sitter accepts a superset).
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { patchkit } from './cli.js';
import type { ScanResult } from '../../src/scan/model.js';

export const ORACLE = fileURLToPath(new URL('../oracle/ast_oracle.py', import.meta.url));

export type Key = string;
export const key = (module: string, qualname: string, line: number, isAsync: boolean): Key =>
  JSON.stringify([module, qualname, line, isAsync]);

export const oracleSet = async (python: string, dir: string): Promise<Set<Key>> => {
  const { stdout } = await execa(python, [ORACLE, dir], { maxBuffer: 1 << 30 });
  const set = new Set<Key>();
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { module: string; qualname: string; line: number; async: boolean };
    set.add(key(o.module, o.qualname, o.line, o.async));
  }
  return set;
};

const REJECTED = `
import ast, os, sys, json
root = os.path.abspath(sys.argv[1]); bad = []
for d, dirs, files in os.walk(root):
    for f in files:
        if f.endswith('.py'):
            p = os.path.join(d, f)
            try: ast.parse(open(p, 'rb').read())
            except (SyntaxError, ValueError): bad.append(p)
print(json.dumps(sorted(bad)))
`;

/** Paths of .py files under dir that CPython's ast.parse rejects. */
export const cpythonRejects = async (python: string, dir: string): Promise<string[]> => {
  const { stdout } = await execa(python, ['-c', REJECTED, dir], { maxBuffer: 1 << 28 });
  return JSON.parse(stdout) as string[];
};

export const scanJson = async (args: string[]): Promise<ScanResult> => {
  const result = await patchkit(['scan', ...args, '--json'], { maxBuffer: 1 << 30 });
  if (result.exitCode !== 0)
    throw new Error(`patchkit scan ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return JSON.parse(String(result.stdout)) as ScanResult;
};

export const scanSet = (result: ScanResult): Set<Key> => {
  const set = new Set<Key>();
  for (const module of result.modules) {
    if (module.kind !== 'source') continue;
    for (const s of module.symbols) set.add(key(module.name, s.qualname, s.line, s.async));
  }
  return set;
};
