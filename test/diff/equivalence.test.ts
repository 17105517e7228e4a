/**
 * The plan reproduces the patched module, for real diffs against the installed code of real
 * interpreters: plan_equivalence.py builds the module from the patched file and from the installed
 * file through the plan (the rendered overlay, the module code, then each definition compiled in
 * the module's globals), and compares every function's code object (file names and line numbers
 * ignored), defaults, and the module's and classes' other attributes. This checks the planner's
 * choices, not the bundle runtime: the definitions are applied the plainest way.
 */
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planFromDiff } from '../../src/diff/plan.js';
import { renderOverlayModule } from '../../src/diff/render-overlay.js';
import { tempDir } from '../helpers/python.js';

const REAL = fileURLToPath(new URL('../fixtures/diff/real/', import.meta.url));
const HELPER = fileURLToPath(new URL('./plan_equivalence.py', import.meta.url));
const TEMPLATE = fileURLToPath(new URL('../../templates/patch_overlay.py', import.meta.url));
const PYENV311 = `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/3.11.7/bin/python3`;
const DEBIAN = '/usr/bin/python3';

const versionOf = (python: string) =>
  existsSync(python)
    ? spawnSync(python, ['-S', '-c', 'import sys;print(sys.version.split()[0])']).stdout.toString().trim()
    : '';
const debian = versionOf(DEBIAN) === '3.11.2' && existsSync('/usr/lib/python3.11/urllib/parse.py');
const wrapt = debian && existsSync('/usr/lib/python3/dist-packages/wrapt/importer.py');
const pyenv = versionOf(PYENV311) === '3.11.7';

/**
 * Methods of a class the module then replaces by its compiled implementation (`from _collections
 * import OrderedDict`, wrapt's `from ._wrappers import ...`): the plan warns, the simulation cannot
 * set them on the compiled type, and the patched file's Python class is not what the module exports either.
 */
const immutable = (qualname: string, type: string) =>
  `${qualname}: TypeError: cannot set '${qualname.split('.').pop()}' attribute of immutable type '${type}'`;
const COMPILED: Record<string, string[]> = {
  'cpython-3.11.2-3.11.7-collections.diff': [
    immutable('OrderedDict.__new__', 'collections.OrderedDict'),
    immutable('OrderedDict.__init__', 'collections.OrderedDict'),
  ],
  'wrapt-4e09f7a-self-keyword.patch': [
    immutable('_FunctionWrapperBase.__call__', '_FunctionWrapperBase'),
    immutable('BoundFunctionWrapper.__call__', 'BoundFunctionWrapper'),
  ],
};

const CASES: [string, string, boolean][] = [
  ['cpython-3.11.2-3.11.7-urllib-parse.diff', DEBIAN, debian],
  ['cpython-3.11.2-3.11.7-ipaddress.diff', DEBIAN, debian],
  ['cpython-3.11.2-3.11.7-collections.diff', DEBIAN, debian],
  ['cpython-3.11.2-3.11.7-pdb.diff', DEBIAN, debian],
  ['cpython-3.11.2-3.11.7-enum.diff', DEBIAN, debian],
  ['cpython-3.11.2-3.11.7-doctest.diff', DEBIAN, debian],
  ['wrapt-c5173c9-post-import-hook-threading.patch', DEBIAN, wrapt],
  ['wrapt-4e09f7a-self-keyword.patch', DEBIAN, wrapt],
  ['cpython-3.11.7-3.12.1-secrets.diff', PYENV311, pyenv],
  ['cpython-3.11.7-3.12.1-keyword.diff', PYENV311, pyenv],
  ['cpython-3.11.7-3.12.1-copyreg.diff', PYENV311, pyenv],
  ['cpython-3.11.7-3.12.1-tty.diff', PYENV311, pyenv],
  ['cpython-3.11.7-3.12.1-genericpath.diff', PYENV311, pyenv],
  ['cpython-3.11.7-3.12.1-types.diff', PYENV311, pyenv],
];

describe.each(CASES)('%s (%s)', (fixture, python, available) => {
  it.skipIf(!available)('the planned module equals the patched one', async () => {
    const dir = await tempDir('patchkit-equivalence-');
    try {
      const diff = await readFile(join(REAL, fixture), 'utf8');
      const plan = await planFromDiff({ diff, python, cwd: dir });
      await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
      await writeFile(join(dir, 'eq_patch_overlay.py'), renderOverlayModule(await readFile(TEMPLATE, 'utf8'), plan));
      expect(plan.modules).toHaveLength(1);
      const { module, path } = plan.modules[0];
      if (path === null) throw new Error('expected an installed module');
      const patched = join(dir, 'patched.py');
      const applied = await execa('patch', ['--fuzz=0', '--silent', '-o', patched, path], {
        input: diff,
        reject: false,
      });
      expect(applied.exitCode, applied.stderr).toBe(0);
      const run = await execa(python, [HELPER, join(dir, 'plan.json'), module, path, patched, dir], {
        reject: false,
        cwd: dir,
      });
      expect(run.exitCode, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as {
        functions: number;
        attributes: number;
        differing: string[];
        differingData: string[];
        unsimulated: string[];
      };
      expect(result.attributes).toBeGreaterThan(0);
      const compiled = COMPILED[fixture] ?? [];
      expect(result).toMatchObject({ differing: [], differingData: [], unsimulated: compiled });
      const warned = plan.warnings.filter((w) => w.includes('is bound again by an import after its class statement'));
      expect(warned).toHaveLength(
        compiled.length === 0 ? 0 : compiled.length === 2 && fixture.includes('wrapt') ? 2 : 1,
      );
      console.error(`${fixture}: ${result.functions} functions, ${result.attributes} attributes equal`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
