/**
 * Finding packages in real environments without importing them: venvs, .pth path entries, PEP 420
 * namespace packages, setuptools import-hook editables, extension modules with stubs, Debian's
 * dist-packages, and a package whose __init__ would leave a marker if anything imported it.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { scanJson } from '../helpers/oracle.js';
import { makeVenv, PYTHON, SYSTEM_PYTHON, tempDir, type Venv } from '../helpers/python.js';
import { queryInterpreter } from '../../src/env/interpreter.js';

let venv: Venv;
let marker: string;
let srcDir: string;

const write = async (path: string, text: string) => {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
};

beforeAll(async () => {
  venv = await makeVenv();
  const work = await tempDir();
  marker = join(work, 'imported-marker');
  const site = venv.sitePackages;
  // A package whose import leaves a marker and raises.
  await write(
    join(site, 'explodes', '__init__.py'),
    `open(${JSON.stringify(marker)}, "w").close()\nraise RuntimeError("imported")\ndef top(): pass\n`,
  );
  await write(join(site, 'explodes', 'inner.py'), 'def f():\n    return 1\n');
  // A .pth whose import line would leave the marker too: queryInterpreter must not run it.
  await write(join(site, 'zz_marker.pth'), `import os; open(${JSON.stringify(marker)}, "w").close()\n`);
  // PEP 420 namespace package split across two directories added by a .pth.
  const portionA = join(work, 'portion_a');
  const portionB = join(work, 'portion_b');
  await write(join(portionA, 'nspkg', 'alpha.py'), 'def a():\n    pass\n');
  await write(join(portionB, 'nspkg', 'beta', '__init__.py'), 'class B:\n    def m(self):\n        pass\n');
  await write(join(site, 'portions.pth'), `${portionA}\n${portionB}\n`);
  // A setuptools import-hook editable install: the finder module's MAPPING names the source tree.
  srcDir = join(work, 'src');
  await write(join(srcDir, 'edpkg', '__init__.py'), 'def edited():\n    pass\n');
  await write(
    join(site, '__editable__.edpkg-1.0.pth'),
    'import __editable___edpkg_1_0_finder; __editable___edpkg_1_0_finder.install()\n',
  );
  await write(
    join(site, '__editable___edpkg_1_0_finder.py'),
    `MAPPING: dict[str, str] = {'edpkg': ${JSON.stringify(join(srcDir, 'edpkg'))}}\nNAMESPACES: dict[str, list[str]] = {}\n`,
  );
  await write(join(site, 'edpkg-1.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: edpkg\nVersion: 1.0\n');
  await write(join(site, 'edpkg-1.0.dist-info', 'top_level.txt'), 'edpkg\n');
  // A compiled extension with a .pyi beside it (a real .so from the interpreter's lib-dynload).
  const facts = await queryInterpreter(venv.python);
  const dynload = facts.baseSysPath.find((p) => p.endsWith('lib-dynload'))!;
  const so = (await readdir(dynload)).find((n) => n.startsWith('_json.'))!;
  const suffix = so.slice('_json'.length);
  await write(join(site, 'fastpkg', '__init__.py'), 'from ._speed import scan\n');
  await copyFile(join(dynload, so), join(site, 'fastpkg', `_speed${suffix}`));
  await write(
    join(site, 'fastpkg', '_speed.pyi'),
    'def scan(text: str) -> int: ...\nclass Scanner:\n    def __call__(self, s: str) -> int: ...\n',
  );
});

afterAll(async () => {
  await venv?.remove();
});

describe('locating targets', () => {
  it('queries the interpreter with -S: no .pth import line runs', async () => {
    const facts = await queryInterpreter(venv.python);
    expect(facts.venv).toBe(venv.dir);
    expect(facts.purelib).toBe(venv.sitePackages);
    expect(facts.siteDirs).toEqual([venv.sitePackages]);
    expect(existsSync(marker)).toBe(false);
  });

  it('scans a package whose __init__ raises, without importing it', async () => {
    const result = await scanJson(['explodes', '--python', venv.python]);
    expect(result.modules.map((m) => m.name)).toEqual(['explodes', 'explodes.inner']);
    expect(existsSync(marker)).toBe(false);
  });

  it('scans only the subtree of a dotted subpackage, with full names', async () => {
    const result = await scanJson(['explodes.inner', '--python', venv.python]);
    expect(result.modules.map((m) => m.name)).toEqual(['explodes.inner']);
  });

  it('joins the portions of a PEP 420 namespace package', async () => {
    const result = await scanJson(['nspkg', '--python', venv.python]);
    expect(result.modules.map((m) => m.name)).toEqual(['nspkg.alpha', 'nspkg.beta']);
    expect(result.modules[1].symbols.map((s) => s.qualname)).toEqual(['B', 'B.m']);
  });

  it('follows a setuptools import-hook editable install to its source, with the dist version', async () => {
    const result = await scanJson(['edpkg', '--python', venv.python]);
    expect(result.package).toMatchObject({ root: join(srcDir, 'edpkg'), version: '1.0', distribution: 'edpkg' });
    expect(result.modules[0].symbols[0].qualname).toBe('edited');
  });

  it('lists a compiled module with the names of its .pyi', async () => {
    const result = await scanJson(['fastpkg', '--python', venv.python]);
    const speed = result.modules.find((m) => m.name === 'fastpkg._speed')!;
    expect(speed.kind).toBe('extension');
    expect(speed.symbols.map((s) => s.qualname)).toEqual(['scan', 'Scanner', 'Scanner.__call__']);
  });

  it('finds the stdlib, and Debian packages through /usr/bin/python3 with their version', async () => {
    const json = await scanJson(['json', '--python', PYTHON]);
    expect(json.package.version).toBeNull();
    expect(json.modules.map((m) => m.name)).toContain('json.decoder');
    if (existsSync('/usr/lib/python3/dist-packages/django')) {
      const django = await scanJson(['django.utils.functional', '--python', SYSTEM_PYTHON]);
      expect(django.package.version).toMatch(/^\d+\.\d+/);
      expect(django.package.distribution).toBe('Django');
    }
  });

  it('a venv without system site packages does not see them', async () => {
    const result = await patchkit(['scan', 'django', '--python', venv.python]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/django is not installed for .*; closest: /);
    expect(result.stdout).toBe('');
  });

  it('uses $VIRTUAL_ENV when no --python is given', async () => {
    const result = await patchkit(['scan', 'explodes', '--json'], {
      env: { PATH: process.env.PATH ?? '', VIRTUAL_ENV: venv.dir },
    });
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(String(result.stdout)) as { interpreter: { executable: string } }).interpreter.executable).toBe(
      venv.python,
    );
  });

  it('fails with exit 2 and one clear line for a missing interpreter', async () => {
    const result = await patchkit(['scan', 'json', '--python', '/nonexistent/python3']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^patchkit scan: interpreter not found: \/nonexistent\/python3\n  pass --python/);
  });
});
