/**
 * `patchkit scan --json` on a package full of hostile files: random bytes, NUL bytes, sources in
 * other encodings (right, wrong and unknown PEP 263 cookies), a FIFO and a link to /dev/zero named
 * x.py, symlink loops, dangling and directory links, a directory named x.py. The scan must finish,
 * exit 0 without a stack trace, give each problem file exactly one diagnostic naming it, none to a
 * healthy file, and keep every symbol CPython's ast finds where CPython can parse the file.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/scan/model.js';
import { oracleSet, scanSet } from '../helpers/oracle.js';
import { PYTHON } from '../helpers/python.js';
import { diagnosticsFor, record, scanCli, symbolsOf, writeTree, type ScanRunResult } from './scan-helpers.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Regular files: also copied to a mirror the oracle can read (it would hang on the FIFO). */
const FILES: Record<string, string | Uint8Array> = {
  '__init__.py': 'def top():\n    pass\n',
  'healthy.py': 'class Ok:\n    def method(self):\n        return "def fake(): pass"\n\nasync def run():\n    pass\n',
  'random.py': randomBytes(64 * 1024),
  'nul.py': 'def a():\n    pass\n\x00\ndef b():\n    pass\n',
  'nul_in_string.py': 'def a():\n    return "\x00"\n\nclass B:\n    def c(self):\n        pass\n',
  // 0x80 and 0xe9 are U+0080 and é in ISO-8859-1 (WHATWG's "latin1" label would read 0x80 as €).
  'latin_cookie.py': latin1(
    '# -*- coding: latin-1 -*-\ndef f(x="\x80\xe9"):\n    pass\n\nclass \xc9t\xe9:\n    pass\n',
  ),
  'cp1252_cookie.py': latin1('# vim: set fileencoding=cp1252 :\ndef g(x="\x80\x8a"):\n    pass\n'),
  'cp1252_undefined.py': latin1('# coding: cp1252\ndef u(x="\x81"):\n    pass\n'),
  'no_cookie_latin.py': latin1('s = "\xe9"\n\ndef h():\n    pass\n'),
  'wrong_cookie.py': latin1('# coding: utf-8\ns = "\xe9\xff"\n\ndef i():\n    pass\n'),
  'ascii_cookie.py': latin1('# coding: ascii\ns = "\xe9"\n\ndef j():\n    pass\n'),
  'unknown_cookie.py': '# coding: klingon\n\ndef k():\n    pass\n',
  'bom_utf8.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('def bom():\n    pass\n')]),
  'cookie_line2.py': latin1('#!/usr/bin/env python\n# coding: latin-1\ndef l(x="\xe9"):\n    pass\n'),
  'crlf_cr.py': 'class M:\r\n    def a(self):\r\n        pass\r    def b(self):\r        pass\r\n',
  'empty.py': '',
  'only_comment.py': '# coding: utf-8\n',
  'dir.py/inner.py': 'def inside_dir_named_py():\n    pass\n',
};

/** Paths (relative to the package) whose scan must produce exactly one diagnostic. */
const PROBLEMS: Record<string, RegExp> = {
  'random.py': /not valid utf-8|syntax errors/,
  'nul.py': /NUL/,
  'nul_in_string.py': /NUL/,
  'no_cookie_latin.py': /not valid utf-8/,
  'wrong_cookie.py': /not valid utf-8/,
  'ascii_cookie.py': /not valid ascii/,
  'unknown_cookie.py': /unknown or unsupported source encoding "klingon"/,
  'cp1252_undefined.py': /not valid windows-1252/,
  'fifo.py': /not a regular file/,
  'zero.py': /not a regular file/,
  'loop_a.py': /ELOOP/,
  'loop_b.py': /ELOOP/,
  'dangling.py': /ENOENT/,
};

let base: string;
let root: string;
let mirror: string;
let remove: () => Promise<void>;
const runs = new Map<string, ScanRunResult>();

beforeAll(async () => {
  ({ base, root, remove } = await writeTree(FILES));
  mirror = join(base, 'mirror', 'pkg');
  await cp(root, mirror, { recursive: true });
  await execa('mkfifo', [join(root, 'fifo.py')]);
  await symlink('/dev/zero', join(root, 'zero.py'));
  await symlink('loop_b.py', join(root, 'loop_a.py'));
  await symlink('loop_a.py', join(root, 'loop_b.py'));
  await symlink('does-not-exist.py', join(root, 'dangling.py'));
  await mkdir(join(base, 'elsewhere'));
  await symlink(join(base, 'elsewhere'), join(root, 'linked_dir.py'));
  await symlink('.', join(root, 'self')); // a directory loop: never descended
}, 60_000);

afterAll(() => remove());

const scan = async (parser: string) => {
  const cached = runs.get(parser);
  if (cached) return cached;
  const run = await scanCli(root, ['--parser', parser], { timeoutMs: 60_000 });
  record(`hostile package (${parser})`, run);
  runs.set(parser, run);
  return run;
};

describe.each(['native', 'wasm'])('hostile package, --parser %s', (parser) => {
  let result: ScanResult;
  beforeAll(async () => {
    result = (await scan(parser)).result;
  }, 120_000);

  it('gives each problem file exactly one diagnostic naming it, and healthy files none', () => {
    for (const [rel, pattern] of Object.entries(PROBLEMS)) {
      const found = diagnosticsFor(result, join(root, rel));
      expect(
        found.map((d) => d.message),
        rel,
      ).toHaveLength(1);
      expect(found[0].message, rel).toMatch(pattern);
    }
    const problemPaths = new Set(Object.keys(PROBLEMS).map((rel) => join(root, rel)));
    const others = result.diagnostics.filter((d) => d.severity !== 'info' && !problemPaths.has(d.path ?? ''));
    expect(others).toEqual([]);
    // The diagnostics name a line only once even when several ERROR nodes start on it.
    for (const d of result.diagnostics) {
      const lines = /syntax errors at line ([\d, ]+)/.exec(d.message)?.[1].split(', ') ?? [];
      expect(new Set(lines).size, d.message).toBe(lines.length);
    }
  });

  it('keeps every recoverable symbol of the damaged files', () => {
    expect(symbolsOf(result, 'pkg.nul')).toEqual(['a:1', 'b:4']);
    expect(symbolsOf(result, 'pkg.nul_in_string')).toEqual(['a:1', 'B:4', 'B.c:5']);
    expect(symbolsOf(result, 'pkg.no_cookie_latin')).toEqual(['h:3']);
    expect(symbolsOf(result, 'pkg.wrong_cookie')).toEqual(['i:4']);
    expect(symbolsOf(result, 'pkg.ascii_cookie')).toEqual(['j:4']);
    expect(symbolsOf(result, 'pkg.unknown_cookie')).toEqual(['k:3']);
    const lowConfidence = result.modules.filter((m) => m.lowConfidence).map((m) => m.name);
    for (const m of ['pkg.nul', 'pkg.no_cookie_latin', 'pkg.wrong_cookie', 'pkg.ascii_cookie', 'pkg.random'])
      expect(lowConfidence).toContain(m);
  });

  it('decodes PEP 263 sources as Python does', () => {
    const latin = result.modules.find((m) => m.name === 'pkg.latin_cookie')!;
    expect(latin.lowConfidence).toBeUndefined();
    expect(latin.symbols.map((s) => s.qualname)).toEqual(['f', 'Été']);
    // True ISO-8859-1: 0x80 is U+0080, not the euro sign of windows-1252.
    expect(latin.symbols[0].signature).toBe('(x="\u0080é")');
    const cp1252 = result.modules.find((m) => m.name === 'pkg.cp1252_cookie')!;
    expect(cp1252.symbols[0].signature).toBe('(x="€Š")');
    expect(symbolsOf(result, 'pkg.cookie_line2')).toEqual(['l:3']);
    expect(symbolsOf(result, 'pkg.bom_utf8')).toEqual(['bom:1']);
    expect(symbolsOf(result, 'pkg.crlf_cr')).toEqual(['M:1', 'M.a:2', 'M.b:4']);
  });

  it('lists special files once, and never a directory or a link to one', () => {
    const names = result.modules.map((m) => m.name);
    expect(names).toContain('pkg.dir.py.inner');
    expect(names).not.toContain('pkg.linked_dir');
    expect(names.filter((n) => n.startsWith('pkg.self'))).toEqual([]);
    for (const n of ['pkg.fifo', 'pkg.zero', 'pkg.loop_a', 'pkg.dangling'])
      expect(names.filter((m) => m === n)).toHaveLength(1);
  });

  it('matches CPython ast on every file CPython can parse', async () => {
    const oracle = await oracleSet(PYTHON, mirror);
    const ours = scanSet(result);
    const missing = [...oracle].filter((k) => !ours.has(k));
    expect(missing).toEqual([]);
    const { stdout } = await execa(PYTHON, [
      '-c',
      'import ast,os,sys\nfor d,_,fs in os.walk(sys.argv[1]):\n for f in fs:\n  p=os.path.join(d,f)\n  try: ast.parse(open(p,"rb").read())\n  except (SyntaxError, ValueError): print(p)',
      mirror,
    ]);
    const rejected = new Set(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((p) => p.replace(mirror, root)),
    );
    const rejectedModules = new Set(result.modules.filter((m) => rejected.has(m.path)).map((m) => m.name));
    const extra = [...ours].filter((k) => !oracle.has(k) && !rejectedModules.has((JSON.parse(k) as string[])[0]));
    expect(extra).toEqual([]);
    expect(oracle.size).toBeGreaterThan(8);
  });
});

it('gives the same symbols with both parsers', async () => {
  const [native, wasm] = [await scan('native'), await scan('wasm')];
  const strip = (r: ScanResult) => r.modules.map((m) => [m.name, m.symbols.map((s) => [s.qualname, s.line, s.async])]);
  expect(strip(wasm.result)).toEqual(strip(native.result));
}, 240_000);

it('does not wait on a FIFO alone, nor read /dev/zero', async () => {
  const run = await scanCli(join(root, 'fifo.py'), [], { timeoutMs: 30_000 });
  expect(diagnosticsFor(run.result, join(root, 'fifo.py'))).toHaveLength(1);
  const zero = await scanCli(join(root, 'zero.py'), [], { timeoutMs: 30_000 });
  expect(diagnosticsFor(zero.result, join(root, 'zero.py'))).toHaveLength(1);
});
