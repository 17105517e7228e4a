/**
 * Hostile input to `patchkit new`, through the real CLI process: bundle names, --sentinel, --target
 * modules and qualnames, --body, --out, and what the scan hands over (non-ASCII and NFKC-folding
 * identifiers, signatures with quotes, placeholders or 15k characters, odd distribution versions).
 * Each input is either refused — exit 2, a one-line reason, no stack trace, and no output directory —
 * or emitted safely: every .py passes py_compile and ast.parse(feature_version=(3, 8)), and the .pth
 * line makes site.py import and install the loader.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, tempDir, type Venv } from '../helpers/python.js';
import { FIXTURE_SITE } from '../generate/bundle.js';
import { checkGenerated, expectedGenerated, STACK } from './check.js';

/** A package whose names and signatures are hard on a generator (written into the venv, not a fixture dir). */
const TRICKY = `
def multi(a="""x
y""", b=1):
    return a

def tok(a=None, b="__PATCHKIT_NAME__"):
    return a

def café(x):
    return x

def ﬁx(x):
    return x

class Ünï:
    def méth(self):
        return 1

    def __call__(self):
        return 2

def quotes(a="'''", b='"""', c="\\\\", d='\\n'):
    return a

def longsig(${Array.from({ length: 1500 }, (_, i) => `p${i}=${i}`).join(', ')}):
    return 1

def match(x):
    return x

def type(x):
    return x
`;

let venv: Venv;
let root: string;
let count = 0;
beforeAll(async () => {
  venv = await makeVenv();
  await cp(FIXTURE_SITE, venv.sitePackages, { recursive: true });
  await mkdir(join(venv.sitePackages, 'tricky'));
  await writeFile(join(venv.sitePackages, 'tricky', '__init__.py'), TRICKY);
  await writeFile(join(venv.sitePackages, 'tricky', 'modé.py'), 'def f(x):\n    return x\n');
  for (const [pkg, version] of [
    ['verbad', `1.0'"\\`],
    ['verplaceholder', '1.0.__PATCHKIT_NAME__'],
    ['verok', '2.0rc1.post3+local.7'],
  ]) {
    await mkdir(join(venv.sitePackages, pkg));
    await writeFile(join(venv.sitePackages, pkg, '__init__.py'), 'def f(x):\n    return x\n');
    const info = join(venv.sitePackages, `${pkg}-1.0.dist-info`);
    await mkdir(info);
    await writeFile(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: ${pkg}\nVersion: ${version}\n\n`);
    await writeFile(join(info, 'top_level.txt'), `${pkg}\n`);
  }
  root = await tempDir('patchkit-hardening-gen-');
}, 120_000);
afterAll(async () => {
  await venv?.remove();
  if (root) await rm(root, { recursive: true, force: true });
});

const newBundle = (name: string, extra: string[], out: string) =>
  patchkit(['new', name, '--python', venv.python, '--out', out, ...extra]);

/** Refused: exit 2, the reason on stderr (one short message, no stack), nothing on stdout, no --out dir. */
const expectRefused = async (name: string, extra: string[], reason: RegExp, usage = false) => {
  const out = join(root, `refused-${(count += 1)}`, 'out');
  const r = await newBundle(name, extra, out);
  expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 2, stdout: '' });
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).not.toMatch(STACK);
  // A usage error prints the command's help after the one-line reason; anything else is one message.
  if (!usage) expect(r.stderr.length).toBeLessThan(700);
  expect(existsSync(join(root, `refused-${count}`))).toBe(false);
};

/** Accepted: the bundle is written, compiles for 3.8+, and its .pth line installs the loader. */
const expectAccepted = async (name: string, extra: string[]) => {
  const out = join(root, `accepted-${(count += 1)}`);
  const r = await newBundle(name, extra, out);
  expect(r.exitCode, r.stderr).toBe(0);
  const dir = join(out, name);
  const files = await readdir(dir);
  const pth = (await readFile(join(dir, `${name}_patch_injector.pth`), 'utf8')).split('\n');
  expect(pth).toHaveLength(2); // one line and its newline
  const check = await checkGenerated(dir, name, venv.python);
  expect(check).toEqual(
    expectedGenerated(
      name,
      files.filter((f) => f.endsWith('.py')),
    ),
  );
  return dir;
};

const TARGET = ['--target', 'demo.targets:add'];

describe('bundle names', () => {
  const refused: [string, RegExp][] = [
    [`a'b`, /bundle name "a'b" is not a Python identifier/],
    ['a"b', /is not a Python identifier/],
    [`'''`, /is not a Python identifier/],
    ['"""', /is not a Python identifier/],
    ['a\\b', /is not a Python identifier/],
    ['a\nb', /bundle name "a\\nb" is not a Python identifier/],
    ['a\rb', /is not a Python identifier/],
    ['a\u2028b', /is not a Python identifier/],
    ['café', /only ASCII letters, digits and _ are allowed: it names the \.pth import line/],
    ['ﬁx', /only ASCII letters/],
    ['class', /it is a Python keyword/],
    ['None', /it is a Python keyword/],
    ['__init__', /must not start with "__"/],
    ['_', /must not start with "__"/],
    ['a/b', /is not a Python identifier/],
    ['../x', /is not a Python identifier/],
    ['..', /is not a Python identifier/],
    ['a.b', /is not a Python identifier/],
    ['1abc', /not starting with a digit/],
    ['x'.repeat(10_000), /"x{60}"… \(10000 characters\).*at most 64 are allowed/],
  ];
  for (const [name, reason] of refused)
    it(`refuses ${JSON.stringify(name.slice(0, 20))}`, () => expectRefused(name, TARGET, reason));

  for (const name of ['match', 'case', 'type', 'print', 'sys', 'x_', 'A'.repeat(64)])
    it(`accepts ${JSON.stringify(name.slice(0, 20))} (soft keywords and builtins are plain names)`, () =>
      expectAccepted(name, TARGET));
});

describe('--sentinel', () => {
  const refused: [string, RegExp][] = [
    [`a'b`, /--sentinel "a'b" is not a dotted Python module name/],
    ['a\nb', /is not a dotted Python module name/],
    ['a\u2028b', /is not a dotted Python module name/],
    ['a\\b', /is not a dotted Python module name/],
    ['class', /--sentinel "class" cannot be targeted: "class" is a Python keyword/],
    ['a..b', /is not a dotted Python module name/],
    ['../demo', /is not a dotted Python module name/],
    ['demo/targets', /is not a dotted Python module name/],
    ['ﬁx', /is not in NFKC form: Python reads it as "fix"/],
    ['__PATCHKIT_NAME__', /is not a dotted Python module name/],
    ['m'.repeat(10_000), /\(10000 characters\) is longer than 512 characters/],
  ];
  for (const [sentinel, reason] of refused)
    it(`refuses ${JSON.stringify(sentinel.slice(0, 20))}`, () =>
      expectRefused('s', [...TARGET, '--sentinel', sentinel], reason));

  for (const sentinel of ['match', 'café.modé', '__main__', 'demo.__init__'])
    it(`accepts ${JSON.stringify(sentinel)}`, async () => {
      const dir = await expectAccepted('s', [...TARGET, '--sentinel', sentinel]);
      const manifest = JSON.parse(await readFile(join(dir, 'patchkit.json'), 'utf8')) as { sentinels: string[] };
      expect(manifest.sentinels).toEqual([sentinel]);
    });
});

describe('--target', () => {
  const refused: [string, RegExp][] = [
    [`demo.targets:add'`, /--target qualname "add'" may only hold identifiers/],
    ['demo.targets:a\nb', /may only hold identifiers/],
    ['demo.targets:add\u2028', /may only hold identifiers/],
    [`x'y:add`, /module "x'y" is not a dotted Python module name/],
    ['../demo:add', /is not a dotted Python module name/],
    ['demo/targets:add', /is not a dotted Python module name/],
    ['add', /--target "add" is not module:qualname/],
    ['demo.targets', /--target "demo\.targets" names a module, not module:qualname/],
    // Without a colon, the longest prefix that is a module is the module: demo.targets, then nothing left.
    ['demo.targets.nosuch', /no function or method matches demo\.targets:nosuch/],
    ['demo.targets.add.', /is not module:qualname/],
    ['async:add', /"async" is a Python keyword/],
    ['m'.repeat(10_000) + ':f', /is longer than 512 characters/],
    ['demo.targets:' + 'a'.repeat(10_000), /\(10000 characters\) may only hold identifiers.*at most 512/],
    // From the scan: Python folds `def ﬁx` to `fix`, so the scanned spelling would never match.
    ['tricky:ﬁx', /qualname "ﬁx" cannot be targeted: "ﬁx" is not in NFKC form: Python reads it as "fix"/],
    // A signature holding the templates' placeholder prefix used to crash the renderer (TemplateError).
    ['tricky:tok', /signature .* holds "__PATCHKIT", patchkit's template placeholder prefix/],
  ];
  for (const [target, reason] of refused)
    it(`refuses ${JSON.stringify(target.slice(0, 30))}`, () => expectRefused('t', ['--target', target], reason));

  const accepted: [string, string[]][] = [
    ['non-ASCII function', ['tricky:café']],
    ['non-ASCII class and method, dunder method', ['tricky:Ünï.méth', 'tricky:Ünï.__call__']],
    ['non-ASCII module', ['tricky.modé:f']],
    ['signature with \'\'\' """ and backslashes', ['tricky:quotes']],
    ['signature with a multi-line default', ['tricky:multi']],
    ['15k-character signature', ['tricky:longsig']],
    ['soft keywords as function names', ['tricky:match', 'tricky:type']],
  ];
  for (const [what, targets] of accepted)
    it(`accepts a ${what}`, async () => {
      const dir = await expectAccepted(
        't',
        targets.flatMap((t) => ['--target', t]),
      );
      const manifest = JSON.parse(await readFile(join(dir, 'patchkit.json'), 'utf8')) as {
        targets: { module: string; qualname: string }[];
      };
      expect(manifest.targets.map((t) => `${t.module}:${t.qualname}`)).toEqual(targets);
    });

  it('splits a dotted target without a colon at the longest module prefix (module:qualname)', async () => {
    const dir = await expectAccepted('t', [
      ...['--target', 'demo.targets.add'],
      ...['--target', 'demo.targets.Widget.grow'],
      ...['--target', 'tricky.modé.f'],
      ...['--target', 'tricky.Ünï.*'],
    ]);
    const manifest = JSON.parse(await readFile(join(dir, 'patchkit.json'), 'utf8')) as {
      targets: { module: string; qualname: string }[];
    };
    expect(manifest.targets.map((t) => `${t.module}:${t.qualname}`)).toEqual([
      'demo.targets:add',
      'demo.targets:Widget.grow',
      'tricky.modé:f',
      'tricky:Ünï.méth',
      'tricky:Ünï.__call__',
    ]);
  });

  it('cuts a 15k-character signature in the # Target: comment (the manifest keeps it whole)', async () => {
    const dir = await expectAccepted('t', ['--target', 'tricky:longsig']);
    const core = await readFile(join(dir, 't_patch_core.py'), 'utf8');
    const line = core.split('\n').find((l) => l.includes('# Target: tricky:longsig')) ?? '';
    expect(line.length).toBeLessThan(400);
    expect(line).toMatch(/ …$/);
    const manifest = await readFile(join(dir, 'patchkit.json'), 'utf8');
    expect(manifest).toContain('p1499=1499');
  });
});

describe('distribution versions from the scan', () => {
  it('refuses a METADATA version with quotes and backslashes', () =>
    expectRefused('v', ['--target', 'verbad:f'], /distribution version "1\.0'\\"\\\\" is not a version/));
  it('refuses a METADATA version holding the placeholder prefix', () =>
    expectRefused('v', ['--target', 'verplaceholder:f'], /distribution version .* is not a version/));
  it('accepts a PEP 440 version with pre, post and local parts', async () => {
    const dir = await expectAccepted('v', ['--target', 'verok:f']);
    expect(await readFile(join(dir, 'v_patch_loader.py'), 'utf8')).toContain(
      "_DISTRIBUTION = ('verok', '2.0rc1.post3+local.7')",
    );
  });
});

describe('--body', () => {
  for (const body of ['weird', `trace'`, 'trace\n', ''])
    it(`refuses ${JSON.stringify(body)} with exit 2 (a usage error)`, () =>
      expectRefused(
        'b',
        [...TARGET, '--body', body],
        /^error: option '--body <style>' argument .* is invalid\. Allowed choices are passthrough, trace/s,
        true,
      ));
  it('accepts trace', () => expectAccepted('b', [...TARGET, '--body', 'trace']));
});

describe('--out', () => {
  for (const sub of [`q'u"o\\te`, 'new\nline', 'ünï cödé', 'a/../b', '  '])
    it(`writes under ${JSON.stringify(sub)}, and the path reaches no generated file`, async () => {
      const out = join(root, `out-${(count += 1)}`, sub);
      const r = await newBundle('o', TARGET, out);
      expect(r.exitCode, r.stderr).toBe(0);
      const dir = join(out, 'o');
      for (const f of await readdir(dir)) expect(await readFile(join(dir, f), 'utf8')).not.toContain(root);
      const check = await checkGenerated(dir, 'o', venv.python);
      expect(check.hooked).toEqual(['True', '']);
    });

  it('refuses an --out that is a file, and leaves the file alone', async () => {
    const file = join(root, `file-${(count += 1)}`);
    await writeFile(file, 'keep');
    const r = await newBundle('o', TARGET, file);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cannot write the bundle to .*: a (file is in the way|path component is not a directory)/);
    expect(r.stderr).not.toMatch(STACK);
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('refuses an --out below a file', async () => {
    const file = join(root, `file-${(count += 1)}`);
    await writeFile(file, 'keep');
    const r = await newBundle('o', TARGET, join(file, 'sub'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/a path component is not a directory \(ENOTDIR/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('refuses a 10k-character --out and creates none of its directories', async () => {
    const base = join(root, `long-${(count += 1)}`);
    const out = join(base, ...Array.from({ length: 40 }, () => 'd'.repeat(250)));
    const r = await newBundle('o', TARGET, out);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cannot write the bundle to .*(file name too long|ENAMETOOLONG)/);
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(base)).toBe(false);
  });

  it('refuses a bundle name with NUL at the API (argv cannot carry NUL)', async () => {
    const { validateName, validateModule } = await import('../../src/generate/validate.js');
    expect(() => validateName('a\0b')).toThrow(/is not a Python identifier/);
    expect(() => validateModule('a\0b')).toThrow(/is not a dotted Python module name/);
  });
});
