/**
 * The source-overlay runtime on its own: ovpkg.diff is planned against a venv holding the pristine
 * fixture package, the plan's overlay is rendered into fix_patch_overlay.py, and a tiny proxy finder
 * (fixtures/diff/overlay/fix_overlay_finder.py, installed by a .pth as an injector would be) calls
 * its exec_module for the overlaid modules. overlay_runtime_check.py then runs in that venv: a
 * slotted dataclass gaining a field, a registration decorator added, tracebacks and inspect,
 * the marshal cache reused by a second process, a hunk that no longer applies, a spawn child.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planFromDiff } from '../../src/diff/plan.js';
import { renderOverlayModule } from '../../src/diff/render-overlay.js';
import { makeVenv, tempDir } from '../helpers/python.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURE = join(HERE, '../fixtures/diff/overlay');
const TEMPLATE = fileURLToPath(new URL('../../templates/patch_overlay.py', import.meta.url));
const PYENV = process.env.PYENV_ROOT ?? '/root/.pyenv';
const VERSIONS = ['3.8.18', '3.9.18', '3.10.13', '3.11.7', '3.12.1', '3.13.0'];
const pythons = VERSIONS.map((v) => `${PYENV}/versions/${v}/bin/python3`);

describe.each(pythons)('source overlay on %s', (python) => {
  it.skipIf(!existsSync(python))('plans, renders and runs the overlay through a proxy loader', async () => {
    const venv = await makeVenv({ python });
    const scratch = await tempDir('patchkit-overlay-');
    try {
      await cp(join(FIXTURE, 'site', 'ovpkg'), join(venv.sitePackages, 'ovpkg'), { recursive: true });
      const plan = await planFromDiff({
        diff: await readFile(join(FIXTURE, 'ovpkg.diff'), 'utf8'),
        python: venv.python,
        cwd: scratch,
      });
      expect(plan.warnings).toEqual([]);
      expect(plan.hunks.map((h) => [h.module, h.mechanisms])).toEqual([
        ['ovpkg.handlers', ['overlay']],
        ['ovpkg.models', ['overlay']],
      ]);
      const reasons = plan.modules.map((m) => m.changes.map((c) => (c.mechanism === 'overlay' ? c.reason : '')));
      expect(reasons).toEqual([
        ['decorators of handle_ping changed'],
        [
          'class body of Request changed (deadline: float = 0.0); with it, as they share its hunks: replace of Request.describe',
        ],
      ]);

      const rendered = renderOverlayModule(await readFile(TEMPLATE, 'utf8'), plan, { envPrefix: 'FIX' });
      await writeFile(join(venv.sitePackages, 'fix_patch_overlay.py'), rendered);
      for (const file of ['fix_overlay_finder.py', 'fix_overlay.pth'])
        await cp(join(FIXTURE, file), join(venv.sitePackages, file));
      // The generated module parses as every supported version would read it.
      const parse = await execa(
        venv.python,
        [
          '-c',
          'import ast,sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 8))',
          join(venv.sitePackages, 'fix_patch_overlay.py'),
        ],
        { reject: false },
      );
      expect(parse.exitCode, parse.stderr).toBe(0);

      const drifted = join(scratch, 'drifted');
      await mkdir(drifted);
      await cp(join(FIXTURE, 'site', 'ovpkg'), join(drifted, 'ovpkg'), { recursive: true });
      const models = join(drifted, 'ovpkg', 'models.py');
      await writeFile(models, (await readFile(models, 'utf8')).replace('priority: int = 0', 'priority: int = 1'));

      const run = await execa(venv.python, [join(HERE, 'overlay_runtime_check.py'), '-v'], {
        reject: false,
        cwd: scratch,
        env: { FIX_PATCH_CACHE: join(scratch, 'cache'), OVERLAY_DRIFTED: drifted, HOME: scratch },
        extendEnv: false,
      });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/Ran 8 tests/);
      expect(run.stdout).toBe('');
    } finally {
      await venv.remove();
      await (await import('node:fs/promises')).rm(scratch, { recursive: true, force: true });
    }
  });
});
