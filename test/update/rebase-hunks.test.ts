/**
 * rebaseHunks and the module-code update on texts: each outcome once (a hunk that applies where it
 * did, one that moved, one merged with upstream's change of its context, one upstream already made,
 * a conflict, one whose lines are gone), and every rebased hunk applies to the new source with the
 * same exact-context rule the runtime uses.
 */
import { describe, expect, it } from 'vitest';
import { applyHunks } from '../../src/diff/apply.js';
import type { ManifestHunk, ManifestTarget } from '../../src/generate/manifest.js';
import { diffHunkOf } from '../../src/install/overlay-drift.js';
import { rebaseHunks } from '../../src/update/rebase-hunks.js';
import { updateModuleCode } from '../../src/update/whole-module.js';

const OLD = ['"""v1."""', '', 'import os', '', 'LIMIT = 5', '', '', 'def f():', '    return LIMIT', ''].join('\n');

/** `LIMIT = 5` → `LIMIT = 6`, with two lines of context on each side. */
const HUNK: ManifestHunk = {
  index: 0,
  oldStart: 3,
  oldLines: 5,
  newStart: 3,
  newLines: 5,
  lines: [' import os', ' ', '-LIMIT = 5', '+LIMIT = 6', ' ', ' '],
};
HUNK.oldLines = HUNK.lines.filter((l) => l[0] !== '+').length;
HUNK.newLines = HUNK.lines.filter((l) => l[0] !== '-').length;

const applied = (source: string, hunk: ManifestHunk) =>
  applyHunks(source, [diffHunkOf(hunk)], () => ({ file: 'm.py', number: 1, index: hunk.index })).text;

describe('rebaseHunks', () => {
  it('a hunk whose lines are where they were applies with offset 0', () => {
    const [r] = rebaseHunks(OLD, [HUNK]);
    expect(r.status === 'applies' && r.offset).toBe(0);
  });

  it('a hunk whose lines moved follows them', () => {
    const source = OLD.replace('import os\n', 'import os\nimport sys\nimport re\n');
    const [r] = rebaseHunks(source, [HUNK]);
    // Its context now is `import re`, not `import os`: not the same lines, so a merge, not a move.
    expect(r.status).toBe('merged');
    const shifted = `# a comment\n# another\n${OLD}`;
    const [m] = rebaseHunks(shifted, [HUNK]);
    expect(m.status === 'applies' && [m.offset, m.hunk.oldStart]).toEqual([2, 5]);
    if (m.status === 'applies') expect(applied(shifted, m.hunk)).toContain('\nLIMIT = 6\n');
  });

  it('upstream changed a context line: merged, the new hunk applies and makes both changes', () => {
    const source = OLD.replace('import os', 'import os.path');
    const [r] = rebaseHunks(source, [HUNK]);
    expect(r.status).toBe('merged');
    if (r.status !== 'merged') return;
    expect(r.hunk.lines).toContain(' import os.path');
    const text = applied(source, r.hunk);
    expect(text).toBe(source.replace('LIMIT = 5', 'LIMIT = 6'));
  });

  it('upstream made the same change: included, nothing left to apply', () => {
    const [r] = rebaseHunks(OLD.replace('LIMIT = 5', 'LIMIT = 6'), [HUNK]);
    expect(r.status).toBe('included');
  });

  it('upstream changed the same line: a conflict with both sides', () => {
    const [r] = rebaseHunks(OLD.replace('LIMIT = 5', 'LIMIT = 50'), [HUNK]);
    expect(r.status).toBe('conflict');
    if (r.status !== 'conflict') return;
    expect(r.marked).toEqual([
      'import os',
      '',
      '<<<<<<< yours',
      'LIMIT = 6',
      '=======',
      'LIMIT = 50',
      '>>>>>>> upstream',
      '',
      '',
    ]);
    expect(r.line).toBe(3);
  });

  it('lines that are nowhere in the new source: gone', () => {
    const [r] = rebaseHunks('"""v2: rewritten."""\n\n\nclass K:\n    pass\n', [HUNK]);
    expect(r.status).toBe('gone');
  });

  it('hunks stay in order: a later hunk is looked for after the one before', () => {
    const second: ManifestHunk = {
      index: 1,
      oldStart: 8,
      oldLines: 2,
      newStart: 8,
      newLines: 2,
      lines: [' def f():', '-    return LIMIT', '+    return LIMIT + 1'],
    };
    const source = `x = 1\n${OLD}`;
    const rebased = rebaseHunks(source, [HUNK, second]);
    expect(rebased.map((r) => r.status)).toEqual(['applies', 'applies']);
    const hunks = rebased.map((r) => (r.status === 'applies' ? diffHunkOf(r.hunk) : null)).filter((h) => h !== null);
    const text = applyHunks(source, hunks, (i) => ({ file: 'm.py', number: i + 1, index: i })).text;
    expect(text).toContain('\nLIMIT = 6\n');
    expect(text).toContain('    return LIMIT + 1\n');
  });
});

describe('updateModuleCode', () => {
  const target: ManifestTarget & { hunks: ManifestHunk[] } = {
    module: 'm',
    qualname: '<module code>',
    kind: 'module',
    async: false,
    generator: false,
    signature: '',
    fingerprint: '',
    sentinel: 'm',
    line: 1,
    startLine: 1,
    endLine: 1,
    sourceHash: '',
    bindingSites: [],
    how: 'module-code',
    upstream: null,
    hunks: [HUNK],
    code: 'LIMIT = 6\n',
  };
  const core =
    '"""core"""\n\n# >>> patchkit: definitions in m >>>\nLIMIT = 6\n\n# <<< patchkit: definitions in m <<<\n';
  const labels = { mine: 'core (your version)', theirs: 'upstream 2.0' };

  it('a merge around the statements leaves the core as it is', () => {
    const done = updateModuleCode(target, OLD.replace('import os', 'import os.path'), core, labels);
    expect(done.action).toBe('merged');
    expect(done.core).toBeUndefined();
  });

  it('a conflict: both versions between markers in the block, the hunk re-based on upstream’s lines', () => {
    const source = OLD.replace('LIMIT = 5', 'LIMIT = 50');
    const done = updateModuleCode(target, source, core, labels);
    expect([done.action, done.conflicts]).toEqual(['conflict', 1]);
    expect(done.core).toContain(
      '# >>> patchkit: definitions in m >>>\n<<<<<<< core (your version)\nLIMIT = 6\n=======\nLIMIT = 50\n>>>>>>> upstream 2.0\n\n# <<<',
    );
    const [hunk] = done.target.hunks ?? [];
    expect(applied(source, hunk)).toContain('\nLIMIT = 6\n');
  });

  it('module code the user edited in the core, under a conflict: left as it was, to review by hand', () => {
    const done = updateModuleCode(
      target,
      OLD.replace('LIMIT = 5', 'LIMIT = 50'),
      core.replace('LIMIT = 6', 'LIMIT = 7'),
      labels,
    );
    expect(done.action).toBe('kept');
    expect(done.note).toContain('the module code in the core was edited');
  });
});
