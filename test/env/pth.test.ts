/**
 * .pth files read statically, checked against CPython's own site.addsitedir() on the same
 * directory (run under -S on files that hold no import line, so nothing executes), and the
 * literal reader used for editable finders.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSiteDirPth } from '../../src/env/pth.js';
import { readAssignment, readCalls } from '../../src/env/python-literal.js';
import { PYTHON, runPython, tempDir } from '../helpers/python.js';

let site: string;

beforeAll(async () => {
  site = await tempDir();
  for (const d of ['a', 'b', 'c', 'café', 'bom', 'tabbed']) await mkdir(join(site, 'dirs', d), { recursive: true });
  await writeFile(join(site, 'b.pth'), '# comment\n\ndirs/b\r\ndirs/missing\n   \ndirs/a\rdirs/c  \n');
  await writeFile(join(site, 'a.pth'), `${join(site, 'dirs', 'c')}\n#dirs/a\n`);
  await writeFile(join(site, 'bom.pth'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('dirs/bom\n')]));
  await writeFile(join(site, 'z_tabbed.pth'), ' dirs/tabbed\ndirs/tabbed\n');
});

afterAll(async () => {
  await rm(site, { recursive: true, force: true });
});

describe('readSiteDirPth', () => {
  it('adds the same directories, in the same order, as site.addsitedir', async () => {
    const ours = readSiteDirPth(site).paths;
    const r = await runPython(PYTHON, [
      '-S',
      '-c',
      'import site, sys, json; before = list(sys.path); site.addsitedir(sys.argv[1]); print(json.dumps([p for p in sys.path if p not in before]))',
      site,
    ]);
    const cpython = (JSON.parse(r.stdout) as string[]).filter((p) => p !== site);
    // The one known difference: 3.11 decodes with the locale codec, so a BOM sticks to the first
    // line and that path is not found; 3.13 decodes utf-8-sig, as patchkit does.
    const bom = join(site, 'dirs', 'bom');
    expect(ours.filter((p) => p !== bom)).toEqual(cpython.filter((p) => p !== bom));
    expect(ours).toContain(bom);
  });

  it('separates import lines, marks hidden files, skips binary ones, reads latin-1', async () => {
    const dir = await tempDir();
    try {
      await mkdir(join(dir, 'café'));
      await writeFile(join(dir, 'hooks.pth'), 'import os; os.environ\nimport\tsys\nimportlib_dir\n#import x\n');
      await writeFile(join(dir, '.hidden.pth'), 'import os\n');
      // torch.save() output: a zip with NUL bytes, often named model.pth.
      await writeFile(join(dir, 'model.pth'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x80, 0x02]));
      await writeFile(join(dir, 'latin.pth'), Buffer.from('caf\xe9\n', 'latin1'));
      const pth = readSiteDirPth(dir);
      expect(pth.imports.map((i) => [i.line, i.text])).toEqual([
        [1, 'import os; os.environ'],
        [2, 'import\tsys'],
      ]);
      expect(pth.paths).toEqual([join(dir, 'café')]);
      expect(pth.files.map((f) => [f.name, f.hidden, Boolean(f.unreadable)])).toEqual([
        ['.hidden.pth', true, false],
        ['hooks.pth', false, false],
        ['latin.pth', false, false],
        ['model.pth', false, true],
      ]);
      expect(readSiteDirPth(dir, { skipHidden: false }).imports.map((i) => i.text)).toContain('import os');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('python literals', () => {
  it('reads repr() output: quotes, escapes, annotations, adjacent strings, comments', () => {
    const source = [
      '# MAPPING = {"not": "this"}',
      "MAPPING: dict[str, str] = {'a': \"/src/it's\", 'b.c': '/src/b\\\\c', # trailing comment",
      "  'd': '/x' '/y', 'e': '\\u00e9\\x41'}",
      "NAMESPACES: dict[str, list[str]] = {'ns': ['/p1', '/p2']}",
      "F.map_module('pkg', '/src/pkg/__init__.py')",
    ].join('\n');
    expect(readAssignment(source, 'MAPPING')).toEqual({
      a: "/src/it's",
      'b.c': '/src/b\\c',
      d: '/x/y',
      e: 'éA',
    });
    expect(readAssignment(source, 'NAMESPACES')).toEqual({ ns: ['/p1', '/p2'] });
    expect(readCalls(source, /\bmap_module/)).toEqual([['pkg', '/src/pkg/__init__.py']]);
    expect(readAssignment('MAPPING = dict(a=1)', 'MAPPING')).toBeNull(); // not a literal: no guessing
  });
});
