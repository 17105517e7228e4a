/**
 * update on two real SGLang snapshots: a bundle made against the release/v0.5.15 commit slime builds
 * on (1bee78dc, in both mirrors) is checked and updated against bytedance-iaas/sglang's HEAD, whose
 * sampler.py changed bodies, a signature and lines. Wrappers of every sampler function that still
 * exists, and replaced bodies that the user edited (a comment line after each header). Each clean
 * merge must compile, the user's line must be in every merged definition, and `check` then exits 0.
 * The trees come from fetched mirrors (PATCHKIT_MIRRORS, default /work/.mirror); without them it skips.
 *
 * And a bundle made from a real source diff, THUDM/slime's docker/patch/latest/sglang.patch (84 hunks in
 * 27 files: replaced and added definitions, module code, overlays), with the user's line in every
 * replaced body: update carries it to the second tree, the reviewer resolves the conflicts and drops
 * what upstream removed, and `check` exits 0. Without the slime mirror that part skips.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDefinition } from '../../src/update/core-definition.js';
import { patchkit } from '../helpers/cli.js';
import { PYTHON, tempDir } from '../helpers/python.js';

const MIRRORS = process.env.PATCHKIT_MIRRORS ?? '/work/.mirror';
const SGLANG = join(MIRRORS, 'bytedance-iaas+sglang', 'repo');
const FIRST = '1bee78dc1142982d6bd140cff59c8c21d6c224f4';
const present = existsSync(SGLANG) && existsSync(join(MIRRORS, 'modal-projects+sglang', 'repo'));
const SLIME = join(MIRRORS, 'THUDM+slime', 'repo');
const SLIME_COMMIT = '624b824a898ab0ec1fcb4d373004c7f3852bf515';
const slimePresent = existsSync(SLIME);
const MODULE = 'sglang.srt.layers.sampler';
const WRAPPED = [
  'Sampler.__init__',
  'Sampler._preprocess_logits',
  'Sampler.forward',
  'Sampler._sample_from_probs',
  'Sampler.compute_logprobs_only',
  'create_sampler',
  'top_p_normalize_probs_torch',
];
const REPLACED = [
  'Sampler.forward',
  'Sampler._sample_from_probs',
  'Sampler.compute_logprobs_only',
  'create_sampler',
  'top_p_normalize_probs_torch',
];
const USER_LINE = '# user: reviewed for the patch';

/** The replaced targets of a bundle, from its manifest. */
const replacedOfBundle = async (dir: string) =>
  (
    JSON.parse(await readFile(join(dir, 'patchkit.json'), 'utf8')) as {
      targets: { module: string; qualname: string; upstream: string | null; how: string }[];
    }
  ).targets.filter((t) => t.how === 'replace');

/** The core with USER_LINE as the first line of each replaced definition's body. */
const withUserLine = (core: string, targets: { module: string; qualname: string; upstream: string | null }[]) => {
  let text = core;
  for (const t of targets) {
    const span = findDefinition(text, t.module, t.qualname, t.upstream);
    expect(span, t.qualname).not.toBeNull();
    const lines = text.split('\n');
    const header = lines.findIndex((l, i) => i >= (span?.start ?? 0) && /\)(\s*->.*)?:\s*(#.*)?$/.test(l));
    const indent = /^\s*/.exec(lines[header + 1])?.[0] ?? '    ';
    lines.splice(header + 1, 0, `${indent}${USER_LINE}`);
    text = lines.join('\n');
  }
  return text;
};

/** Each definition's text, dedented, written to `<prefix>-N.py` and compiled by CPython: the result of that run. */
const compileEach = async (definitions: string[], prefix: string) => {
  const files: string[] = [];
  for (const text of definitions) {
    const indent = /^\s*/.exec(text)?.[0] ?? '';
    const file = `${prefix}-${files.length}.py`;
    await writeFile(
      file,
      text
        .split('\n')
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n'),
    );
    files.push(file);
  }
  return execa(PYTHON, ['-c', 'import sys\nfor f in sys.argv[1:]: compile(open(f).read(), f, "exec")', ...files], {
    reject: false,
  });
};

const checkout = async (commit: string, into: string) => {
  await mkdir(into, { recursive: true });
  await execa('git', [`--git-dir=${SGLANG}`, 'archive', commit, 'python/sglang']).pipe('tar', [
    '-x',
    '-C',
    into,
    '--strip-components=1',
  ]);
};

describe.skipIf(!present)(
  `update from SGLang ${FIRST.slice(0, 9)} to bytedance-iaas HEAD (mirrors in ${MIRRORS})`,
  () => {
    let dir = '';
    const bundle = (name: string) => join(dir, 'bundles', name);
    const core = (name: string) => join(bundle(name), `${name}_patch_core.py`);
    const env = () => ({ ...process.env, PYTHONPATH: join(dir, 'first') });
    const replacedOf = (name: string) => replacedOfBundle(bundle(name));

    beforeAll(async () => {
      dir = await tempDir('patchkit-sglang-update-');
      await checkout(FIRST, join(dir, 'first'));
      await checkout('HEAD', join(dir, 'second'));
      for (const [name, targets, extra] of [
        ['sgwrap', WRAPPED, []],
        ['sgrepl', REPLACED, ['--body', 'replace']],
      ] as const) {
        const made = await patchkit(
          [
            'new',
            name,
            ...targets.flatMap((t) => ['--target', `${MODULE}:${t}`]),
            ...extra,
            '--python',
            PYTHON,
            '--out',
            join(dir, 'bundles'),
          ],
          { env: env(), cwd: dir },
        );
        expect(made.exitCode, made.stderr).toBe(0);
      }
      // The user's edit: a comment line at the top of each replaced body.
      const text = withUserLine(await readFile(core('sgrepl'), 'utf8'), await replacedOf('sgrepl'));
      await writeFile(core('sgrepl'), text);
      if (slimePresent) {
        const patch = await execa(
          'git',
          [`--git-dir=${SLIME}`, 'show', `${SLIME_COMMIT}:docker/patch/latest/sglang.patch`],
          {
            stripFinalNewline: false,
          },
        );
        await writeFile(join(dir, 'slime.patch'), patch.stdout);
        const made = await patchkit(
          ['new', 'sgdiff', '--from-diff', join(dir, 'slime.patch'), '--python', PYTHON, '--out', join(dir, 'bundles')],
          { env: env(), cwd: dir },
        );
        expect(made.exitCode, made.stderr).toBe(0);
        await writeFile(
          core('sgdiff'),
          withUserLine(await readFile(core('sgdiff'), 'utf8'), await replacedOf('sgdiff')),
        );
      }
    }, 600_000);
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('check names what changed, update carries the bundle, every clean merge compiles, check then exits 0 (conflicts resolved)', async () => {
      const before = await patchkit(['check', bundle('sgrepl'), '--source', join(dir, 'second'), '--json']);
      expect(before.exitCode, before.stderr).toBe(1);
      const wrapCoreBefore = await readFile(core('sgwrap'), 'utf8');
      const wraps = await patchkit(['update', bundle('sgwrap'), '--source', join(dir, 'second'), '--json']);
      expect(wraps.exitCode, wraps.stdout + wraps.stderr).toBe(0);
      expect(await readFile(core('sgwrap'), 'utf8')).toBe(wrapCoreBefore);

      const r = await patchkit(['update', bundle('sgrepl'), '--source', join(dir, 'second'), '--json']);
      expect([0, 1]).toContain(r.exitCode);
      const data = JSON.parse(r.stdout) as {
        conflicts: string[];
        unresolved: string[];
        targets: { key: string; action: string }[];
      };
      expect(data.unresolved).toEqual([]);
      const text = await readFile(core('sgrepl'), 'utf8');
      const manifest = JSON.parse(await readFile(join(bundle('sgrepl'), 'patchkit.json'), 'utf8')) as {
        targets: { qualname: string; upstream: string }[];
      };
      const cleanNames = data.targets.filter((t) => t.action !== 'conflict').map((t) => t.key.split(':')[1]);
      const clean: string[] = [];
      for (const t of manifest.targets) {
        const span = findDefinition(text, MODULE, t.qualname, t.upstream);
        expect(span?.text, t.qualname).toContain(USER_LINE);
        if (cleanNames.includes(t.qualname) && span) clean.push(span.text);
      }
      expect(clean.length).toBeGreaterThan(0);
      const compiled = await compileEach(clean, join(dir, 'merged'));
      expect(compiled.exitCode, compiled.stderr).toBe(0);
      console.error(
        `sglang update: ${data.targets.map((t) => `${t.key.split(':')[1]} ${t.action}`).join(', ')}; ${clean.length} clean merge(s) compiled`,
      );

      // Conflicts resolved the way a reviewer might (upstream's side): then check exits 0 for both bundles.
      const resolved = text.replace(/^<{7} .*\n[\s\S]*?^={7}\n([\s\S]*?)^>{7} .*\n/gm, '$1');
      expect(resolved.includes('<<<<<<<')).toBe(false);
      await writeFile(core('sgrepl'), resolved);
      for (const name of ['sgwrap', 'sgrepl']) {
        const after = await patchkit(['check', bundle(name), '--source', join(dir, 'second')]);
        expect(after.exitCode, after.stdout).toBe(0);
      }
    }, 600_000);

    it.skipIf(!slimePresent)(
      `slime's source diff (${SLIME_COMMIT.slice(0, 9)}) as a bundle: update carries it, the reviewer resolves and drops, check exits 0`,
      async () => {
        const second = join(dir, 'second');
        const drifted = await patchkit(['check', bundle('sgdiff'), '--source', second]);
        expect(drifted.exitCode, drifted.stderr).toBe(1);
        const r = await patchkit(['update', bundle('sgdiff'), '--source', second, '--json']);
        expect(r.exitCode, r.stderr).toBe(1);
        const data = JSON.parse(r.stdout) as {
          conflicts: string[];
          unresolved: string[];
          targets: { key: string; how: string; action: string }[];
        };
        // What upstream took away: two overlays' lines (refactored) and a method (moved to a weight updater).
        expect(data.unresolved).toEqual([
          'sglang.srt.layers.attention.dsa.dsa_indexer:<overlay>',
          'sglang.srt.managers.io_struct:<overlay>',
          'sglang.srt.model_executor.model_runner:ModelRunner.update_weights_from_disk',
        ]);
        const actions = (how: string) => data.targets.filter((t) => t.how === how).map((t) => t.action);
        // Module code and overlays were carried too: moved, merged, or (one) an insertion whose context is gone.
        expect(actions('module-code').every((a) => a !== 'kept')).toBe(true);
        expect(actions('module-code').some((a) => a === 'merged' || a === 're-resolved')).toBe(true);
        expect(actions('overlay').filter((a) => a !== 'conflict').length).toBeGreaterThan(0);

        // Every replaced definition still has the user's line; each clean merge compiles on its own.
        const text = await readFile(core('sgdiff'), 'utf8');
        const replaced = await replacedOf('sgdiff');
        const conflicted = new Set(data.conflicts);
        const clean: string[] = [];
        for (const t of replaced) {
          const key = `${t.module}:${t.qualname}`;
          const span = findDefinition(text, t.module, t.qualname, t.upstream);
          if (key === data.unresolved[2]) continue;
          expect(span?.text, key).toContain(USER_LINE);
          if (!conflicted.has(key) && span) clean.push(span.text);
        }
        const compiled = await compileEach(clean, join(dir, 'slime-merged'));
        expect(compiled.exitCode, compiled.stderr).toBe(0);
        console.error(
          `slime bundle update: ${Object.entries(
            data.targets.reduce<Record<string, number>>((n, t) => ({ ...n, [t.action]: (n[t.action] ?? 0) + 1 }), {}),
          )
            .map(([a, n]) => `${n} ${a}`)
            .join(', ')}; ${clean.length} clean definition(s) compiled; ${data.conflicts.length} conflict(s)`,
        );

        // The review: conflicts resolved to upstream's side, what upstream removed dropped.
        expect(text.split(USER_LINE).length - 1).toBe(replaced.length);
        const resolved = text.replace(/^<{7} .*\n[\s\S]*?^={7}\n([\s\S]*?)^>{7} .*\n/gm, '$1');
        await writeFile(core('sgdiff'), resolved);
        const dropped = await patchkit([
          'update',
          bundle('sgdiff'),
          '--source',
          second,
          ...data.unresolved.flatMap((k) => ['--drop', k]),
        ]);
        expect(dropped.exitCode, dropped.stdout + dropped.stderr).toBe(0);
        const after = await patchkit(['check', bundle('sgdiff'), '--source', second]);
        expect(after.exitCode, after.stdout).toBe(0);
        const final = await readFile(core('sgdiff'), 'utf8');
        const whole = await execa(
          PYTHON,
          ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', core('sgdiff')],
          {
            reject: false,
          },
        );
        expect(whole.exitCode, whole.stderr).toBe(0);
        expect(final.includes('<<<<<<<')).toBe(false);
        // The user's lines the resolution kept are all there, less the dropped definition's.
        expect(final.split(USER_LINE).length - 1).toBe(resolved.split(USER_LINE).length - 2);
      },
      600_000,
    );
  },
);
