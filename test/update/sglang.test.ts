/**
 * update on two real SGLang snapshots: a bundle made against the release/v0.5.15 commit slime builds
 * on (1bee78dc, in both mirrors) is checked and updated against bytedance-iaas/sglang's HEAD, whose
 * sampler.py changed bodies, a signature and lines. Wrappers of every sampler function that still
 * exists, and replaced bodies that the user edited (a comment line after each header). Each clean
 * merge must compile, the user's line must be in every merged definition, and `check` then exits 0.
 * The trees come from fetched mirrors (PATCHKIT_MIRRORS, default /work/.mirror); without them it skips.
 * (Overlay hunks are not carried by update yet; the fixture test covers check on them.)
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
      let text = await readFile(core('sgrepl'), 'utf8');
      const manifest = JSON.parse(await readFile(join(bundle('sgrepl'), 'patchkit.json'), 'utf8')) as {
        targets: { qualname: string; upstream: string }[];
      };
      for (const t of manifest.targets) {
        const span = findDefinition(text, MODULE, t.qualname, t.upstream);
        expect(span, t.qualname).not.toBeNull();
        const lines = text.split('\n');
        const header = lines.findIndex((l, i) => i >= (span?.start ?? 0) && /\)(\s*->.*)?:\s*$/.test(l));
        const indent = /^\s*/.exec(lines[header + 1])?.[0] ?? '    ';
        lines.splice(header + 1, 0, `${indent}${USER_LINE}`);
        text = lines.join('\n');
      }
      await writeFile(core('sgrepl'), text);
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
      const clean = data.targets.filter((t) => t.action !== 'conflict').map((t) => t.key.split(':')[1]);
      const files: string[] = [];
      for (const t of manifest.targets) {
        const span = findDefinition(text, MODULE, t.qualname, t.upstream);
        expect(span?.text, t.qualname).toContain(USER_LINE);
        if (!clean.includes(t.qualname) || !span) continue;
        const indent = /^\s*/.exec(span.text)?.[0] ?? '';
        const dedented = span.text
          .split('\n')
          .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
          .join('\n');
        const file = join(dir, `merged-${files.length}.py`);
        await writeFile(file, dedented);
        files.push(file);
      }
      expect(files.length).toBeGreaterThan(0);
      const compiled = await execa(
        PYTHON,
        ['-c', 'import sys\nfor f in sys.argv[1:]: compile(open(f).read(), f, "exec")', ...files],
        { reject: false },
      );
      expect(compiled.exitCode, compiled.stderr).toBe(0);
      console.error(
        `sglang update: ${data.targets.map((t) => `${t.key.split(':')[1]} ${t.action}`).join(', ')}; ${files.length} clean merge(s) compiled`,
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
  },
);
