/**
 * A package released three times (test/fixtures/release/v1..v3), installed into a throw-away venv
 * with a dist-info carrying each version: `check` names each kind of change and exits 1 only for
 * what a target depends on; `update` carries the user's wrapper code and replacement edits across
 * v1 → v2 → v3, merging upstream's changes, and stops at the conflict.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, runPython, tempDir, type Venv } from '../helpers/python.js';

const RELEASES = fileURLToPath(new URL('../fixtures/release/', import.meta.url));
const target = (q: string) => ['--target', `relpkg.core:${q}`];

let venv: Venv;
let out: string;
const bundle = (name: string) => join(out, name);
const core = (name: string) => join(out, name, `${name}_patch_core.py`);

const installRelease = async (version: 1 | 2 | 3) => {
  await rm(join(venv.sitePackages, 'relpkg'), { recursive: true, force: true });
  for (const v of [1, 2, 3])
    await rm(join(venv.sitePackages, `relpkg-${v}.0.dist-info`), { recursive: true, force: true });
  await cp(join(RELEASES, `v${version}`, 'relpkg'), join(venv.sitePackages, 'relpkg'), { recursive: true });
  const info = join(venv.sitePackages, `relpkg-${version}.0.dist-info`);
  await mkdir(info, { recursive: true });
  await writeFile(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: relpkg\nVersion: ${version}.0\n\n`);
  await writeFile(join(info, 'top_level.txt'), 'relpkg\n');
};

const make = async (name: string, args: string[]) => {
  const r = await patchkit(['new', name, ...args, '--python', venv.python, '--out', out]);
  expect(r.exitCode, r.stderr).toBe(0);
};

const check = async (name: string) => {
  const r = await patchkit(['check', bundle(name), '--python', venv.python, '--json', '--no-cache']);
  expect(r.exitCode === 0 || r.exitCode === 1, r.stderr).toBe(true);
  const data = JSON.parse(r.stdout) as {
    newVersion: string;
    targets: { key: string; status: string; matters: boolean; diff?: string; closest?: string[] }[];
  };
  const by = Object.fromEntries(data.targets.map((t) => [t.key.split(':')[1], t]));
  return {
    exitCode: r.exitCode,
    data,
    by,
    statuses: Object.fromEntries(Object.entries(by).map(([k, t]) => [k, t.status])),
  };
};

const update = (name: string, ...extra: string[]) =>
  patchkit(['update', bundle(name), '--python', venv.python, '--no-cache', ...extra]);

/** Installs a bundle into the venv (`--force` replaces an installed copy). */
const install = async (name: string, ...extra: string[]) => {
  const r = await patchkit(['install', bundle(name), '--python', venv.python, ...extra]);
  expect(r.exitCode, r.stderr).toBe(0);
};

/** What `code` prints in the venv; the process must write nothing on stderr (no warning). */
const printed = async (code: string) => {
  const r = await runPython(venv.python, ['-c', code]);
  expect(r.stderr).toBe('');
  return r.stdout.trim();
};

/** Replaces `from` by `to` inside the text of one wrapper factory of a core, nowhere else. */
const editFactory = async (name: string, factory: string, from: string, to: string) => {
  const text = await readFile(core(name), 'utf8');
  const start = text.indexOf(`def ${factory}(`);
  const end = text.indexOf('\n\n\ndef ', start) >= 0 ? text.indexOf('\n\n\n', start) : text.length;
  const edited = text.slice(start, end).replace(from, to);
  expect(edited).not.toBe(text.slice(start, end));
  await writeFile(core(name), text.slice(0, start) + edited + text.slice(end));
};

const WRAPPED = ['moved', 'commented', 'reformatted', 'widened', 'wrapped_body'];

beforeAll(async () => {
  venv = await makeVenv();
  out = await tempDir('patchkit-release-');
  await installRelease(1);
  // Every kind of change a wrapper can meet, the method and class that go away included.
  await make('wrapall', [...WRAPPED, 'Engine.stop', 'Old.run'].flatMap(target));
  // What a wrapper does not depend on: moved, comments and formatting of the signature, the body.
  await make('quiet', ['moved', 'commented', 'reformatted', 'wrapped_body'].flatMap(target));
  await make('wraps', WRAPPED.flatMap(target));
  await make('repl', ['--body', 'replace', ...target('merged'), ...target('conflicted')]);
  // Two class-body hunks of Engine (an overlay): release 2 moves the first and removes the second's context.
  await make('overlay', ['--from-diff', join(RELEASES, 'engine-overlay.patch')]);
  const fresh = await check('overlay');
  expect([fresh.exitCode, fresh.statuses['<overlay>']]).toEqual([0, 'unchanged']);
  // A module constant (module code) above the first function, a field in Engine's body (an overlay).
  await make('modcode', ['--from-diff', join(RELEASES, 'module-code.patch')]);
  const made = await check('modcode');
  expect([made.exitCode, made.statuses]).toEqual([0, { '<module code>': 'unchanged', '<overlay>': 'unchanged' }]);
  // The user's edits: a wrapper that adds 1000, two replacement bodies.
  await editFactory('wraps', '_wrap_3_widened', '        return result\n', '        return result + 1000\n');
  const repl = await readFile(core('repl'), 'utf8');
  await writeFile(
    core('repl'),
    repl
      .replace('    return total\n', '    return total * 10\n')
      .replace('    return value\n', '    return value + 100\n'),
  );
  const modcode = await readFile(core('modcode'), 'utf8');
  expect(modcode).toContain('\nLIMIT = 5\n');
  await writeFile(core('modcode'), modcode.replace('\nLIMIT = 5\n', '\nLIMIT = 7\n'));
}, 120_000);
afterAll(async () => {
  await venv?.remove();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('check across releases', () => {
  it('reports each change as its kind; only what a target depends on exits 1', async () => {
    await installRelease(2);
    const all = await check('wrapall');
    expect(all.statuses).toEqual({
      moved: 'moved',
      commented: 'format',
      reformatted: 'format',
      widened: 'signature',
      wrapped_body: 'body',
      'Engine.stop': 'missing',
      'Old.run': 'missing',
    });
    expect(all.exitCode).toBe(1);
    expect(all.data.newVersion).toBe('2.0');
    // The renamed class: the closest names, as `new` gives them, lead to its new name.
    expect(all.by['Old.run'].closest?.[0]).toBe('relpkg.core:New.run');
    expect(all.by.wrapped_body.diff).toContain('-    return a * 2\n+    return a + a\n');

    const quiet = await check('quiet');
    expect(quiet.exitCode).toBe(0);
    expect(Object.values(quiet.by).every((t) => !t.matters)).toBe(true);

    const repl = await check('repl');
    expect(repl.statuses).toEqual({ merged: 'upstream', conflicted: 'moved' });
    expect(repl.exitCode).toBe(1);
    expect(repl.by.merged.diff).toContain('-    """Adds one."""\n+    """Adds one (release 2)."""\n');

    const text = await patchkit(['check', bundle('wrapall'), '--python', venv.python]);
    expect(text.stdout).toContain('  signature relpkg.core:widened\n');
    expect(text.stdout).toContain('    old (a)\n    new (a, *, scale=1)\n');
    expect(text.stdout).toContain('    closest: relpkg.core:New.run');
  });

  it('an overlay hunk: whether it still applies to the new source, and where', async () => {
    const c = await check('overlay');
    expect(c.exitCode).toBe(1);
    expect(c.statuses['<overlay>']).toBe('upstream');
    const hunks = (c.by['<overlay>'] as unknown as { hunks: { applies: boolean; line?: number; offset?: number }[] })
      .hunks;
    expect(hunks.map((h) => [h.applies, h.line, h.offset])).toEqual([
      [true, 45, 8],
      [false, undefined, undefined],
    ]);
    const text = await patchkit(['check', bundle('overlay'), '--python', venv.python]);
    expect(text.stdout).toContain('    hunk #0 @@ -37,4 +37,6 @@ applies at line 45 (+8 lines)\n');
    expect(text.stdout).toContain('    hunk #1 @@ -43,4 +45,6 @@ no longer applies: ');
  });

  it('a new module: current while upstream has none of that name, `exists` once it has', async () => {
    await make('newmod', ['--from-diff', join(RELEASES, 'new-module.patch')]);
    expect((await check('newmod')).statuses).toEqual({ '<new module>': 'unchanged' });
    const dir = await tempDir('patchkit-release-newmod-');
    try {
      await cp(join(RELEASES, 'v2', 'relpkg'), join(dir, 'relpkg'), { recursive: true });
      await writeFile(join(dir, 'relpkg', 'extra.py'), 'VALUE = 1\n');
      const r = await patchkit(['check', bundle('newmod'), '--source', dir, '--json', '--no-cache']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect((JSON.parse(r.stdout) as { targets: { status: string }[] }).targets[0].status).toBe('exists');
      const u = await patchkit(['update', bundle('newmod'), '--source', dir, '--no-cache']);
      expect(u.exitCode, u.stderr).toBe(1);
      expect(u.stdout).toContain('  kept        relpkg.extra:<new module> (new-module, exists)\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--source reads the version from the tree and judges the same way', async () => {
    const dir = await tempDir('patchkit-release-src-');
    try {
      await cp(join(RELEASES, 'v2', 'relpkg'), join(dir, 'relpkg'), { recursive: true });
      await writeFile(join(dir, 'pyproject.toml'), '[project]\nname = "relpkg"\nversion = "2.0rc1"\n');
      const r = await patchkit(['check', bundle('quiet'), '--source', dir, '--json', '--no-cache']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { newVersion: string }).newVersion).toBe('2.0rc1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('update across releases', () => {
  it('leaves a target that is gone as it was, with the closest names, and exits 1', async () => {
    const before = await readFile(join(bundle('wrapall'), 'patchkit.json'), 'utf8');
    const r = await update('wrapall', '--json', '--dry-run');
    expect(r.exitCode, r.stderr).toBe(1);
    const data = JSON.parse(r.stdout) as { unresolved: string[]; targets: { key: string; action: string }[] };
    expect(data.unresolved).toEqual(['relpkg.core:Engine.stop', 'relpkg.core:Old.run']);
    expect(await readFile(join(bundle('wrapall'), 'patchkit.json'), 'utf8')).toBe(before);
  });

  it('--drop: a target the review gives up leaves the manifest and TARGETS; its wrapper factory stays; check then exits 0', async () => {
    const unknown = await update('wrapall', '--drop', 'relpkg.core:nothing');
    expect([unknown.exitCode, unknown.stderr]).toEqual([2, expect.stringContaining('not a target of wrapall')]);
    const coreBefore = await readFile(core('wrapall'), 'utf8');
    const r = await update('wrapall', '--drop', 'relpkg.core:Engine.stop', '--drop', 'relpkg.core:Old.run');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('  dropped     relpkg.core:Engine.stop (wrap, missing)\n');
    const after = await readFile(core('wrapall'), 'utf8');
    expect(after).not.toContain("'relpkg.core:Engine.stop': ");
    expect(after).not.toContain("'relpkg.core:Old.run': ");
    // Only the two TARGETS lines went; every factory is still there.
    expect(after.split('\n').length).toBe(coreBefore.split('\n').length - 2);
    const manifest = JSON.parse(await readFile(join(bundle('wrapall'), 'patchkit.json'), 'utf8')) as {
      targets: { qualname: string }[];
    };
    expect(manifest.targets.map((t) => t.qualname)).toEqual(WRAPPED);
    expect((await check('wrapall')).exitCode).toBe(0);
  });

  it('v1 → v2: --dry-run writes nothing; update keeps wrapper code byte for byte, merges replacements, then check exits 0 and no process warns', async () => {
    const coreBefore = await readFile(core('wraps'), 'utf8');
    const manifestBefore = await readFile(join(bundle('wraps'), 'patchkit.json'), 'utf8');
    const dry = await update('wraps', '--dry-run');
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('-    "version": "1.0"\n+    "version": "2.0"\n');
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(await readFile(join(bundle('wraps'), 'patchkit.json'), 'utf8')).toBe(manifestBefore);

    const wraps = await update('wraps');
    expect(wraps.exitCode, wraps.stdout + wraps.stderr).toBe(0);
    expect(wraps.stdout).toContain('re-resolved relpkg.core:widened (wrap, signature)');
    expect(await readFile(core('wraps'), 'utf8')).toBe(coreBefore);

    const replBefore = await readFile(core('repl'), 'utf8');
    const repl = await update('repl');
    expect(repl.exitCode, repl.stdout + repl.stderr).toBe(0);
    expect(repl.stdout).toContain('merged      relpkg.core:merged (replace, upstream)');
    const merged = await readFile(core('repl'), 'utf8');
    expect(merged).toContain('    """Adds one (release 2)."""\n    total = a\n');
    expect(merged).toContain('    return total * 10\n');
    expect(merged).toContain('    return value + 100\n');
    // Outside the merged definitions the core is what it was.
    const head = (t: string) => t.slice(0, t.indexOf('# >>> patchkit: definitions in'));
    expect(head(merged)).toBe(head(replBefore));
    // The core is still the user's after update: `new --force` refuses to overwrite it, and `list` says so.
    const forced = await patchkit([
      'new',
      'repl',
      '--body',
      'replace',
      ...target('merged'),
      '--python',
      venv.python,
      '--out',
      out,
      '--force',
    ]);
    expect(forced.exitCode, forced.stderr).toBe(2);
    expect(await readFile(core('repl'), 'utf8')).toBe(merged);

    for (const name of ['wraps', 'repl']) {
      const c = await check(name);
      expect(c.exitCode, JSON.stringify(c.statuses)).toBe(0);
      const installed = await patchkit(['install', bundle(name), '--python', venv.python]);
      expect(installed.exitCode, installed.stderr).toBe(0);
    }
    const ran = await runPython(venv.python, [
      '-c',
      'import relpkg.core as c; print(c.widened(2, scale=3), c.merged(1), c.conflicted(1))',
    ]);
    expect(ran.stderr).toBe('');
    expect(ran.stdout.trim()).toBe('1006 20 101');
  }, 120_000);

  it('v1 → v2: module code and an overlay made from a diff: hunks moved or merged, the core as the user left it, then check exits 0', async () => {
    const before = await readFile(core('modcode'), 'utf8');
    const drift = await check('modcode');
    // The module code's context (the docstring) changed; the overlay's lines moved down with `newcomer`.
    expect([drift.exitCode, drift.statuses]).toEqual([1, { '<module code>': 'upstream', '<overlay>': 'moved' }]);
    const r = await update('modcode', '--json');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as { targets: { key: string; action: string; note?: string }[] };
    expect(Object.fromEntries(data.targets.map((t) => [t.key, t.action]))).toEqual({
      'relpkg.core:<module code>': 'merged',
      'relpkg.core:<overlay>': 're-resolved',
    });
    const notes = Object.fromEntries(data.targets.map((t) => [t.key, t.note]));
    expect(notes['relpkg.core:<overlay>']).toBe('hunk #1 moved +8 lines');
    expect(notes['relpkg.core:<module code>']).toMatch(/^hunk #0 merged with upstream's change at line \d+$/);
    expect(await readFile(core('modcode'), 'utf8')).toBe(before);
    const manifest = JSON.parse(await readFile(join(bundle('modcode'), 'patchkit.json'), 'utf8')) as {
      targets: { qualname: string; hunks: { oldStart: number; lines: string[] }[] }[];
    };
    const hunks = Object.fromEntries(manifest.targets.map((t) => [t.qualname, t.hunks]));
    // Re-based on release 2's lines: the insertion after the blank lines that follow `newcomer`.
    expect(hunks['<module code>'][0].lines).toContain('+LIMIT = 5');
    expect(hunks['<module code>'][0].lines).toContain(' def moved(a, b):');
    expect(hunks['<overlay>'][0].oldStart).toBe(44);
    const overlay = await readFile(join(bundle('modcode'), 'modcode_patch_overlay.py'), 'utf8');
    expect(overlay).toContain('(44, 6, 46, 7,');
    const c = await check('modcode');
    expect([c.exitCode, c.statuses]).toEqual([0, { '<module code>': 'unchanged', '<overlay>': 'unchanged' }]);
    await install('modcode');
    expect(
      await printed('import relpkg.core as c; print(c.LIMIT, c.Engine.speed, c.newcomer(), c.Engine().start())'),
    ).toBe('7 1 None started');
  }, 120_000);

  it('an overlay hunk whose lines upstream removed is left as it was, both sides shown, exit 1', async () => {
    const before = await readFile(join(bundle('overlay'), 'patchkit.json'), 'utf8');
    const r = await update('overlay');
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain('  conflict    relpkg.core:<overlay> (overlay, upstream)\n');
    expect(r.stdout).toContain('hunk #1: its lines are nowhere in the new source');
    expect(r.stdout).toContain('1 target(s) left as they were: relpkg.core:<overlay>');
    const after = JSON.parse(await readFile(join(bundle('overlay'), 'patchkit.json'), 'utf8')) as {
      targets: { hunks: unknown }[];
    };
    expect(after.targets[0].hunks).toEqual((JSON.parse(before) as { targets: { hunks: unknown }[] }).targets[0].hunks);
    expect((await check('overlay')).exitCode).toBe(1);
  }, 120_000);

  it('v2 → v3: the clean merge carries both edits, the conflict is marked, listed, exit 1, and install refuses', async () => {
    await installRelease(3);
    const r = await update('repl', '--json');
    expect(r.exitCode, r.stderr).toBe(1);
    const data = JSON.parse(r.stdout) as { conflicts: string[]; targets: { key: string; action: string }[] };
    expect(data.conflicts).toEqual(['relpkg.core:conflicted']);
    expect(Object.fromEntries(data.targets.map((t) => [t.key, t.action]))).toEqual({
      'relpkg.core:merged': 'merged',
      'relpkg.core:conflicted': 'conflict',
    });
    const text = await readFile(core('repl'), 'utf8');
    expect(text).toContain('    """Adds one (release 2)."""\n    total = int(a)\n');
    expect(text).toContain('    return total * 10\n');
    expect(text).toContain(
      '<<<<<<< repl_patch_core.py (your version)\n    return value + 100\n=======\n    return -value\n>>>>>>> upstream 3.0\n',
    );
    // check agrees with upstream now, and still fails on the markers.
    const marked = await patchkit(['check', bundle('repl'), '--python', venv.python]);
    expect(marked.exitCode).toBe(1);
    expect(marked.stdout).toContain('the core holds 1 unresolved merge conflict(s)');
    const refused = await patchkit(['install', bundle('repl'), '--python', venv.python, '--force']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('holds 1 unresolved merge conflict(s)');

    // Resolved by hand: the bundle installs, and the process runs the user's choice without a warning.
    await writeFile(
      core('repl'),
      text.replace(
        /<<<<<<< .*\n {4}return value \+ 100\n=======\n {4}return -value\n>>>>>>> .*\n/,
        '    return -value - 100\n',
      ),
    );
    const wraps = await update('wraps');
    expect(wraps.exitCode, wraps.stdout).toBe(0);
    for (const name of ['wraps', 'repl']) {
      expect((await check(name)).exitCode).toBe(0);
      const installed = await patchkit(['install', bundle(name), '--python', venv.python, '--force']);
      expect(installed.exitCode, installed.stderr).toBe(0);
    }
    const ran = await runPython(venv.python, [
      '-c',
      'import relpkg.core as c; print(c.widened(2, scale=3), c.merged("1"), c.conflicted(1))',
    ]);
    expect(ran.stderr).toBe('');
    expect(ran.stdout.trim()).toBe('1006 20 -101');

    // Release 3 changed the docstring again, outside both hunks now: both are where they were.
    const modcode = await update('modcode', '--json');
    expect(modcode.exitCode, modcode.stdout).toBe(0);
    const actions = (JSON.parse(modcode.stdout) as { targets: { action: string }[] }).targets.map((t) => t.action);
    expect(actions).toEqual(['current', 'current']);
    expect((await check('modcode')).exitCode).toBe(0);
    await install('modcode', '--force');
    expect(await printed('import relpkg.core as c; print(c.LIMIT, c.Engine.speed)')).toBe('7 1');

    // Dropping the overlay: the overlay module leaves the bundle, the process runs without the field.
    const dropped = await update('modcode', '--drop', 'relpkg.core:<overlay>');
    expect(dropped.exitCode, dropped.stdout + dropped.stderr).toBe(0);
    await expect(readFile(join(bundle('modcode'), 'modcode_patch_overlay.py'))).rejects.toThrow();
    const listed = JSON.parse(await readFile(join(bundle('modcode'), 'patchkit.json'), 'utf8')) as { files: string[] };
    expect(listed.files).not.toContain('modcode_patch_overlay.py');
    expect((await check('modcode')).exitCode).toBe(0);
    await install('modcode', '--force');
    expect(await printed('import relpkg.core as c; print(c.LIMIT, hasattr(c.Engine, "speed"))')).toBe('7 False');
  }, 120_000);
});
