/**
 * planFromDiff on real upstream diffs against the installed code of real interpreters: CPython's
 * bug-fix releases against Debian's python3.11 stdlib, CPython 3.12 changes against pyenv 3.11.7,
 * wrapt commits (git format-patch mails) against Debian's python3-wrapt. Every case checks the
 * mechanism chosen for each change and hunk, and that each definition's `source`/`upstream` text
 * is exactly the lines of the file `patch --fuzz=0` makes / of the installed file at the lines given.
 */
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import type { DiffPlan } from '../../src/diff/plan.js';
import { planFromDiff } from '../../src/diff/plan.js';
import { planSummary } from '../../src/diff/summary.js';
import { tempDir } from '../helpers/python.js';

const REAL = fileURLToPath(new URL('../fixtures/diff/real/', import.meta.url));
const PYENV311 = `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/3.11.7/bin/python3`;
const DEBIAN = '/usr/bin/python3';
const DEBIAN_STDLIB = '/usr/lib/python3.11';
const WRAPT = '/usr/lib/python3/dist-packages/wrapt';

const versionOf = (python: string) =>
  existsSync(python)
    ? spawnSync(python, ['-S', '-c', 'import sys;print(sys.version.split()[0])']).stdout.toString().trim()
    : '';
const debian3112 = versionOf(DEBIAN) === '3.11.2' && existsSync(join(DEBIAN_STDLIB, 'urllib', 'parse.py'));
const pyenv3117 = versionOf(PYENV311) === '3.11.7';
const wrapt = debian3112 && existsSync(join(WRAPT, 'importer.py'));

const fixture = (name: string) => readFile(join(REAL, name), 'utf8');

/** What the plan decided, compactly: per module its changes, per hunk its mechanisms. */
const summary = (plan: DiffPlan) => ({
  modules: plan.modules.map((m) => [
    m.module,
    m.alreadyImported,
    m.changes.map((c) =>
      c.mechanism === 'overlay'
        ? ['overlay', c.reason]
        : c.mechanism === 'module-code'
          ? ['module-code', c.binds, c.unbinds]
          : c.mechanism === 'new-file'
            ? ['new-file', c.relpath]
            : [c.mechanism, c.qualname],
    ),
  ]),
  hunks: plan.hunks.map((h) => h.mechanisms),
});

/** The installed file patched by `patch --fuzz=0` (the reference), one file's diff at a time. */
const patchedByPatch = async (installed: string, diff: string): Promise<string> => {
  const dir = await tempDir('patchkit-patch-');
  try {
    await writeFile(join(dir, 'diff'), diff);
    const out = join(dir, 'out.py');
    const r = await execa('patch', ['--fuzz=0', '--silent', '-o', out, installed, join(dir, 'diff')], {
      reject: false,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const linesAt = (text: string, line: number, count: number) =>
  text
    .split('\n')
    .slice(line - 1, line - 1 + count)
    .join('\n') + '\n';

/** Every definition's text is the file's own lines at the line it names; module code is the file's statements in order. */
const expectVerbatim = async (plan: DiffPlan, diffFor: (module: string) => string) => {
  for (const m of plan.modules) {
    if (m.path === null) continue;
    const installed = await readFile(m.path, 'utf8');
    const patched = await patchedByPatch(m.path, diffFor(m.module));
    for (const c of m.changes) {
      if (c.mechanism === 'module-code') {
        const lines = patched.split('\n');
        let at = 0;
        expect(c.source === '' || /^\S/.test(c.source)).toBe(true); // module level: column 0
        for (const line of c.source.split('\n').slice(0, -1)) {
          at = lines.indexOf(line, at);
          expect(at, `${m.module}: module code line ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
        }
      }
      if (c.mechanism !== 'replace' && c.mechanism !== 'add' && c.mechanism !== 'remove') continue;
      if (c.source !== null && c.line !== null)
        expect(c.source, `${c.qualname} in the patched file`).toBe(
          linesAt(patched, c.line, c.source.split('\n').length - 1),
        );
      if (c.upstream !== null && c.upstreamLine !== null)
        expect(c.upstream, `${c.qualname} in the installed file`).toBe(
          linesAt(installed, c.upstreamLine, c.upstream.split('\n').length - 1),
        );
    }
  }
};

const plan = (diff: string, python: string, extra: { strip?: number; cwd?: string } = {}) =>
  planFromDiff({ diff, python, cwd: extra.cwd ?? REAL, strip: extra.strip });

describe.skipIf(!debian3112)("CPython 3.11.3-3.11.7 fixes against Debian's python3.11 stdlib", () => {
  it('urllib.parse: constants as module code, a helper removed, urlsplit replaced', async () => {
    const diff = await fixture('cpython-3.11.2-3.11.7-urllib-parse.diff');
    const result = await plan(diff, DEBIAN);
    expect(summary(result)).toEqual({
      modules: [
        [
          'urllib.parse',
          false,
          [
            ['module-code', ['uses_relative', 'uses_netloc', 'uses_params', 'uses_query'], []],
            ['remove', '_check_bracketed_netloc'],
            ['replace', 'urlsplit'],
          ],
        ],
      ],
      hunks: [['module-code'], ['module-code'], ['remove'], ['replace']],
    });
    expect(result.warnings).toEqual([]);
    await expectVerbatim(result, () => diff);
  });

  it('ipaddress: class-body constants take an overlay, properties are replaced, __reduce__ added', async () => {
    const diff = await fixture('cpython-3.11.2-3.11.7-ipaddress.diff');
    const result = await plan(diff, DEBIAN);
    expect(summary(result)).toEqual({
      modules: [
        [
          'ipaddress',
          false,
          [
            [
              'overlay',
              'class body of _IPv4Constants changed (_private_networks = [); class body of _IPv6Constants changed (_private_networks = [)',
            ],
            ['replace', '_BaseNetwork.is_private'],
            ['replace', 'IPv4Address.is_private'],
            ['replace', 'IPv4Address.is_global'],
            ['add', 'IPv6Address.__reduce__'],
            ['replace', 'IPv6Address.is_private'],
            ['replace', 'IPv6Address.is_global'],
          ],
        ],
      ],
      hunks: [['replace'], ['replace'], ['overlay'], ['overlay'], ['add'], ['replace'], ['overlay']],
    });
    const reduce = result.modules[0].changes.find((c) => c.mechanism === 'add');
    expect(reduce).toMatchObject({ kind: 'method', classes: [{ name: 'IPv6Address', indent: '' }], upstream: null });
    await expectVerbatim(result, () => diff);
  });

  it('collections and pdb: one hunk adding and replacing, helpers moved into a class', async () => {
    const collections = await fixture('cpython-3.11.2-3.11.7-collections.diff');
    const a = await plan(collections, DEBIAN);
    expect(summary(a)).toEqual({
      modules: [
        [
          'collections',
          false,
          [
            ['add', 'OrderedDict.__new__'],
            ['replace', 'OrderedDict.__init__'],
          ],
        ],
      ],
      hunks: [['add', 'replace']],
    });
    await expectVerbatim(a, () => collections);
    const pdb = await fixture('cpython-3.11.2-3.11.7-pdb.diff');
    const b = await plan(pdb, DEBIAN);
    const changes = b.modules[0].changes.map((c) => [c.mechanism, 'qualname' in c ? c.qualname : '']);
    expect(changes.filter(([m]) => m !== 'replace')).toEqual([
      ['remove', 'getsourcelines'],
      ['add', 'Pdb._safe_repr'],
      ['add', 'Pdb._format_exc'],
      ['add', 'Pdb._getsourcelines'],
    ]);
    expect(changes.filter(([m]) => m === 'replace')).toHaveLength(10);
    await expectVerbatim(b, () => pdb);
  });
});

describe.skipIf(!debian3112)('doctest: a private method', () => {
  it('is planned under its qualname and stored under its mangled attribute name', async () => {
    const result = await plan(await fixture('cpython-3.11.2-3.11.7-doctest.diff'), DEBIAN);
    const changes = result.modules[0].changes.map((c) => c.mechanism === 'replace' && [c.qualname, c.attribute]);
    expect(changes).toEqual([
      ['DocTest.__lt__', '__lt__'],
      ['DocTestFinder._find_lineno', '_find_lineno'],
      ['DocTestRunner.__run', '_DocTestRunner__run'],
    ]);
  });
});

describe.skipIf(!debian3112)("enum's metaclass methods (Debian 3.11.2 to 3.11.7)", () => {
  it('a changed method of a metaclass the module uses takes an overlay: it ran when the enums were created', async () => {
    const result = await plan(await fixture('cpython-3.11.2-3.11.7-enum.diff'), DEBIAN);
    const overlay = result.modules[0].changes.find((c) => c.mechanism === 'overlay');
    expect(overlay?.mechanism === 'overlay' && overlay.reason.split('; ').slice(0, 2)).toEqual([
      'EnumType is the metaclass of classes the module creates at import: EnumType.__new__ may have run then',
      'EnumType is the metaclass of classes the module creates at import: EnumType._create_ may have run then',
    ]);
    expect(result.hunks.filter((h) => h.mechanisms.includes('overlay'))).toHaveLength(14);
  });
});

describe.skipIf(!pyenv3117)('CPython 3.12 changes against pyenv 3.11.7', () => {
  it('types: a new function would be missing from __all__, which globals() builds at import', async () => {
    const result = await plan(await fixture('cpython-3.11.7-3.12.1-types.diff'), PYENV311);
    const [change] = result.modules[0].changes;
    expect(change.mechanism === 'overlay' && change.reason.split('; ')[0]).toBe(
      "new get_original_bases would be missing from what line 333 reads of the module's namespace (globals())",
    );
    expect(result.hunks.map((h) => h.mechanisms)).toEqual([['overlay'], ['overlay']]);
  });

  it('secrets: a removed import is deleted by the module code, token_hex replaced', async () => {
    const diff = await fixture('cpython-3.11.7-3.12.1-secrets.diff');
    const result = await plan(diff, PYENV311);
    expect(summary(result)).toEqual({
      modules: [
        [
          'secrets',
          false,
          [
            ['module-code', [], ['binascii']],
            ['replace', 'token_hex'],
          ],
        ],
      ],
      hunks: [['module-code'], ['replace']],
    });
    await expectVerbatim(result, () => diff);
  });

  it('keyword and copyreg: what code at import reads or calls takes an overlay', async () => {
    const keyword = await plan(await fixture('cpython-3.11.7-3.12.1-keyword.diff'), PYENV311);
    expect(summary(keyword).modules).toEqual([
      ['keyword', false, [['overlay', 'softkwlist (line 56) is used at import time (line 64)']]],
    ]);
    const copyreg = await plan(await fixture('cpython-3.11.7-3.12.1-copyreg.diff'), PYENV311);
    expect(summary(copyreg).modules).toEqual([
      [
        'copyreg',
        false,
        [
          [
            'overlay',
            'new pickle_complex is used at import time (line 31); line 31: a call run at import (pickle(complex, pickle_complex, complex)); installed line 28 removed: try block run at import (try:)',
          ],
        ],
      ],
    ]);
  });

  it('tty: __all__ as module code, new functions added, changed ones replaced in a shared hunk', async () => {
    const diff = await fixture('cpython-3.11.7-3.12.1-tty.diff');
    const result = await plan(diff, PYENV311);
    expect(summary(result)).toEqual({
      modules: [
        [
          'tty',
          false,
          [
            ['module-code', ['__all__'], []],
            ['add', 'cfmakeraw'],
            ['add', 'cfmakecbreak'],
            ['replace', 'setraw'],
            ['replace', 'setcbreak'],
          ],
        ],
      ],
      hunks: [['module-code'], ['add', 'replace']],
    });
    await expectVerbatim(result, () => diff);
  });

  it('a start-up module: no overlay possible, said as a warning; module code and adds still planned', async () => {
    const posix = await plan(await fixture('cpython-3.11.7-3.12.1-posixpath.diff'), PYENV311);
    expect(posix.modules.map((m) => [m.module, m.alreadyImported])).toEqual([['posixpath', true]]);
    expect(posix.hunks.map((h) => h.mechanisms)).toEqual([
      ['module-code'],
      ['add'],
      ['overlay'],
      ['overlay'],
      ['overlay'],
    ]);
    expect(posix.warnings).toEqual([
      "posixpath needs an overlay (removed islink may be bound again by the star import at line 29), but it is imported at interpreter start-up, before the bundle's loader runs: hunks 2, 3, 4 cannot be applied",
    ]);
    const generic = await plan(await fixture('cpython-3.11.7-3.12.1-genericpath.diff'), PYENV311);
    expect(summary(generic).modules).toEqual([
      [
        'genericpath',
        true,
        [
          ['module-code', ['__all__'], []],
          ['add', 'islink'],
        ],
      ],
    ]);
    expect(generic.warnings).toEqual([]);
  });

  it('a new file ships as a module of its package; a deleted file is a warning', async () => {
    const result = await plan(await fixture('cpython-3.11.7-3.12.1-new-and-deleted-files.diff'), PYENV311);
    expect(summary(result)).toEqual({
      modules: [
        ['asynchat', false, []],
        ['sqlite3.__main__', false, [['new-file', 'sqlite3/__main__.py']]],
      ],
      hunks: [[], ['new-file']],
    });
    const created = result.modules[1].changes[0];
    const shipped = await readFile(
      `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/3.12.1/lib/python3.12/sqlite3/__main__.py`,
      'utf8',
    ).catch(() => null);
    if (shipped !== null) expect(created.mechanism === 'new-file' && created.source).toBe(shipped);
    expect(result.warnings).toEqual([
      'a/Lib/asynchat.py: the diff deletes asynchat; it stays installed and importable (a bundle does not delete installed files)',
    ]);
  });

  it('a hunk that does not apply: ValidationError (exit 2) naming file and hunk, nothing written', async () => {
    // The 3.11.7 fix is already in pyenv's 3.11.7: its old lines are not there.
    const cwd = await tempDir('patchkit-plan-cwd-');
    try {
      const diff = await fixture('cpython-3.11.2-3.11.7-urllib-parse.diff');
      const error = await plan(diff, PYENV311, { cwd }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).exitCode).toBe(2);
      expect((error as ValidationError).message).toMatch(
        /^b\/Lib\/urllib\/parse\.py: hunk 1 \(diff hunk #0\) "@@ -52,18 \+52,18 @@" does not apply: line 55 is " {17}'prospero', 'rtsp', 'rtsps', 'rtspu', 'sftp',", the diff expects " {17}'prospero', 'rtsp', 'rtspu', 'sftp',", and its lines appear nowhere else after the previous hunk$/,
      );
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!wrapt)("wrapt commits (git format-patch) against Debian's python3-wrapt 1.14.1", () => {
  it('decorators removed take an overlay; the now unused import is deleted; find_spec replaced', async () => {
    const mail = await fixture('wrapt-c5173c9-post-import-hook-threading.patch');
    const result = await plan(mail, DEBIAN);
    expect(summary(result)).toEqual({
      modules: [
        [
          'wrapt.importer',
          false,
          [
            [
              'overlay',
              'decorators of register_post_import_hook changed; decorators of notify_module_loaded changed; decorators of ImportHookFinder.find_module changed',
            ],
            ['module-code', [], ['synchronized']],
            ['replace', 'ImportHookFinder.find_spec'],
          ],
        ],
      ],
      hunks: [['module-code'], ['overlay'], ['overlay'], ['overlay'], ['overlay'], ['replace']],
    });
    expect(result.modules[0].path).toBe(join(WRAPT, 'importer.py'));
    await expectVerbatim(result, () => mail);
  });

  it('context that moved applies where it is unique, with a warning; --strip', async () => {
    const mail = await fixture('wrapt-4e09f7a-self-keyword.patch');
    const result = await plan(mail, DEBIAN);
    expect(summary(result).modules).toEqual([
      [
        'wrapt.wrappers',
        false,
        [
          ['replace', '_FunctionWrapperBase.__call__'],
          ['replace', 'BoundFunctionWrapper.__call__'],
        ],
      ],
    ]);
    expect(result.hunks.map((h) => [h.oldStart, h.appliedOldStart])).toEqual([
      [559, 544],
      [622, 607],
    ]);
    expect(result.warnings[0]).toMatch(
      /hunk 1 "@@ -559,7 \+559,12 @@ class _FunctionWrapperBase\(ObjectProxy\):" applied 15 line\(s\) earlier/,
    );
    await expectVerbatim(result, () => mail);
    // a/src/wrapt/wrappers.py: -p2 leaves wrapt/wrappers.py, -p1 src/wrapt/wrappers.py (no such module).
    expect(summary(await plan(mail, DEBIAN, { strip: 2 }))).toEqual(summary(result));
    const wrong = await plan(mail, DEBIAN, { strip: 1 }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ValidationError);
    expect((wrong as Error).message).toBe(
      'a/src/wrapt/wrappers.py: no installed module of this interpreter has this path (after --strip 1)',
    );
  });

  it('one diff touching two packages (a format-patch mail and a stdlib diff -u, concatenated)', async () => {
    const mail = await fixture('wrapt-4e09f7a-self-keyword.patch');
    const stdlib = await fixture('cpython-3.11.2-3.11.7-urllib-parse.diff');
    const result = await plan(`${mail}\n${stdlib}`, DEBIAN);
    expect(result.modules.map((m) => [m.module, m.path])).toEqual([
      ['wrapt.wrappers', join(WRAPT, 'wrappers.py')],
      ['urllib.parse', join(DEBIAN_STDLIB, 'urllib', 'parse.py')],
    ]);
    expect(result.hunks.map((h) => [h.index, h.module, h.mechanisms])).toEqual([
      [0, 'wrapt.wrappers', ['replace']],
      [1, 'wrapt.wrappers', ['replace']],
      [2, 'urllib.parse', ['module-code']],
      [3, 'urllib.parse', ['module-code']],
      [4, 'urllib.parse', ['remove']],
      [5, 'urllib.parse', ['replace']],
    ]);
    await expectVerbatim(result, (module) => (module === 'urllib.parse' ? stdlib : mail));
    expect(planSummary(result).split('\n').slice(0, 8)).toEqual([
      `wrapt.wrappers  ${join(WRAPT, 'wrappers.py')}`,
      '  replace     _FunctionWrapperBase.__call__ (method)  [hunk 0]',
      '  replace     BoundFunctionWrapper.__call__ (method)  [hunk 1]',
      `urllib.parse  ${join(DEBIAN_STDLIB, 'urllib', 'parse.py')}`,
      '  module-code module code (binds uses_relative, uses_netloc, uses_params, uses_query)  [hunks 2, 3]',
      '  remove      _check_bracketed_netloc (function)  [hunk 4]',
      '  replace     urlsplit (function)  [hunk 5]',
      '',
    ]);
    expect(planSummary(result)).toContain('6 hunks in 2 modules: replace 3, module-code 2, remove 1\n');
  });
});

describe('matching diff paths to installed modules', () => {
  it('takes the copy Python imports, warns on a suspicious suffix match, names an unmatched file', async () => {
    const { makeVenv } = await import('../helpers/python.js');
    const { mkdir } = await import('node:fs/promises');
    const venv = await makeVenv({ python: existsSync(PYENV311) ? PYENV311 : undefined });
    const early = await tempDir('patchkit-shadow-');
    try {
      for (const root of [venv.sitePackages, early]) {
        await mkdir(join(root, 'shadowed'), { recursive: true });
        await writeFile(join(root, 'shadowed', '__init__.py'), '');
        await writeFile(join(root, 'shadowed', 'core.py'), 'def f():\n    return 1\n');
      }
      await writeFile(join(venv.sitePackages, 'helpers.py'), 'def g():\n    return 1\n');
      const change = (path: string, name: string) =>
        `--- a/${path}\n+++ b/${path}\n@@ -1,2 +1,2 @@\n def ${name}():\n-    return 1\n+    return 2\n`;
      const env = { ...process.env, PYTHONPATH: early };
      const shadow = await planFromDiff({
        diff: change('src/shadowed/core.py', 'f'),
        python: venv.python,
        cwd: early,
        env,
      });
      expect(shadow.modules.map((m) => [m.module, m.path])).toEqual([
        ['shadowed.core', join(early, 'shadowed', 'core.py')],
      ]);
      expect(shadow.warnings).toEqual([]);
      const suspicious = await planFromDiff({
        diff: change('otherpkg/helpers.py', 'g'),
        python: venv.python,
        cwd: early,
      });
      expect(suspicious.modules.map((m) => m.module)).toEqual(['helpers']);
      expect(suspicious.warnings).toEqual([
        `a/otherpkg/helpers.py: matched helpers (${join(venv.sitePackages, 'helpers.py')}) by its last 1 path part(s); otherpkg/ is not part of an installed package name — pass --strip if that is wrong`,
      ]);
      const missing = await planFromDiff({
        diff: change('nowhere/gone.py', 'g'),
        python: venv.python,
        cwd: early,
      }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ValidationError);
      expect((missing as Error).message).toBe(
        'a/nowhere/gone.py: no installed module of this interpreter has this path (or any suffix of it)',
      );
    } finally {
      await venv.remove();
      await rm(early, { recursive: true, force: true });
    }
  });
});
