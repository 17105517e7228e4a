/**
 * The central equivalence: a real upstream bug-fix diff, turned into a bundle by `patchkit new
 * --from-diff` and installed with `patchkit install` into a venv of Debian's CPython 3.11.2, must make
 * the pristine stdlib module indistinguishable from the source-patched one — every function's code
 * object (bytecode, constants recursively, names, variables, flags, defaults; file names and line
 * numbers aside), every class and module attribute — and CPython 3.11.7's own test of that module
 * (which holds the fixes' regression tests) must pass with the bundle exactly as it does
 * source-patched, and fail without it.
 */
import { execa } from 'execa';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, SYSTEM_PYTHON, tempDir, type Venv } from '../helpers/python.js';

const REAL = fileURLToPath(new URL('../fixtures/diff/real/', import.meta.url));
const SHAPE = fileURLToPath(new URL('./module_shape.py', import.meta.url));
/** CPython 3.11.7's test package (pyenv's build installs it): the fixes' regression tests. */
const TESTS = `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/3.11.7/lib/python3.11/test`;
const DEBIAN_STDLIB = '/usr/lib/python3.11';

const haveDebian = existsSync(SYSTEM_PYTHON) && existsSync(`${DEBIAN_STDLIB}/ipaddress.py`);
const havePatch = existsSync('/usr/bin/patch');
const skipWhy = !haveDebian ? `no Debian python3.11 at ${SYSTEM_PYTHON}` : !havePatch ? 'no /usr/bin/patch' : '';
if (skipWhy) console.log(`skipped: --from-diff equivalence on the stdlib (${skipWhy})`);

interface Case {
  diff: string;
  module: string;
  /** Stdlib files the diff touches, relative to the stdlib directory. */
  files: string[];
  /**
   * CPython 3.11.7's test module for it (null: it needs more of CPython's test package than Debian
   * ships), and whether it holds a regression test that fails on the unpatched module.
   */
  test: string | null;
  failsUnpatched: boolean;
}

const CASES: Case[] = [
  { diff: 'ipaddress', module: 'ipaddress', files: ['ipaddress.py'], test: 'test_ipaddress', failsUnpatched: true },
  {
    diff: 'urllib-parse',
    module: 'urllib.parse',
    files: ['urllib/parse.py', 'urllib/__init__.py'],
    test: 'test_urlparse',
    failsUnpatched: false,
  },
  // test_ordered_dict imports test.mapping_tests, which Debian's python3.11 does not ship.
  {
    diff: 'collections',
    module: 'collections',
    files: ['collections/__init__.py', 'collections/abc.py'],
    test: null,
    failsUnpatched: false,
  },
];

let venv: Venv;
let work: string;
beforeAll(async () => {
  if (skipWhy) return;
  venv = await makeVenv({ python: SYSTEM_PYTHON });
  work = await tempDir('patchkit-equivalence-');
});
afterAll(async () => {
  await venv?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

const shapeOf = async (module: string, env: Record<string, string>) => {
  const r = await execa(venv.python, [SHAPE, module], { env, reject: false });
  if (r.exitCode !== 0) throw new Error(String(r.stderr));
  return {
    value: JSON.parse(String(r.stdout)) as { file: string; shape: Record<string, unknown> },
    stderr: String(r.stderr),
  };
};

describe.skipIf(Boolean(skipWhy))('--from-diff on real CPython bug fixes, Debian 3.11.2 stdlib', () => {
  for (const c of CASES) {
    it(
      `${c.module}: the bundle is the source-patched module${c.test ? `, and CPython's ${c.test} agrees` : ''}`,
      { timeout: 240_000 },
      async () => {
        const name = `eq_${c.diff.replace(/-/g, '_')}`;
        const env = `${name.toUpperCase()}_PATCH_DISABLE`;
        const diffPath = join(REAL, `cpython-3.11.2-3.11.7-${c.diff}.diff`);
        const made = await patchkit(['new', name, '--from-diff', diffPath, '--python', venv.python, '--out', work]);
        expect(made.exitCode, made.stderr).toBe(0);
        const installed = await patchkit(['install', join(work, name), '--python', venv.python]);
        expect(installed.exitCode, installed.stderr).toBe(0);

        // The source-patched reference: the stdlib files, copied and patched with patch(1), first on the path.
        const ref = join(work, `${name}-ref`);
        for (const file of c.files) {
          await mkdir(dirname(join(ref, file)), { recursive: true });
          await cp(join(DEBIAN_STDLIB, file), join(ref, file));
        }
        const patched = await execa('patch', ['-s', '-p2', '-d', ref, '-i', diffPath], { reject: false });
        expect(patched.exitCode, String(patched.stderr)).toBe(0);

        const reference = await shapeOf(c.module, { PYTHONPATH: ref, [env]: '1' });
        const bundled = await shapeOf(c.module, {});
        expect(reference.value.file.startsWith(ref)).toBe(true);
        expect(bundled.value.file.startsWith(DEBIAN_STDLIB)).toBe(true);
        expect(bundled.stderr).toBe('');
        const keys = [...new Set([...Object.keys(reference.value.shape), ...Object.keys(bundled.value.shape)])];
        const differ = keys.filter(
          (k) => JSON.stringify(reference.value.shape[k]) !== JSON.stringify(bundled.value.shape[k]),
        );
        expect(differ).toEqual([]);
        expect(keys.length).toBeGreaterThan(10);

        // CPython 3.11.7's own test of the module: passes patched (bundle or source), fails unpatched.
        const test = c.test;
        if (test === null) return;
        if (!existsSync(join(TESTS, `${test}.py`))) {
          console.log(`skipped: ${test} (no CPython 3.11.7 test package at ${TESTS})`);
          return;
        }
        const testDir = join(work, `${name}-tests`);
        await mkdir(testDir, { recursive: true });
        await cp(join(TESTS, `${test}.py`), join(testDir, `${test}.py`));
        const unit = (extra: Record<string, string>) =>
          execa(venv.python, ['-m', 'unittest', test], { cwd: testDir, env: extra, reject: false });
        const [withBundle, sourcePatched, unpatched] = await Promise.all([
          unit({}),
          unit({ PYTHONPATH: `${ref}:${testDir}`, [env]: '1' }),
          unit({ [env]: '1' }),
        ]);
        const summary = (r: { stderr: unknown }) => String(r.stderr).trim().split('\n').pop();
        expect(withBundle.exitCode, String(withBundle.stderr).slice(-3000)).toBe(0);
        expect(sourcePatched.exitCode).toBe(0);
        if (c.failsUnpatched) expect(unpatched.exitCode, 'the regression tests fail without the fix').not.toBe(0);
        console.log(
          `${test}: bundle ${summary(withBundle)}, source-patched ${summary(sourcePatched)}, unpatched ${summary(unpatched)}`,
        );
        const manifest = JSON.parse(await readFile(join(work, name, 'patchkit.json'), 'utf8')) as { policy: string };
        expect(manifest.policy).toBe('require');
      },
    );
  }
});
