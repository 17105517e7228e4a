/**
 * Source overlays through a real bundle: `patchkit new --from-diff` on a diff that adds a field to a
 * `@dataclass(slots=True)` and a registration decorator, `patchkit install`, then the overlaid module
 * in the parent and in a spawn child, tracebacks on the patched lines, a hunk that no longer applies
 * (require: the import fails; warn: it goes on unpatched, one line on stderr), and a module that was
 * imported before the loader could run (said at generation and at run time).
 */
import { execa } from 'execa';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, PYTHON, tempDir, type Venv } from '../helpers/python.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/diff/overlay/', import.meta.url));
const REAL = fileURLToPath(new URL('../fixtures/diff/real/', import.meta.url));

let venv: Venv;
let out: string;
beforeEach(async () => {
  venv = await makeVenv();
  await cp(join(FIXTURE, 'site'), venv.sitePackages, { recursive: true });
  out = await tempDir('patchkit-overlay-bundle-');
});
afterEach(async () => {
  await venv?.remove();
  if (out) await rm(out, { recursive: true, force: true });
});

const bundle = async (extra: string[] = []) => {
  const made = await patchkit([
    'new',
    'ov',
    '--from-diff',
    join(FIXTURE, 'ovpkg.diff'),
    '--python',
    venv.python,
    '--out',
    out,
    ...extra,
  ]);
  expect(made.exitCode, made.stderr).toBe(0);
  const installed = await patchkit(['install', join(out, 'ov'), '--python', venv.python]);
  expect(installed.exitCode, installed.stderr).toBe(0);
  return made;
};

const PROGRAM = String.raw`
import json, multiprocessing as mp, traceback
import ovpkg.handlers, ovpkg.models as m, ovpkg.registry as r, ov_patch_loader as L

def child(q):
    import ovpkg.handlers, ovpkg.models as m, ovpkg.registry as r
    q.put([m.Request("c", 1, 0.5).describe(), sorted(r.HANDLERS)])

if __name__ == "__main__":
    try:
        m.explode()
    except RuntimeError:
        tb = traceback.format_exc().splitlines()
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=child, args=(q,))
    p.start()
    spawned = q.get(timeout=60)
    p.join()
    print(json.dumps({
        "states": sorted(set(v["state"] for v in L.report().values())),
        "describe": m.Request("a", 2, 1.5).describe(),
        "slots": list(getattr(m.Request, "__slots__", ())),
        "fields": [f.name for f in __import__("dataclasses").fields(m.Request)],
        "handlers": sorted(r.HANDLERS),
        "child": spawned,
        "traceback": tb[-3:-1],
    }))
`;

describe('source overlays in an installed bundle', () => {
  it('a dataclass with slots gains a field, a decorator registers, in the parent and a spawn child', async () => {
    const made = await bundle();
    expect(made.stdout).toContain('overlay       decorators of handle_ping changed');
    const script = join(out, 'program.py');
    await writeFile(script, PROGRAM);
    const r = await execa(venv.python, [script], { reject: false });
    expect(r.stderr).toBe('');
    const got = JSON.parse(String(r.stdout)) as Record<string, unknown>;
    const slots = (await execa(venv.python, ['-c', 'import sys; print(sys.version_info >= (3, 10))'])).stdout;
    expect(got).toEqual({
      states: ['applied'],
      describe: 'a/2/1.5',
      slots: slots === 'True' ? ['rid', 'priority', 'deadline'] : [],
      fields: ['rid', 'priority', 'deadline'],
      handlers: ['echo', 'ping'],
      child: ['c/1/0.5', ['echo', 'ping']],
      // The patched file has one more line above explode(): the traceback shows the patched lines.
      traceback: [
        `  File "${join(venv.sitePackages, 'ovpkg', 'models.py')}", line 19, in explode`,
        '    raise RuntimeError("boom")',
      ],
    });
  });

  it('a hunk that no longer applies: require fails the import every time; warn goes on unpatched', async () => {
    await bundle();
    // The same bundle with policy warn, generated while the diff still applies.
    const loose = join(out, 'loose');
    const made = await patchkit([
      'new',
      'ov',
      '--from-diff',
      join(FIXTURE, 'ovpkg.diff'),
      '--python',
      venv.python,
      '--out',
      loose,
      '--policy',
      'warn',
    ]);
    expect(made.exitCode, made.stderr).toBe(0);
    const models = join(venv.sitePackages, 'ovpkg', 'models.py');
    await writeFile(models, (await readFile(models, 'utf8')).replace('priority: int = 0', 'priority: int = 1'));
    const code =
      'import sys\nfor attempt in (1, 2):\n    try:\n        import ovpkg.models as m\n        print("imported", [f for f in m.Request.__dataclass_fields__])\n' +
      '    except ImportError as e:\n        print(type(e).__name__, "ovpkg.models" in sys.modules)\n';
    const strict = await execa(venv.python, ['-c', code], { reject: false });
    expect(String(strict.stdout).trim().split('\n')).toEqual(['PatchRequiredError False', 'PatchRequiredError False']);
    const reinstalled = await patchkit(['install', join(loose, 'ov'), '--python', venv.python, '--force']);
    expect(reinstalled.exitCode, reinstalled.stderr).toBe(0);
    const warned = await execa(venv.python, ['-c', code], { reject: false });
    expect(String(warned.stdout).trim().split('\n')).toEqual([
      "imported ['rid', 'priority']",
      "imported ['rid', 'priority']",
    ]);
    expect(String(warned.stderr).trim().split('\n')).toEqual([
      expect.stringMatching(
        /^\[OV_PATCH\] ovpkg\.models:<overlay> not patched: its source overlay does not apply: .*hunk 1/,
      ),
    ]);
  });

  it('a module imported before the loader runs cannot take an overlay: said at run time', async () => {
    await bundle(['--policy', 'warn']);
    // A .pth that sorts before the bundle's imports the module at start-up, before the injector.
    await writeFile(join(venv.sitePackages, 'aaa_early.pth'), 'import ovpkg.models\n');
    const r = await execa(
      venv.python,
      ['-c', 'import ov_patch_loader as L; print(L.report()["ovpkg.models:<overlay>"])'],
      {
        reject: false,
      },
    );
    expect(String(r.stdout)).toContain("'state': 'error'");
    expect(String(r.stderr)).toContain(
      'ovpkg.models:<overlay> not patched: imported before the patch loader started, so its source overlay cannot apply',
    );
  });

  it('…and at generation time, for a stdlib module imported at start-up', async () => {
    const made = await patchkit([
      'new',
      'px',
      '--from-diff',
      join(REAL, 'cpython-3.11.7-3.12.1-posixpath.diff'),
      '--python',
      PYTHON,
      '--out',
      out,
    ]);
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/warning: posixpath needs an overlay .* imported at interpreter start-up/);
    expect(made.stdout).toContain('posixpath  (5 hunk(s), imported at start-up)');
  });
});
