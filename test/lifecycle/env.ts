/**
 * Lifecycle test fixtures: a real venv holding the generate fixtures' `demo` package, a bundle written
 * by the real `patchkit new`, and a snapshot of site-packages to prove that uninstall restores it.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, tempDir, type Venv } from '../helpers/python.js';

export const DEMO_SITE = fileURLToPath(new URL('../fixtures/generate/site/', import.meta.url));
export const LIFECYCLE = fileURLToPath(new URL('../fixtures/lifecycle/', import.meta.url));

/** The fixture packages are excluded: importing them may write their own bytecode. */
const FIXTURE_PACKAGES = new Set(['demo', 'nsdemo', 'driftpkg']);

/** Every path under site-packages with a hash of its content: equal snapshots mean nothing changed. */
export const snapshot = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { recursive: true })).map(String).sort()) {
    if (FIXTURE_PACKAGES.has(entry.split('/')[0])) continue;
    const path = join(dir, entry);
    const info = await stat(path);
    out.push(
      info.isDirectory()
        ? `${entry}/`
        : `${entry} ${createHash('sha256')
            .update(await readFile(path))
            .digest('hex')
            .slice(0, 12)}`,
    );
  }
  return out;
};

export interface Lab {
  venv: Venv;
  out: string;
  bundleDir: string;
  py: (code: string, env?: Record<string, string>) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
  remove: () => Promise<void>;
}

/** A venv with `demo` and a bundle `hook` generated for it by `patchkit new` (not installed). */
export const makeLab = async (
  options: { withPip?: boolean; name?: string; targets?: string[]; body?: string } = {},
): Promise<Lab> => {
  const venv = await makeVenv({ withPip: options.withPip });
  await cp(DEMO_SITE, venv.sitePackages, { recursive: true });
  const out = await tempDir('patchkit-lifecycle-');
  const name = options.name ?? 'hook';
  const targets = options.targets ?? ['demo.targets:add', 'demo.targets:Widget.grow'];
  const made = await patchkit([
    'new',
    name,
    ...targets.flatMap((t) => ['--target', t]),
    '--python',
    venv.python,
    '--out',
    out,
    '--body',
    options.body ?? 'passthrough',
  ]);
  if (made.exitCode !== 0) throw new Error(`patchkit new failed: ${made.stderr}`);
  return {
    venv,
    out,
    bundleDir: join(out, name),
    py: async (code, env = {}) => {
      const r = await execa(venv.python, ['-c', code], { reject: false, stdin: 'ignore', env });
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    remove: async () => {
      await venv.remove();
      await rm(out, { recursive: true, force: true });
    },
  };
};
