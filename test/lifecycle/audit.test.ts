/**
 * audit: a venv with a planted foreign .pth (starts a process, decodes a payload, reads credentials,
 * opens a socket) and a hidden one. Each would write a marker file if it ever ran; audit must report
 * both and run neither.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { tempDir } from '../helpers/python.js';
import { makeLab, type Lab } from './env.js';

let lab: Lab;
let markers: string;
beforeAll(async () => {
  lab = await makeLab();
  markers = await tempDir('patchkit-markers-');
  expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
  const site = lab.venv.sitePackages;
  const mark = (name: string) => `open(${JSON.stringify(join(markers, name))}, 'w').write('ran')`;
  await writeFile(
    join(site, 'zz_helper.pth'),
    `# looks harmless\nimport os, base64, subprocess, socket; ${mark('foreign')}; ` +
      `exec(base64.b64decode(b'cGFzcw==')); os.path.expanduser('~/.ssh/id_rsa'); dict(os.environ)\n`,
  );
  await writeFile(join(site, '.hidden_init.pth'), `import os; ${mark('hidden')}\n`);
});
afterAll(async () => {
  await lab?.remove();
  if (markers) await rm(markers, { recursive: true, force: true });
});

interface File {
  path: string;
  hidden: boolean;
  processed: boolean;
  note: string | null;
  owner: { kind: string; distribution?: string };
  executable: { line: number; text: string; flags: { code: string }[] }[];
}

describe('audit', () => {
  it('lists foreign, hidden and patchkit start-up files with owners and flags, and runs none of them', async () => {
    const r = await patchkit(['audit', '--python', lab.venv.python, '--json']);
    expect(r.exitCode, r.stderr).toBe(1); // a flagged foreign line is processed at start-up
    expect(existsSync(join(markers, 'foreign'))).toBe(false);
    expect(existsSync(join(markers, 'hidden'))).toBe(false);
    const data = JSON.parse(r.stdout) as { files: File[] };
    const byName: Record<string, File> = Object.fromEntries(data.files.map((f) => [f.path.split('/').pop() ?? '', f]));

    const foreign = byName['zz_helper.pth'];
    expect(foreign.owner).toEqual({ kind: 'unknown' });
    expect(foreign.processed).toBe(true);
    expect(foreign.executable.map((l) => l.line)).toEqual([2]);
    expect(foreign.executable[0].flags.map((f) => f.code)).toEqual([
      'spawns-processes',
      'decodes-or-execs-payload',
      'network',
      'credentials',
    ]);

    const hidden = byName['.hidden_init.pth'];
    expect(hidden.hidden).toBe(true);
    expect(hidden.executable.map((l) => l.text)).toEqual([expect.stringContaining('import os;')]);

    const ours = byName['hook_patch_injector.pth'];
    expect(ours.owner).toMatchObject({ kind: 'patchkit', distribution: expect.stringMatching(/^hook_patch-/) });
    expect(ours.executable[0].flags).toEqual([]);
    expect(byName['hook_patch_injector.start'].executable.map((l) => l.text)).toEqual(['hook_patch_injector:hook']);

    const text = await patchkit(['audit', '--python', lab.venv.python]);
    expect(text.stdout).toContain('.hidden_init.pth  [foreign: no installed distribution lists it]');
    expect(text.stdout).toContain('HIDDEN');
    expect(text.stdout).toContain('nothing was run');
    expect(existsSync(join(markers, 'foreign'))).toBe(false);
  });

  it('the planted files are live: the markers appear as soon as a real interpreter starts (audit did not run them)', async () => {
    await lab.py('pass');
    expect(existsSync(join(markers, 'foreign'))).toBe(true);
  });
});
