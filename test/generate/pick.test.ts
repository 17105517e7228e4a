/**
 * `patchkit pick` in a real pseudo-terminal (Python's pty module drives the built CLI): fuzzy
 * search, multi-select, sentinel, body, name and directory; Ctrl-C leaves nothing behind; without
 * a terminal it refuses and points at `new`.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binPath, patchkit } from '../helpers/cli.js';
import { PYTHON, tempDir } from '../helpers/python.js';

const driver = fileURLToPath(new URL('../helpers/pty_driver.py', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url));
const ENTER = '\r';
const DOWN = '\x1b[B';

const drive = async (cwd: string, steps: [string, string][]) => {
  const { stdout } = await execa(PYTHON, [driver, JSON.stringify(steps), process.execPath, binPath, 'pick', fixture], {
    cwd,
    env: { TERM: 'xterm', CI: '' },
  });
  return JSON.parse(stdout) as { exit: number; output: string; failure: string | null };
};

describe('patchkit pick', () => {
  it('picks two targets with fuzzy search, then generates the bundle', async () => {
    const cwd = await tempDir();
    const run = await drive(cwd, [
      ['Target to wrap', 'compu'],
      ['❯ hazardpkg\\.core:compute', ENTER],
      ['Add another target', 'kincoro'],
      ['❯ hazardpkg\\.core:Kinds\\.coro', ENTER],
      ['Add another target', ''],
      ['❯ ✔ done', ENTER],
      ['Sentinel', ENTER],
      ['Patch body', DOWN + ENTER],
      ['Bundle name', 'picked' + ENTER],
      ['Output directory', 'out' + ENTER],
    ]);
    expect(run.failure, run.output).toBeNull();
    expect(run.exit, run.output).toBe(0);
    expect(run.output).toContain('hazardpkg.core:compute: referenced by value');
    const manifest = JSON.parse(readFileSync(join(cwd, 'out', 'picked', 'patchkit.json'), 'utf8')) as {
      body: string;
      targets: { module: string; qualname: string; async: boolean; sentinel: string }[];
    };
    expect(manifest.body).toBe('trace');
    expect(manifest.targets.map((t) => [t.module, t.qualname, t.async, t.sentinel])).toEqual([
      ['hazardpkg.core', 'compute', false, 'hazardpkg.core'],
      ['hazardpkg.core', 'Kinds.coro', true, 'hazardpkg.core'],
    ]);
  });

  it("picks --body replace: the core holds the target's own source, policy require", async () => {
    const cwd = await tempDir();
    const run = await drive(cwd, [
      ['Target to wrap', 'compu'],
      ['❯ hazardpkg\\.core:compute', ENTER],
      ['Add another target', ''],
      ['❯ ✔ done', ENTER],
      ['Sentinel', ENTER],
      ['Patch body', DOWN + DOWN + ENTER],
      ['Bundle name', 'replaced' + ENTER],
      ['Output directory', 'out' + ENTER],
    ]);
    expect(run.failure, run.output).toBeNull();
    expect(run.exit, run.output).toBe(0);
    const dir = join(cwd, 'out', 'replaced');
    const manifest = JSON.parse(readFileSync(join(dir, 'patchkit.json'), 'utf8')) as { body: string; policy: string };
    expect([manifest.body, manifest.policy]).toEqual(['replace', 'require']);
    const core = readFileSync(join(dir, 'replaced_patch_core.py'), 'utf8');
    expect(core).toContain("'hazardpkg.core:compute': ('replace', 'code')");
    expect(core).toMatch(/# >>> patchkit: definitions in hazardpkg\.core >>>\n(@[^\n]*\n)*def compute\(/);
  });

  it('a glob adds every match at once, as `new --target` takes it', async () => {
    const cwd = await tempDir();
    const run = await drive(cwd, [
      ['Target to wrap', 'Kinds.*gen'],
      ['❯ ✔ all 2 matching Kinds\\.\\*gen', ENTER],
      ['Add another target \\(2 chosen\\)', ''],
      ['❯ ✔ done', ENTER],
      ['Sentinel', ENTER],
      ['Patch body', ENTER],
      ['Bundle name', 'globbed' + ENTER],
      ['Output directory', 'out' + ENTER],
    ]);
    expect(run.failure, run.output).toBeNull();
    expect(run.exit, run.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cwd, 'out', 'globbed', 'patchkit.json'), 'utf8')) as {
      targets: { qualname: string }[];
    };
    expect(manifest.targets.map((t) => t.qualname)).toEqual(['Kinds.gen', 'Kinds.agen']);
  });

  it('Ctrl-C at any question leaves nothing behind', async () => {
    const cwd = await tempDir();
    const run = await drive(cwd, [
      ['Target to wrap', 'compu'],
      ['❯ hazardpkg\\.core:compute', ENTER],
      ['Add another target', ''],
      ['❯ ✔ done', ENTER],
      ['Sentinel', ENTER],
      ['Patch body', ENTER],
      ['Bundle name', '\x03'],
    ]);
    expect(run.exit).toBe(2);
    expect(run.output).toContain('cancelled: nothing was written');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses without a terminal and points at `new`', async () => {
    const cwd = await tempDir();
    const result = await patchkit(['pick', fixture], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('pick is interactive and needs a terminal');
    expect(result.stderr).toContain('patchkit new');
    expect(existsSync(join(cwd, 'hazardpkg'))).toBe(false);
  });
});
