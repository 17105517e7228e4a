/**
 * Finding packages in real environments without importing them: a venv holding fixture packages
 * of every shape (regular, dotted subpackage, one-file module, PEP 420 namespace over three
 * portions, setuptools / editables / path-.pth editables, a real compiled module with a .pyi),
 * the stdlib, and Debian's dist-packages. A package whose __init__ leaves a marker and raises
 * proves nothing is imported; each `via` is checked against where CPython itself finds the module.
 */
import { copyFile, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetNotFoundError } from '../../src/errors.js';
import { queryInterpreter } from '../../src/env/interpreter.js';
import { locateTarget } from '../../src/env/locate.js';
import type { InterpreterFacts, LocatedTarget } from '../../src/env/model.js';
import { scanPackage } from '../../src/scan/index.js';
import { needsDebianPackage, skipUnmet } from '../helpers/needs.js';
import { makeVenv, PYTHON, runPython, SYSTEM_PYTHON, tempDir, type Venv } from '../helpers/python.js';

let venv: Venv;
let facts: InterpreterFacts;
let work: string;
let marker: string;
let soSuffix: string;
const cwd = process.cwd();

const write = async (path: string, text: string) => {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
};

const names = (t: LocatedTarget) => t.files.map((f) => `${f.name}:${f.kind}`);

/** What CPython finds for a module when it imports it (for checking, only in these throw-away venvs). */
const cpythonOrigin = async (module: string) => {
  const code = `import importlib, json; m = importlib.import_module(${JSON.stringify(module)}); print(json.dumps([getattr(m, '__file__', None), list(getattr(m, '__path__', []))]))`;
  const r = await runPython(venv.python, ['-c', code]);
  return JSON.parse(r.stdout) as [string | null, string[]];
};

beforeAll(async () => {
  venv = await makeVenv();
  work = await tempDir();
  marker = join(work, 'imported-marker');
  const site = venv.sitePackages;
  facts = await queryInterpreter(venv.python);
  const dynload = facts.baseSysPath.find((p) => p.endsWith('lib-dynload'))!;
  const so = (await readdir(dynload)).find((n) => n.startsWith('_json.'))!;
  soSuffix = so.slice('_json'.length);

  // A package whose import leaves a marker and raises.
  await write(
    join(site, 'explodes', '__init__.py'),
    `open(${JSON.stringify(marker)}, "w").close()\nraise RuntimeError("imported")\n`,
  );
  await write(join(site, 'explodes', 'inner.py'), 'def f():\n    return 1\n');
  await write(join(site, 'explodes', 'sub', '__init__.py'), '');
  await write(join(site, 'explodes', 'sub', 'deep.py'), 'class D:\n    pass\n');
  await write(join(site, 'explodes', 'sub', 'nodunder', 'x.py'), '');
  await write(join(site, 'onefile.py'), 'def one():\n    pass\n');

  // PEP 420: portions in site-packages and in two directories added by .pth path lines.
  await write(join(site, 'nspkg', 'gamma.py'), '');
  await write(join(work, 'portion_a', 'nspkg', 'alpha.py'), '');
  await write(join(work, 'portion_b', 'nspkg', 'beta', '__init__.py'), '');
  await write(
    join(site, 'portions.pth'),
    `# portions\n${join(work, 'portion_a')}\n\n${relative(site, join(work, 'portion_b'))}\n`,
  );

  // setuptools PEP 660 editable, as setuptools writes it (repr() of a path with a quote in it).
  const src = join(work, "it's src");
  await write(join(src, 'lib', '__init__.py'), 'def edited():\n    pass\n');
  await write(join(src, 'lib', 'util.py'), '');
  await write(join(src, 'nsed', 'inner', '__init__.py'), '');
  await write(
    join(site, '__editable__.edpkg-1.0.pth'),
    'import __editable___edpkg_1_0_finder; __editable___edpkg_1_0_finder.install()',
  );
  await write(
    join(site, '__editable___edpkg_1_0_finder.py'),
    [
      'import sys',
      'from importlib.machinery import ModuleSpec, PathFinder',
      '',
      `MAPPING: dict[str, str] = {'edpkg': ${pyRepr(join(src, 'lib'))}, 'nsed.inner': ${pyRepr(join(src, 'nsed', 'inner'))}}`,
      `NAMESPACES: dict[str, list[str]] = {'nsed': [${pyRepr(join(src, 'nsed'))}]}`,
      'PATH_PLACEHOLDER = \'__editable__.edpkg-1.0.finder\' + ".__path_hook__"',
      '',
      'def install():',
      '    raise RuntimeError("the finder ran")',
      '',
    ].join('\n'),
  );
  await write(
    join(site, 'edpkg-1.0.dist-info', 'METADATA'),
    'Metadata-Version: 2.1\nName: edpkg\nVersion: 1.0\n\nVersion: 9.9 in the description\n',
  );
  await write(join(site, 'edpkg-1.0.dist-info', 'top_level.txt'), 'edpkg\nnsed\n');

  // editables (hatchling) import-hook editable.
  await write(join(work, 'src2', 'hatchpkg', '__init__.py'), '');
  await write(join(site, '_hatchpkg.pth'), 'import _editable_impl_hatchpkg');
  await write(
    join(site, '_editable_impl_hatchpkg.py'),
    `from editables.redirector import RedirectingFinder as F\nF.install()\nF.map_module('hatchpkg', ${pyRepr(join(work, 'src2', 'hatchpkg', '__init__.py'))})`,
  );
  // Path-style editable (setuptools compat mode, uv, pdm): a .pth path line.
  await write(join(work, 'src3', 'pathpkg', '__init__.py'), '');
  await write(join(site, '__editable__.pathpkg-2.0.pth'), `${join(work, 'src3')}\n`);
  // hatchling-style dist-info: no top_level.txt, ownership from RECORD only.
  await write(
    join(site, 'Some_Dist-3.1.dist-info', 'METADATA'),
    'Metadata-Version: 2.1\nName: Some-Dist\nVersion: 3.1\n',
  );
  await write(
    join(site, 'Some_Dist-3.1.dist-info', 'RECORD'),
    'pathpkg/__init__.py,,\nSome_Dist-3.1.dist-info/METADATA,,\n',
  );

  // Compiled modules (a real .so from lib-dynload) with and without a .pyi; a stub-only module.
  await write(join(site, 'fastpkg', '__init__.py'), 'from ._speed import scan\n');
  await copyFile(join(dynload, so), join(site, 'fastpkg', `_speed${soSuffix}`));
  await write(join(site, 'fastpkg', '_speed.pyi'), 'def scan(text: str) -> int: ...\n');
  await write(join(site, 'fastpkg', 'typed.pyi'), 'x: int\n');
  await copyFile(join(dynload, so), join(site, `_json${soSuffix}`)); // shadows the stdlib's? no: lib-dynload comes first
  await copyFile(join(dynload, so), join(site, `fastmod${soSuffix}`));
  await write(join(site, 'fastmod.pyi'), 'def f() -> None: ...\n');
});

afterAll(async () => {
  await venv?.remove();
  await rm(work, { recursive: true, force: true });
});

/** Python's repr() of a str, for writing finder files as installers do. */
const pyRepr = (s: string) =>
  s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

describe('locateTarget on import names', () => {
  it('finds a package whose __init__ raises, and never imports it', async () => {
    const t = await locateTarget('explodes', facts, { cwd });
    expect(names(t)).toEqual([
      'explodes:source',
      'explodes.inner:source',
      'explodes.sub:source',
      'explodes.sub.deep:source',
      'explodes.sub.nodunder.x:source',
    ]);
    expect(t.via).toBe('site-packages');
    const result = await scanPackage({ target: 'explodes', cwd, python: venv.python, cache: false });
    expect(result.modules.map((m) => m.name)).toContain('explodes.sub.deep');
    expect(existsSync(marker)).toBe(false);
    // Importing it does leave the marker: the check above can fail.
    await runPython(venv.python, ['-c', 'import explodes']);
    expect(existsSync(marker)).toBe(true);
    await rm(marker);
  });

  it('keeps only the subtree of a dotted subpackage, with full names', async () => {
    const t = await locateTarget('explodes.sub', facts, { cwd });
    expect(names(t)).toEqual(['explodes.sub:source', 'explodes.sub.deep:source', 'explodes.sub.nodunder.x:source']);
    expect(t.topLevel).toBe('explodes');
    expect(existsSync(marker)).toBe(false);
    const one = await locateTarget('explodes.sub.deep', facts, { cwd });
    expect(one.files).toEqual([
      { name: 'explodes.sub.deep', path: join(venv.sitePackages, 'explodes', 'sub', 'deep.py'), kind: 'source' },
    ]);
  });

  it('finds a one-file module', async () => {
    const t = await locateTarget('onefile', facts, { cwd });
    expect(t.root).toBe(join(venv.sitePackages, 'onefile.py'));
    expect(names(t)).toEqual(['onefile:source']);
  });

  it('joins the portions of a PEP 420 namespace package in sys.path order, as CPython does', async () => {
    const t = await locateTarget('nspkg', facts, { cwd });
    const [, path] = await cpythonOrigin('nspkg');
    expect(t.portions).toEqual(path);
    expect(t.portions).toHaveLength(3);
    expect(names(t)).toEqual(['nspkg.alpha:source', 'nspkg.beta:source', 'nspkg.gamma:source']);
    expect(t.diagnostics.join('\n')).toMatch(/namespace package/);
  });

  it('follows setuptools editable MAPPING (dotted keys, NAMESPACES) without running the finder', async () => {
    const src = join(work, "it's src");
    const t = await locateTarget('edpkg', facts, { cwd });
    expect(t.root).toBe(join(src, 'lib'));
    expect(names(t)).toEqual(['edpkg:source', 'edpkg.util:source']); // named for the package, not the dir
    expect(t.via).toMatch(/^editable \(setuptools finder .*__editable___edpkg_1_0_finder\.py\)$/);
    expect(t.distribution).toEqual({ name: 'edpkg', version: '1.0' });
    const ns = await locateTarget('nsed.inner', facts, { cwd });
    expect(ns.root).toBe(join(src, 'nsed', 'inner'));
    expect(names(ns)).toEqual(['nsed.inner:source']);
  });

  it('follows an editables redirect and a path-.pth editable, the latter where CPython finds it', async () => {
    const hatch = await locateTarget('hatchpkg', facts, { cwd });
    expect(hatch.root).toBe(join(work, 'src2', 'hatchpkg'));
    expect(hatch.via).toMatch(/^editable \(editables finder/);
    const pathed = await locateTarget('pathpkg', facts, { cwd });
    const [file] = await cpythonOrigin('pathpkg');
    expect(join(pathed.root, '__init__.py')).toBe(file);
    expect(pathed.via).toBe(`.pth path entry (${join(venv.sitePackages, '__editable__.pathpkg-2.0.pth')})`);
    expect(pathed.distribution).toEqual({ name: 'Some-Dist', version: '3.1' });
  });

  it('lists compiled modules with their .pyi, and stubs alone as stub-only', async () => {
    const t = await locateTarget('fastpkg', facts, { cwd });
    expect(t.files).toEqual([
      { name: 'fastpkg', path: join(venv.sitePackages, 'fastpkg', '__init__.py'), kind: 'source' },
      {
        name: 'fastpkg._speed',
        path: join(venv.sitePackages, 'fastpkg', `_speed${soSuffix}`),
        kind: 'extension',
        stub: join(venv.sitePackages, 'fastpkg', '_speed.pyi'),
      },
      { name: 'fastpkg.typed', path: join(venv.sitePackages, 'fastpkg', 'typed.pyi'), kind: 'stub-only' },
    ]);
    const mod = await locateTarget('fastmod', facts, { cwd });
    expect(mod.files).toEqual([
      {
        name: 'fastmod',
        path: join(venv.sitePackages, `fastmod${soSuffix}`),
        kind: 'extension',
        stub: join(venv.sitePackages, 'fastmod.pyi'),
      },
    ]);
  });

  it('finds the stdlib first: packages, one-file modules, lib-dynload extensions', async () => {
    const json = await locateTarget('json', facts, { cwd });
    expect(json.via).toBe('stdlib');
    expect(json.distribution).toBeNull();
    expect(json.root).toBe(join(facts.stdlib, 'json'));
    expect(names(json)).toContain('json.decoder:source');
    const difflib = await locateTarget('difflib', facts, { cwd });
    expect(difflib.files.map((f) => f.path)).toEqual([join(facts.stdlib, 'difflib.py')]);
    const ext = await locateTarget('_json', facts, { cwd });
    const [file] = await cpythonOrigin('_json');
    expect(ext.files).toEqual([{ name: '_json', path: file, kind: 'extension' }]); // lib-dynload, not the site copy
    const mime = await locateTarget('email.mime', facts, { cwd });
    expect(mime.files.every((f) => f.name.startsWith('email.mime'))).toBe(true);
  });

  it('explains what was not found, with the closest names and what to do', async () => {
    const attempts: Array<[string, RegExp]> = [
      ['explode', /^explode is not installed for .*\/bin\/python \(Python 3\.\d+\.\d+\); closest: explodes/],
      ['explodes.innr', /^explodes \(.*\) has no module innr; closest: inner/],
      ['onefile.x', /^onefile is a module \(.*onefile\.py\), not a package/],
      ['not-a-name', /^not an import name or path/],
    ];
    for (const [target, message] of attempts) {
      const error = await locateTarget(target, facts, { cwd }).catch((e: unknown) => e);
      expect(error, target).toBeInstanceOf(TargetNotFoundError);
      expect((error as TargetNotFoundError).message, target).toMatch(message);
      expect((error as TargetNotFoundError).hint, target).toBeTruthy();
    }
    const error = (await locateTarget('explode', facts, { cwd }).catch((e: unknown) => e)) as TargetNotFoundError;
    expect(error.hint).toMatch(/--python/);
  });
});

describe('Debian packages and system site packages', () => {
  const noDjango = skipUnmet(
    "django through Debian's /usr/bin/python3",
    needsDebianPackage('django', 'python3-django'),
  );

  it.skipIf(noDjango)(
    'finds django through /usr/bin/python3 with its egg-info version, and a venv only with system site',
    async () => {
      const system = await queryInterpreter(SYSTEM_PYTHON);
      const t = await locateTarget('django.utils.functional', system, { cwd });
      expect(t.files.map((f) => f.path)).toEqual(['/usr/lib/python3/dist-packages/django/utils/functional.py']);
      expect(t.distribution?.name).toBe('Django');
      const { stdout } = await runPython(SYSTEM_PYTHON, [
        '-S',
        '-c',
        'import sys; sys.path.append("/usr/lib/python3/dist-packages"); from importlib.metadata import version; print(version("django"))',
      ]);
      expect(t.distribution?.version).toBe(stdout.trim());

      const isolated = await makeVenv({ python: SYSTEM_PYTHON });
      const shared = await makeVenv({ python: SYSTEM_PYTHON, systemSite: true });
      try {
        const error = await locateTarget('django', await queryInterpreter(isolated.python), { cwd }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TargetNotFoundError);
        expect((error as Error).message).toMatch(/^django is not installed for .*\(Python 3\.\d+\.\d+\)/);
        const found = await locateTarget('django', await queryInterpreter(shared.python), { cwd });
        expect(found.root).toBe('/usr/lib/python3/dist-packages/django');
      } finally {
        await Promise.all([isolated.remove(), shared.remove()]);
      }
    },
  );
});

describe('locateTarget on paths (no interpreter)', () => {
  it('names modules exactly as ast_oracle.py, skipping symlinked directories (and loops)', async () => {
    const root = join(work, 'pathpkg_root', 'mypkg');
    await write(join(root, '__init__.py'), '');
    await write(join(root, 'a.py'), 'def a():\n    pass\n');
    await write(join(root, 'noinit', 'b.py'), 'def b():\n    pass\n');
    await write(join(root, 'z', 'c.py'), 'class C:\n    pass\n');
    await symlink(root, join(root, 'loop'));
    await symlink(join(root, 'a.py'), join(root, 'alias.py'));
    const t = await locateTarget(root, null, { cwd });
    const oracle = await runPython(PYTHON, [
      '-c',
      'import os,sys\nfor d, dirs, files in os.walk(sys.argv[1]):\n dirs.sort()\n for f in sorted(files):\n  if f.endswith(".py"): print(os.path.join(d, f))',
      root,
    ]);
    expect(t.files.map((f) => f.path).sort()).toEqual(oracle.stdout.trim().split('\n').sort());
    expect(names(t)).toEqual([
      'mypkg:source',
      'mypkg.a:source',
      'mypkg.alias:source',
      'mypkg.noinit.b:source',
      'mypkg.z.c:source',
    ]);
    const file = await locateTarget(join(root, 'a.py'), null, { cwd });
    expect(names(file)).toEqual(['a:source']);
    const rel = await locateTarget('./mypkg', null, { cwd: join(work, 'pathpkg_root') });
    expect(rel.root).toBe(root);
  });
});
