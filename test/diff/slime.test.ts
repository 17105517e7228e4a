/**
 * The planner on a large real-world patch: THUDM/slime's docker/patch/latest/sglang.patch (27 files,
 * 84 hunks), against the SGLang sources it was written for — the modal-projects/sglang commit whose
 * blobs are exactly the patch's 27 `index` pre-images (the release/v0.5.15 branch slime's Dockerfile
 * builds on), checked out as a fake site-packages dir (python/sglang → sglang). Both trees come from
 * fetched mirrors (PATCHKIT_MIRRORS, default /work/.mirror); without them the test skips.
 *
 * It must plan every hunk; every definition's text must be the lines of the tree `patch -p2 --fuzz=0`
 * makes; the overlay module rendered from the plan must apply its hunks in Python to exactly what
 * the planner applied, and the result must compile.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHunks } from '../../src/diff/apply.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import type { DiffPlan } from '../../src/diff/plan.js';
import { planFromDiff } from '../../src/diff/plan.js';
import { renderOverlayModule } from '../../src/diff/render-overlay.js';
import { patchkit } from '../helpers/cli.js';
import { PYTHON, tempDir } from '../helpers/python.js';

const MIRRORS = process.env.PATCHKIT_MIRRORS ?? '/work/.mirror';
const SLIME = join(MIRRORS, 'THUDM+slime', 'repo');
const SGLANG = join(MIRRORS, 'modal-projects+sglang', 'repo');
const SLIME_COMMIT = '624b824a898ab0ec1fcb4d373004c7f3852bf515';
const SGLANG_COMMIT = '1bee78dc1142982d6bd140cff59c8c21d6c224f4';
const TEMPLATE = fileURLToPath(new URL('../../templates/patch_overlay.py', import.meta.url));

const present = existsSync(SLIME) && existsSync(SGLANG);
const git = (dir: string, args: string[]) => execa('git', [`--git-dir=${dir}`, ...args], { stripFinalNewline: false });

/** `git archive <commit> python/sglang` unpacked with python/ dropped: a site dir holding `sglang`. */
const checkout = async (into: string) => {
  await mkdir(into, { recursive: true });
  await execa('git', [`--git-dir=${SGLANG}`, 'archive', SGLANG_COMMIT, 'python/sglang']).pipe('tar', [
    '-x',
    '-C',
    into,
    '--strip-components=1',
  ]);
};

describe.skipIf(!present)(
  `slime's sglang.patch against SGLang ${SGLANG_COMMIT.slice(0, 9)} (mirrors in ${MIRRORS})`,
  () => {
    let dir = '';
    let patch = '';
    let plan: DiffPlan;
    beforeAll(async () => {
      dir = await tempDir('patchkit-slime-');
      patch = (await git(SLIME, ['show', `${SLIME_COMMIT}:docker/patch/latest/sglang.patch`])).stdout;
      await checkout(join(dir, 'site'));
      const started = Date.now();
      plan = await planFromDiff({
        diff: patch,
        python: PYTHON,
        cwd: dir,
        env: { ...process.env, PYTHONPATH: join(dir, 'site') },
      });
      // Reported, not asserted: the machine is shared.
      console.error(`planned ${plan.hunks.length} hunks in ${Date.now() - started} ms`);
    }, 300_000);
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('plans every hunk of all 27 files', () => {
      expect(plan.modules).toHaveLength(27);
      expect(plan.hunks).toHaveLength(84);
      const counts: Record<string, number> = {};
      for (const h of plan.hunks)
        counts[h.mechanisms.join('+') || 'none'] = (counts[h.mechanisms.join('+') || 'none'] ?? 0) + 1;
      expect(counts).toEqual({ replace: 55, add: 13, 'module-code': 12, overlay: 4 });
      expect(plan.warnings).toEqual([]);
      const overlays = plan.modules.flatMap((m) =>
        m.changes.flatMap((c) => (c.mechanism === 'overlay' ? [[m.module, c.reason, c.hunks]] : [])),
      );
      expect(overlays).toEqual([
        ['sglang.srt.layers.attention.dsa.dsa_indexer', 'line 181: if block run at import (if _is_cuda:)', [23]],
        [
          'sglang.srt.managers.io_struct',
          'class body of GetLoadsReqInput changed (VALID_SECTIONS = frozenset(); class body of GetLoadsReqOutput changed (inflight: Optional[List[Dict[str, Any]]] = None)',
          [34, 35],
        ],
        ['sglang.srt.utils.common', 'class body of SafeUnpickler changed (ALLOWED_MODULE_PREFIXES = {)', [83]],
      ]);
    });

    it("every definition's text is the patched and the installed file's own lines", async () => {
      const patched = join(dir, 'patched');
      await checkout(patched);
      const applied = await execa('patch', ['-p2', '--fuzz=0', '--silent', '-d', patched], {
        input: patch,
        reject: false,
      });
      expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
      let checked = 0;
      for (const m of plan.modules) {
        const relpath = m.module.split('.').join('/') + '.py';
        const before = (await readFile(join(dir, 'site', relpath), 'utf8')).split('\n');
        const after = (await readFile(join(patched, relpath), 'utf8')).split('\n');
        for (const c of m.changes) {
          if (c.mechanism !== 'replace' && c.mechanism !== 'add' && c.mechanism !== 'remove') continue;
          if (c.source !== null && c.line !== null) {
            const n = c.source.split('\n').length - 1;
            expect(c.source, c.qualname).toBe(after.slice(c.line - 1, c.line - 1 + n).join('\n') + '\n');
          }
          if (c.upstream !== null && c.upstreamLine !== null) {
            const n = c.upstream.split('\n').length - 1;
            expect(c.upstream, c.qualname).toBe(
              before.slice(c.upstreamLine - 1, c.upstreamLine - 1 + n).join('\n') + '\n',
            );
          }
          checked++;
        }
      }
      expect(checked).toBe(54); // 40 replaced, 14 added (46 methods, 6 functions, 2 classes)
    });

    it("the next three patches of slime's Dockerfile, each against the tree the previous ones made", async () => {
      const stacked = join(dir, 'stacked');
      await checkout(stacked);
      const apply = async (text: string) => {
        const r = await execa('patch', ['-p2', '--fuzz=0', '--silent', '-d', stacked], { input: text, reject: false });
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      };
      await apply(patch);
      const counts: Record<string, Record<string, number>> = {};
      for (const name of ['sglang-top_p.patch', 'sglang-release_hicache.patch', 'sglang-pull_weights.patch']) {
        const text = (await git(SLIME, ['show', `${SLIME_COMMIT}:docker/patch/latest/${name}`])).stdout;
        const next = await planFromDiff({
          diff: text,
          python: PYTHON,
          cwd: dir,
          env: { ...process.env, PYTHONPATH: stacked },
        });
        counts[name] = {};
        for (const h of next.hunks) {
          const key = h.mechanisms.join('+') || 'none';
          counts[name][key] = (counts[name][key] ?? 0) + 1;
        }
        await apply(text);
      }
      expect(counts).toEqual({
        'sglang-top_p.patch': { replace: 42, 'module-code': 5, overlay: 7, add: 3 },
        'sglang-release_hicache.patch': { replace: 5, add: 5, 'add+replace': 7, overlay: 3 },
        'sglang-pull_weights.patch': { 'module-code': 5, add: 4, replace: 1, overlay: 1, 'new-file': 1 },
      });
    });

    it('the rendered overlay applies its hunks in Python exactly as the planner did, and the result compiles', async () => {
      const out = join(dir, 'overlay');
      await mkdir(out, { recursive: true });
      await writeFile(join(out, 'slime_patch_overlay.py'), renderOverlayModule(await readFile(TEMPLATE, 'utf8'), plan));
      const files = parseUnifiedDiff(patch);
      for (const m of plan.modules) {
        const overlay = m.changes.find((c) => c.mechanism === 'overlay');
        if (!overlay || overlay.mechanism !== 'overlay') continue;
        const installed = await readFile(overlay.path, 'utf8');
        const file = files.find((f) => f.oldPath?.endsWith(m.module.split('.').join('/') + '.py'));
        const chosen = overlay.hunks.map((i) => plan.hunks[i]);
        const expected = applyHunks(
          installed,
          chosen.map((h) => ({
            ...file!.hunks[h.index - plan.hunks.findIndex((x) => x.module === m.module)],
            oldStart: h.appliedOldStart,
          })),
          (i) => ({ file: m.module, number: i + 1, index: chosen[i].index }),
        ).text;
        const run = await execa(
          PYTHON,
          [
            '-c',
            'import sys; sys.path.insert(0, sys.argv[1]); import slime_patch_overlay as o\n' +
              'text = o.apply(sys.argv[2], open(sys.argv[3], encoding="utf-8").read())\n' +
              'compile(text, sys.argv[3], "exec", dont_inherit=True); sys.stdout.write(text)',
            out,
            m.module,
            overlay.path,
          ],
          { stripFinalNewline: false },
        );
        expect(run.stdout, m.module).toBe(expected);
      }
    });

    it("patchkit new --from-diff makes the bundle: the core compiles on the target interpreter, patchkit's own files parse for 3.8-3.14", async () => {
      const patchFile = join(dir, 'sglang.patch');
      await writeFile(patchFile, patch);
      const out = join(dir, 'bundle');
      const made = await patchkit(['new', 'slime', '--from-diff', patchFile, '--python', PYTHON, '--out', out], {
        env: { ...process.env, PYTHONPATH: join(dir, 'site') },
      });
      expect(made.exitCode, made.stderr).toBe(0);
      const bundle = join(out, 'slime');
      const core = await readFile(join(bundle, 'slime_patch_core.py'), 'utf8');
      expect(core.match(/^# >>> patchkit: definitions in /gm)).toHaveLength(
        plan.modules.filter((m) => m.changes.some((c) => c.mechanism !== 'overlay')).length,
      );
      const check = String.raw`
import ast, json, sys
core, own = sys.argv[1], sys.argv[2:]
compile(open(core, encoding="utf-8").read(), core, "exec", dont_inherit=True)
bad = []
for path in own:
    text = open(path, encoding="utf-8").read()
    for minor in range(8, 15):
        try:
            ast.parse(text, path, feature_version=(3, minor))
        except SyntaxError as e:
            bad.append("%s 3.%d: %s" % (path, minor, e))
print(json.dumps(bad))
`;
      const own = ['slime_patch_loader.py', 'slime_patch_overlay.py', 'slime_patch_injector.py', 'test_slime_patch.py'];
      const r = await execa(PYTHON, [
        '-c',
        check,
        join(bundle, 'slime_patch_core.py'),
        ...own.map((f) => join(bundle, f)),
      ]);
      expect(JSON.parse(r.stdout)).toEqual([]);
      const manifest = JSON.parse(await readFile(join(bundle, 'patchkit.json'), 'utf8')) as {
        policy: string;
        targets: { how: string; upstream: string | null }[];
      };
      expect(manifest.policy).toBe('require');
      expect(manifest.targets.filter((t) => t.how === 'replace').every((t) => typeof t.upstream === 'string')).toBe(
        true,
      );
    }, 300_000);
  },
);
