/**
 * check: a fixture package at two versions; unchanged, signature, body, moved (line, module), missing.
 * A wrapper does not depend on the body or the place, so only signature and missing count (exit 1).
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, tempDir, type Venv } from '../helpers/python.js';
import { LIFECYCLE } from './env.js';

const TARGETS = ['stable', 'widened', 'rewritten', 'shifted', 'relocated', 'dropped', 'Engine.stop'].map(
  (f) => `driftpkg.core:${f}`,
);

let venv: Venv;
let out: string;

/** Puts driftpkg at `version` into the venv, with a dist-info so the version is known. */
const installFixture = async (version: 1 | 2) => {
  await rm(join(venv.sitePackages, 'driftpkg'), { recursive: true, force: true });
  await rm(join(venv.sitePackages, `driftpkg-${3 - version}.0.dist-info`), { recursive: true, force: true });
  await cp(join(LIFECYCLE, `v${version}`, 'driftpkg'), join(venv.sitePackages, 'driftpkg'), { recursive: true });
  const info = join(venv.sitePackages, `driftpkg-${version}.0.dist-info`);
  await mkdir(info, { recursive: true });
  await writeFile(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: driftpkg\nVersion: ${version}.0\n\n`);
  await writeFile(join(info, 'top_level.txt'), 'driftpkg\n');
};

beforeAll(async () => {
  venv = await makeVenv();
  out = await tempDir('patchkit-check-');
  await installFixture(1);
  const made = await patchkit([
    'new',
    'drift',
    ...TARGETS.flatMap((t) => ['--target', t]),
    '--python',
    venv.python,
    '--out',
    out,
  ]);
  expect(made.exitCode, made.stderr).toBe(0);
});
afterAll(async () => {
  await venv?.remove();
  if (out) await rm(out, { recursive: true, force: true });
});

interface Drift {
  key: string;
  status: string;
  old: { module: string; line: number; signature: string };
  now: { module: string; line: number; signature: string } | null;
}

describe('check', () => {
  it('exits 0 when the installed package is the one the bundle was generated for', async () => {
    const r = await patchkit(['check', join(out, 'drift'), '--python', venv.python, '--no-cache']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('all targets unchanged');
  });

  it('reports every kind of drift after an upgrade and exits 1 for what a wrapper depends on', async () => {
    await installFixture(2);
    const r = await patchkit(['check', join(out, 'drift'), '--python', venv.python, '--json', '--no-cache']);
    expect(r.exitCode, r.stderr).toBe(1);
    const data = JSON.parse(r.stdout) as { oldVersion: string; newVersion: string; targets: Drift[]; changed: number };
    expect([data.oldVersion, data.newVersion]).toEqual(['1.0', '2.0']);
    const byKey = Object.fromEntries(data.targets.map((t) => [t.key.split(':')[1], t]));
    expect(Object.fromEntries(Object.entries(byKey).map(([k, t]) => [k, t.status]))).toEqual({
      stable: 'unchanged',
      widened: 'signature',
      rewritten: 'body',
      shifted: 'moved',
      relocated: 'moved',
      dropped: 'missing',
      'Engine.stop': 'missing',
    });
    expect([byKey.widened.old.signature, byKey.widened.now?.signature]).toEqual(['(a)', '(a, *, scale=1)']);
    expect(byKey.shifted.now?.line).toBeGreaterThan(byKey.shifted.old.line);
    expect(byKey.relocated.now?.module).toBe('driftpkg.other');
    expect(byKey.dropped.now).toBeNull();
    expect(data.changed).toBe(3);

    const text = await patchkit(['check', join(out, 'drift'), '--python', venv.python]);
    expect(text.stdout).toContain('    old (a)\n    new (a, *, scale=1)');
    // A method is gone from its class (which is still there); a function from its module.
    expect(text.stdout).toContain(
      '  missing   driftpkg.core:Engine.stop\n    stop is gone from class driftpkg.core:Engine\n',
    );
    expect(text.stdout).toContain('  missing   driftpkg.core:dropped\n    dropped is gone from driftpkg.core');

    // update follows what moved within its module; one that moved to another module, or is gone, stays as it was.
    const up = await patchkit(['update', join(out, 'drift'), '--python', venv.python, '--dry-run', '--json']);
    expect(up.exitCode, up.stderr).toBe(1);
    const plan = JSON.parse(up.stdout) as { targets: { key: string; action: string }[] };
    expect(Object.fromEntries(plan.targets.map((t) => [t.key.split(':')[1], t.action]))).toEqual({
      stable: 'current',
      widened: 're-resolved',
      rewritten: 're-resolved',
      shifted: 're-resolved',
      relocated: 'kept',
      dropped: 'missing',
      'Engine.stop': 'missing',
    });
  });

  it('--source scans a source tree instead of the installed package', async () => {
    const same = await patchkit(['check', join(out, 'drift'), '--source', join(LIFECYCLE, 'v1'), '--no-cache']);
    expect(same.exitCode, same.stderr).toBe(0);
    const upgraded = await patchkit(['check', join(out, 'drift'), '--source', join(LIFECYCLE, 'v2'), '--no-cache']);
    expect(upgraded.exitCode).toBe(1);
    expect(upgraded.stdout).toContain('missing   driftpkg.core:dropped');
  });
});
