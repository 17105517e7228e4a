/**
 * renderOverlayModule is pure and pinned: a golden file, the same bytes twice, valid Python for
 * feature versions 3.8–3.14, hostile text carried exactly (quotes, backslashes, non-ASCII, a line
 * that looks like a placeholder), and names that are not module names refused.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DiffPlan, PlannedHunk } from '../../src/diff/plan.js';
import { renderOverlayModule } from '../../src/diff/render-overlay.js';
import { ValidationError } from '../../src/errors.js';
import { PYTHON, tempDir } from '../helpers/python.js';

const TEMPLATE = fileURLToPath(new URL('../../templates/patch_overlay.py', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../golden/overlay/demo_patch_overlay.py', import.meta.url));
const NEWEST = `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/3.13.0/bin/python3`;

const HOSTILE = [
  ' x = 1',
  "-s = 'it''s' + \"\\\\n\" + '''",
  "+s = 'it\\'s' + \"\\\\n\" + '''\u00e9\u4e2d\ud83d\ude00'",
  '+t = "__PATCHKIT_OVERLAYS__"',
  ' y = 2',
];

const hunk = (index: number, module: string, lines: string[], appliedOldStart: number): PlannedHunk => ({
  index,
  file: `a/${module.replace(/\./g, '/')}.py`,
  module,
  header: '@@ -1,3 +1,4 @@',
  oldStart: appliedOldStart,
  oldLines: lines.filter((l) => l[0] !== '+').length,
  newStart: appliedOldStart,
  newLines: lines.filter((l) => l[0] !== '-').length,
  lines,
  mechanisms: ['overlay'],
  appliedOldStart,
});

const PLAN: DiffPlan = {
  modules: [
    {
      module: 'demo.models',
      path: '/site/demo/models.py',
      alreadyImported: false,
      importedNames: [],
      changes: [
        {
          mechanism: 'overlay',
          module: 'demo.models',
          path: '/site/demo/models.py',
          reason: 'class body',
          hunks: [0, 1],
        },
      ],
    },
    { module: 'demo.other', path: '/site/demo/other.py', alreadyImported: false, importedNames: [], changes: [] },
  ],
  hunks: [hunk(0, 'demo.models', HOSTILE, 1), hunk(1, 'demo.models', [' z = 3', '+w = 4'], 10)],
  warnings: [],
};

describe('renderOverlayModule', () => {
  it('matches the golden file, renders the same bytes twice, parses as 3.8-3.14', async () => {
    const template = await readFile(TEMPLATE, 'utf8');
    const text = renderOverlayModule(template, PLAN, { envPrefix: 'DEMO' });
    expect(renderOverlayModule(template, structuredClone(PLAN), { envPrefix: 'DEMO' })).toBe(text);
    if (process.env.UPDATE_GOLDEN === '1') {
      await mkdir(join(GOLDEN, '..'), { recursive: true });
      await writeFile(GOLDEN, text);
    }
    expect(text).toBe(await readFile(GOLDEN, 'utf8'));
    expect(/[^\x00-\x7f]/.test(text)).toBe(false); // ASCII only: every string is escaped
    const python = existsSync(NEWEST) ? NEWEST : PYTHON;
    const parse = await execa(
      python,
      [
        '-c',
        'import ast,sys\ntext=sys.stdin.read()\nfor m in range(8,15): ast.parse(text, feature_version=(3,m))\ncompile(text,"x","exec")',
      ],
      { input: text, reject: false },
    );
    expect(parse.exitCode, parse.stderr).toBe(0);
  });

  it('carries hostile lines exactly: applying them in Python gives the patched text', async () => {
    const dir = await tempDir('patchkit-overlay-render-');
    try {
      await writeFile(join(dir, 'demo_patch_overlay.py'), renderOverlayModule(await readFile(TEMPLATE, 'utf8'), PLAN));
      const old = HOSTILE.filter((l) => l[0] !== '+').map((l) => l.slice(1));
      const installed = [...old, 'a', 'b', 'c', 'd', 'e', 'f', 'z = 3', 'end'].join('\n') + '\n';
      const expected =
        [
          ...HOSTILE.filter((l) => l[0] !== '-').map((l) => l.slice(1)),
          'a',
          'b',
          'c',
          'd',
          'e',
          'f',
          'z = 3',
          'w = 4',
          'end',
        ].join('\n') + '\n';
      await writeFile(join(dir, 'installed.py'), installed);
      const run = await execa(
        PYTHON,
        [
          '-c',
          'import sys; sys.path.insert(0, sys.argv[1]); import demo_patch_overlay as o\n' +
            'sys.stdout.write(o.apply("demo.models", open(sys.argv[2], encoding="utf-8").read()))\n' +
            'assert o.modules() == ("demo.models",) and o._PREFIX == "DEMO", (o.modules(), o._PREFIX)',
          dir,
          join(dir, 'installed.py'),
        ],
        { stripFinalNewline: false, reject: false },
      );
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a module name or an environment prefix that is not one', async () => {
    const template = await readFile(TEMPLATE, 'utf8');
    const bad = structuredClone(PLAN);
    bad.modules[0].module = "demo'); import os; ('";
    const change = bad.modules[0].changes[0];
    if (change.mechanism === 'overlay') change.module = bad.modules[0].module;
    expect(() => renderOverlayModule(template, bad)).toThrow(ValidationError);
    expect(() => renderOverlayModule(template, PLAN, { envPrefix: 'demo-x' })).toThrow(ValidationError);
  });
});
