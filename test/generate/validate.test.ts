/** Nothing unvalidated reaches generated code; a refused input writes nothing. */
import { execa } from 'execa';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/new.js';
import { ValidationError } from '../../src/errors.js';
import { pyStr } from '../../src/generate/literal.js';
import { buildModel } from '../../src/generate/model.js';
import { globToRegExp } from '../../src/generate/resolve.js';
import { makeVenv, PYTHON, tempDir, type Venv } from '../helpers/python.js';
import { FIXTURE_SITE } from './bundle.js';
import { FIXTURE_INPUT } from './fixture-model.js';
import { cp } from 'node:fs/promises';

describe('validation of model input', () => {
  const bad: [string, (typeof FIXTURE_INPUT)['targets'][number] | null, string][] = [
    ['x; import os', null, 'not a Python identifier'],
    ['class', null, 'not a Python identifier'],
    ['__init__', null, 'must not start with "__"'],
    ['ok', { ...FIXTURE_INPUT.targets[0], module: "pkg'; import os; '" }, 'not a dotted Python module name'],
    ['ok', { ...FIXTURE_INPUT.targets[0], qualname: 'f\nimport os' }, 'not a dotted sequence'],
    ['ok', { ...FIXTURE_INPUT.targets[0], qualname: 'outer.<locals>.inner' }, 'not a dotted sequence'],
    ['ok', { ...FIXTURE_INPUT.targets[0], signature: '(a)\nimport os' }, 'cannot go into a comment'],
    ['ok', { ...FIXTURE_INPUT.targets[0], sentinel: 'a..b' }, 'sentinel'],
    ['ok', { ...FIXTURE_INPUT.targets[0], fingerprint: 'zz' }, 'not 16 hex digits'],
    ['ok', { ...FIXTURE_INPUT.targets[0], bindingSites: [{ module: 'm', name: 'a b' }] }, 'binding-site name'],
  ];
  for (const [name, t, message] of bad) {
    it(`refuses ${JSON.stringify(name)} ${t ? JSON.stringify(t.module + ':' + t.qualname) : ''}`, () => {
      const input = { ...FIXTURE_INPUT, name, targets: t ? [t] : FIXTURE_INPUT.targets };
      expect(() => buildModel(input)).toThrow(ValidationError);
      expect(() => buildModel(input)).toThrow(message);
    });
  }

  it('pyStr: Python reads back exactly the string that was encoded (any Unicode, quotes, newlines)', async () => {
    const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), 300);
    samples.push("'''", '"""', '\\', '\n\r\u2028', '\0', 'é😀');
    const code = `import ast, json, sys\nlits = sys.stdin.read().split("\\n")\nprint(json.dumps([ast.literal_eval(l) for l in lits]))`;
    const lits = samples.map(pyStr);
    for (const lit of lits) expect(lit).toMatch(/^'[\x20-\x7e]*'$/);
    const r = await execa(PYTHON, ['-c', code], { input: lits.join('\n') });
    const back = JSON.parse(r.stdout) as string[];
    // JSON cannot carry lone surrogates faithfully; compare code units through JSON on both sides.
    expect(back).toEqual(samples.map((s) => JSON.parse(JSON.stringify(s)) as string));
  });

  it('globs are fnmatch-style over qualnames', () => {
    expect(globToRegExp('Class.*').test('Class.method')).toBe(true);
    expect(globToRegExp('*').test('Class.method')).toBe(true);
    expect(globToRegExp('Cl?ss.[!a]*').test('Class.method')).toBe(true);
    expect(globToRegExp('Cl?ss.[!m]*').test('Class.method')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('patchkit new (run) against a real environment', () => {
  let venv: Venv;
  let out: string;
  beforeAll(async () => {
    venv = await makeVenv();
    await cp(FIXTURE_SITE, venv.sitePackages, { recursive: true });
    out = await tempDir('patchkit-new-');
  });
  afterAll(async () => {
    await venv?.remove();
    await rm(out, { recursive: true, force: true });
  });
  const go = (name: string, target: string[], extra = {}) =>
    run({ cwd: out, out, name, target, python: venv.python, cache: false, ...extra });

  it('an unknown target names the closest matches, and nothing is written', async () => {
    await expect(go('b1', ['demo.targets:Widget.grwo'])).rejects.toThrow(ValidationError);
    await expect(go('b1', ['demo.targets:Widget.grwo'])).rejects.toMatchObject({
      hint: expect.stringContaining('demo.targets:Widget.grow'),
    });
    await expect(go('b1', ['demo.targetz:add'])).rejects.toMatchObject({
      hint: expect.stringContaining('demo.targets'),
    });
    await expect(go('b1', ['demo.targets:Widget'])).rejects.toThrow(/is a class/);
    await expect(go('b1', ['demo.targets'])).rejects.toThrow(/not module:qualname/);
    await expect(go('b1; rm', ['demo.targets:add'])).rejects.toThrow(ValidationError);
    expect(await readdir(out)).toEqual([]);
  });

  it('globs expand through the scanner; an existing bundle directory needs force', async () => {
    const result = await go('b2', ['demo.targets:Widget.*', 'demo.targets:add']);
    expect(result.model.targets.map((t) => t.qualname)).toEqual([
      'Widget.__init__',
      'Widget.grow',
      'Widget.make',
      'Widget.unit',
      'Widget.size',
      'add',
    ]);
    expect(existsSync(join(out, 'b2', 'patchkit.json'))).toBe(true);
    await expect(go('b2', ['demo.targets:add'])).rejects.toThrow(/already exists/);
    const again = await go('b2', ['demo.targets:add'], { force: true });
    expect(again.model.targets).toHaveLength(1);
    expect((await readdir(out)).sort()).toEqual(['b2']);
    await mkdir(join(out, 'unrelated'));
  });
});
