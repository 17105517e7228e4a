/** build: a reproducible wheel that pip installs offline, that works, and that pip uninstalls without a trace. */
import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { needsEnsurepip, skipUnmet } from '../helpers/needs.js';
import { PYTHON, tempDir } from '../helpers/python.js';
import { makeLab, snapshot, type Lab } from './env.js';

const NO_PIP = skipUnmet('build: a wheel that pip installs', needsEnsurepip(PYTHON));

let lab: Lab;
let dist: string;

/** Python's own zipfile and hashlib check the archive and every RECORD digest. */
const INSPECT = String.raw`
import base64, csv, hashlib, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
record = [n for n in names if n.endswith(".dist-info/RECORD")][0]
rows = list(csv.reader(io.StringIO(z.read(record).decode())))
bad = []
for path, digest, size in rows:
    if path == record:
        continue
    data = z.read(path)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if digest != want or int(size) != len(data):
        bad.append(path)
wheel = z.read(record.replace("RECORD", "WHEEL")).decode()
print(json.dumps({"names": names, "recorded": sorted(r[0] for r in rows), "bad": bad, "wheel": wheel,
                  "times": sorted(set(i.date_time for i in z.infolist()))}))
`;

describe.skipIf(NO_PIP)('build', () => {
  beforeAll(async () => {
    lab = await makeLab({ withPip: true }); // `python -m venv` bundles pip offline (ensurepip)
    dist = await tempDir('patchkit-wheel-');
  });
  afterAll(async () => {
    await lab?.remove();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  it('builds the same bytes twice, in any time zone, with a RECORD that matches', async () => {
    const a = await patchkit(['build', lab.bundleDir, '--out', join(dist, 'a'), '--json']);
    const b = await patchkit(['build', lab.bundleDir, '--out', join(dist, 'b'), '--json'], {
      env: { ...process.env, TZ: 'Pacific/Kiritimati' },
    });
    expect(a.exitCode, a.stderr).toBe(0);
    const wa = JSON.parse(a.stdout) as { path: string; sha256: string };
    const wb = JSON.parse(b.stdout) as { path: string; sha256: string };
    expect(wa.sha256).toBe(wb.sha256);
    expect(Buffer.compare(await readFile(wa.path), await readFile(wb.path))).toBe(0);
    expect(wa.path).toMatch(/hook_patch-0\+g[0-9a-f]{12}-py3-none-any\.whl$/);

    const r = await execa(lab.venv.python, ['-c', INSPECT, wa.path]);
    const z = JSON.parse(String(r.stdout)) as {
      names: string[];
      recorded: string[];
      bad: string[];
      wheel: string;
      times: number[][];
    };
    expect(z.bad).toEqual([]);
    expect([...z.names].sort()).toEqual(z.recorded);
    expect(z.names.slice(0, 5)).toEqual([
      'hook_patch_core.py',
      'hook_patch_injector.pth',
      'hook_patch_injector.py',
      'hook_patch_injector.start',
      'hook_patch_loader.py',
    ]);
    expect(z.names.at(-1)).toMatch(/\.dist-info\/RECORD$/);
    expect(z.wheel).toContain('Root-Is-Purelib: true');
    expect(z.wheel).toContain('Tag: py3-none-any');
    expect(z.times).toEqual([[1980, 1, 1, 0, 0, 0]]);
  });

  it('pip installs it offline, the patch applies and verify agrees, and pip uninstall leaves site-packages as before', async () => {
    const built = JSON.parse((await patchkit(['build', lab.bundleDir, '--out', dist, '--json'])).stdout) as {
      path: string;
    };
    const before = await snapshot(lab.venv.sitePackages);
    const pip = (args: string[]) =>
      execa(lab.venv.python, ['-m', 'pip', '--disable-pip-version-check', ...args], { reject: false });
    const installed = await pip(['install', '--no-index', built.path]);
    expect(installed.exitCode, String(installed.stderr)).toBe(0);

    const start = await lab.py('import json, demo.targets, hook_patch_loader as l; print(json.dumps(l.report()))');
    expect(start.stderr).toBe('');
    expect(
      Object.values(JSON.parse(start.stdout) as Record<string, { state: string }>).every((t) => t.state === 'applied'),
    ).toBe(true);

    const listed = JSON.parse((await patchkit(['list', '--python', lab.venv.python, '--json'])).stdout) as {
      bundles: { name: string; installer: string; integrity: string }[];
    };
    expect(listed.bundles).toEqual([expect.objectContaining({ name: 'hook', installer: 'pip', integrity: 'ok' })]);
    expect((await patchkit(['verify', 'hook', '--python', lab.venv.python])).exitCode).toBe(0);

    // patchkit will not silently take over what pip owns.
    const over = await patchkit(['install', lab.bundleDir, '--python', lab.venv.python]);
    expect(over.exitCode).toBe(2);
    expect(over.stderr).toContain('pip uninstall hook-patch');

    const removed = await pip(['uninstall', '-y', 'hook-patch']);
    expect(removed.exitCode, String(removed.stderr)).toBe(0);
    expect(await snapshot(lab.venv.sitePackages)).toEqual(before);
  });
});
