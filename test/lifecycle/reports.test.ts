/**
 * What install and list print: every file install wrote once (RECORD is written twice, first as
 * the intent, then final), and the body style of the core as it is installed now: "edited" once the
 * core differs from the one `new` generated, whichever file was edited.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeLab, type Lab } from './env.js';

let lab: Lab;
beforeAll(async () => {
  lab = await makeLab({ body: 'trace' });
});
afterAll(() => lab?.remove());

interface Listed {
  bundles: { body: string; generatedBody: string; coreEdited: boolean | null; integrity: string }[];
}
const list = async () => {
  const json = await patchkit(['list', '--python', lab.venv.python, '--json']);
  const text = await patchkit(['list', '--python', lab.venv.python]);
  return { data: JSON.parse(json.stdout) as Listed, text: text.stdout, exitCode: text.exitCode };
};
const core = () => join(lab.bundleDir, 'hook_patch_core.py');

describe('install and list reports', () => {
  it('install prints each file it wrote once, RECORD included', async () => {
    const r = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
    expect(r.exitCode, r.stderr).toBe(0);
    const files = r.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(files.filter((l) => l.endsWith('/RECORD'))).toHaveLength(1);
    expect(new Set(files).size).toBe(files.length);
    const json = JSON.parse((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python, '--json'])).stdout);
    expect((json as { written: string[] }).written.filter((p) => p.endsWith('/RECORD'))).toHaveLength(1);
  });

  it('list: the body as generated while the core is untouched', async () => {
    const { data, text } = await list();
    expect(data.bundles[0]).toMatchObject({ body: 'trace', generatedBody: 'trace', coreEdited: false });
    expect(text).toContain(', body trace, ');
  });

  it('list: "edited" once the installed core is an edited one', async () => {
    await writeFile(core(), `${await readFile(core(), 'utf8')}\n# my change\n`);
    expect((await patchkit(['install', lab.bundleDir, '--python', lab.venv.python])).exitCode).toBe(0);
    const { data, text, exitCode } = await list();
    expect(data.bundles[0]).toMatchObject({
      body: 'edited',
      generatedBody: 'trace',
      coreEdited: true,
      integrity: 'ok',
    });
    expect(text).toContain(', body edited (generated as trace), ');
    expect(exitCode).toBe(0); // an edited core is the workflow, not a finding
  });
});
