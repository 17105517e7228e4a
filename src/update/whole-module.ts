/**
 * `update` for what a bundle made from a diff carries per module rather than per definition:
 * - module code (statements run after the module executed) and a source overlay (hunks applied
 *   before it executes) depend on the diff's hunks, which the manifest keeps: each is carried onto
 *   the new source (rebase-hunks.ts). Moved hunks follow; a hunk whose lines upstream changed is
 *   merged three-way;
 * - module code also lives in the core's block: it is kept as it is while the statements it
 *   reproduces still read the same in the merged module; otherwise both versions go into the core
 *   between conflict markers (yours, and upstream's lines where the hunk was), for the user to
 *   resolve, and the hunk is re-based on upstream's lines so `check` passes once they are;
 * - an overlay has no text in the core: a hunk that conflicts is left as it was (it does not apply,
 *   and `check` says so) and reported with both sides.
 */
import type { ManifestHunk, ManifestTarget } from '../generate/manifest.js';
import { BLOCK_START } from '../generate/validate.js';
import { rebaseHunks, type RebasedHunk } from './rebase-hunks.js';

export interface WholeModuleUpdate {
  action: 'current' | 're-resolved' | 'merged' | 'conflict' | 'kept';
  note?: string;
  /** The target as the new manifest has it. */
  target: ManifestTarget;
  /** The core with the conflict written in (module code), when there is one. */
  core?: string;
  conflicts: number;
}

const newSide = (h: ManifestHunk) => h.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));

/** The rebased hunk for the manifest: the hunk itself, or for a conflict one from upstream's lines to the hunk's. */
const kept = (r: RebasedHunk): ManifestHunk | null => {
  if (r.status === 'applies' || r.status === 'merged') return r.hunk;
  if (r.status === 'included') return null;
  if (r.status === 'conflict') {
    const mine = newSide(r.was);
    const lines = [...r.theirs.map((l) => `-${l}`), ...mine.map((l) => `+${l}`)];
    return {
      index: r.was.index,
      oldStart: r.line,
      oldLines: r.theirs.length,
      newStart: r.line,
      newLines: mine.length,
      lines,
    };
  }
  return r.was;
};

const describe = (r: RebasedHunk): string => {
  const n = `hunk #${r.was.index}`;
  switch (r.status) {
    case 'applies':
      return r.offset === 0 ? `${n} applies where it did` : `${n} moved ${r.offset > 0 ? '+' : ''}${r.offset} lines`;
    case 'merged':
      return r.insertion
        ? `${n} only adds lines and its context is gone upstream: kept as an insertion after line ${r.hunk.oldStart}`
        : `${n} merged with upstream's change at line ${r.hunk.oldStart}`;
    case 'included':
      return `${n}: upstream's lines from ${r.line} on already read as the hunk makes them; dropped`;
    case 'conflict':
      return `${n} conflicts with upstream's change at line ${r.line}`;
    case 'gone':
      return `${n}: ${r.reason}`;
  }
};

/** Where the module code patchkit wrote sits in the core: right after its block's opening marker. */
const codeSpan = (core: string, module: string, code: string): [number, number] | null => {
  const open = `${BLOCK_START}${module} >>>\n`;
  const at = core.indexOf(`${open}${code}`);
  return at < 0 ? null : [at + open.length, at + open.length + code.length];
};

const actionOf = (rebased: RebasedHunk[]): WholeModuleUpdate['action'] =>
  rebased.some((r) => r.status === 'merged' || r.status === 'included')
    ? 'merged'
    : rebased.some((r) => r.status === 'applies' && r.offset !== 0)
      ? 're-resolved'
      : 'current';

export const updateOverlay = (t: ManifestTarget, hunks: ManifestHunk[], source: string): WholeModuleUpdate => {
  const rebased = rebaseHunks(source, hunks);
  const notes = rebased.filter((r) => !(r.status === 'applies' && r.offset === 0)).map(describe);
  const bad = rebased.filter((r) => r.status === 'conflict' || r.status === 'gone');
  if (bad.length > 0) {
    const shown = bad.flatMap((r) =>
      r.status === 'conflict' ? [describe(r), ...r.marked.map((l) => `  ${l}`)] : [describe(r)],
    );
    return {
      action: 'conflict',
      note: `the overlay is left as it was: \`--drop\` it if upstream no longer needs it, or make its part of the bundle again from a diff against this release:\n${shown.join('\n')}`,
      target: { ...t, hunks },
      conflicts: bad.length,
    };
  }
  const next = rebased.map(kept).filter((h): h is ManifestHunk => h !== null);
  return {
    action: actionOf(rebased),
    ...(notes.length ? { note: notes.join('; ') } : {}),
    target: { ...t, hunks: next },
    conflicts: 0,
  };
};

export const updateModuleCode = (
  t: ManifestTarget & { hunks: ManifestHunk[] },
  source: string,
  core: string,
  labels: { mine: string; theirs: string },
): WholeModuleUpdate => {
  // A hunk that only adds statements depends on no line of upstream's: when its context is gone,
  // the statements still run after the module did; the hunk becomes a bare insertion where it was.
  const rebased = rebaseHunks(source, t.hunks).map((r): RebasedHunk => {
    if (r.status !== 'gone' || r.was.lines.some((l) => l[0] === '-')) return r;
    const added = r.was.lines.filter((l) => l[0] === '+');
    const hunk = {
      index: r.was.index,
      oldStart: r.at,
      oldLines: 0,
      newStart: r.at + 1,
      newLines: added.length,
      lines: added,
    };
    return { status: 'merged', hunk, was: r.was, insertion: true };
  });
  const code = t.code ?? '';
  // The merged module's lines: the block still says what the patched module does if all its lines are there.
  const patched = new Set(source.split('\n'));
  for (const r of rebased) if (r.status === 'merged') for (const l of newSide(r.hunk)) patched.add(l);
  const stale = (r: RebasedHunk) =>
    r.status === 'conflict' ||
    r.status === 'gone' ||
    (r.status === 'merged' &&
      code.split('\n').some((l) => l.trim() !== '' && !l.startsWith('globals().pop(') && !patched.has(l)));
  const bad = rebased.filter(stale);
  const notes = rebased.filter((r) => !(r.status === 'applies' && r.offset === 0)).map(describe);
  if (bad.length === 0)
    return {
      action: actionOf(rebased),
      ...(notes.length ? { note: notes.join('; ') } : {}),
      target: { ...t, hunks: rebased.map(kept).filter((h): h is ManifestHunk => h !== null) },
      conflicts: 0,
    };
  const span = codeSpan(core, t.module, code);
  if (!span || bad.some((r) => r.status === 'gone'))
    return {
      action: 'kept',
      note: `${notes.join('; ')}; ${span ? '' : 'the module code in the core was edited, so '}it is left as it was: review it by hand (or \`--drop\` it)`,
      target: t,
      conflicts: 0,
    };
  const theirs = bad.flatMap((r) =>
    r.status === 'conflict' ? r.upstream : r.status === 'merged' ? newSide(r.hunk) : [],
  );
  const marked = [
    `<<<<<<< ${labels.mine}`,
    ...code.replace(/\n$/, '').split('\n'),
    '=======',
    ...theirs,
    `>>>>>>> ${labels.theirs}`,
  ].join('\n');
  const written = `${marked}\n`;
  return {
    action: 'conflict',
    note: `${notes.join('; ')}; upstream's lines there and your module code are both in the core`,
    target: { ...t, code: written, hunks: rebased.map(kept).filter((h): h is ManifestHunk => h !== null) },
    core: core.slice(0, span[0]) + written + core.slice(span[1]),
    conflicts: bad.length,
  };
};
