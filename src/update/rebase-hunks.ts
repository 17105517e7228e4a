/**
 * A module's diff hunks carried onto a new release of the module, in order, each placed after the one
 * before:
 * - its old lines appear exactly where it was applied (or once elsewhere after the previous hunk, as
 *   the runtime looks for them): the same hunk at its new line (`applies`);
 * - else the region of the new source they came from is found by matching lines (node-diff3's LCS
 *   over a window around where the hunk should be), and upstream's change of that region
 *   (old lines → new region) is merged three-way with the hunk's (old lines → its new lines): a clean
 *   merge is a new hunk over the new region (`merged`), a conflict keeps both sides (`conflict`);
 * - a merge that changes nothing: upstream made the same change (`included`);
 * - no region with at least half of its old lines: `gone`.
 * Pure: text in, hunks out.
 */
import { diff3Merge, diffComm } from 'node-diff3';
import type { ManifestHunk } from '../generate/manifest.js';

export type RebasedHunk =
  | { status: 'applies'; hunk: ManifestHunk; offset: number; was: ManifestHunk }
  | { status: 'merged'; hunk: ManifestHunk; was: ManifestHunk; insertion?: boolean }
  | {
      status: 'conflict';
      was: ManifestHunk;
      /** 1-based first line of upstream's new region and its lines. */
      line: number;
      theirs: string[];
      /** The hunk's new lines merged with upstream's, both sides kept between git's markers. */
      marked: string[];
      /** Upstream's side of each conflicting part, in order. */
      upstream: string[];
      conflicts: number;
    }
  /** Upstream's new region already reads as the hunk makes it (the fix was released): nothing left to do. */
  | { status: 'included'; was: ManifestHunk; line: number }
  /** `at`: the 1-based line after which it would have gone (where the previous hunk's shift puts it). */
  | { status: 'gone'; was: ManifestHunk; reason: string; at: number };

const CONTEXT = 3;

const oldSide = (h: ManifestHunk) => h.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
const newSide = (h: ManifestHunk) => h.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));

const matchesAt = (lines: string[], old: string[], at: number) => {
  if (at < 0 || at + old.length > lines.length) return false;
  for (let i = 0; i < old.length; i++) if (lines[at + i] !== old[i]) return false;
  return true;
};

/** Where the old lines are, by apply.ts's rule: the stated line, else the one other place after `from`. */
const exactPlace = (lines: string[], old: string[], stated: number, from: number): number | null => {
  if (stated >= from && matchesAt(lines, old, stated)) return stated;
  if (old.length === 0) return null;
  const places: number[] = [];
  for (let p = from; p + old.length <= lines.length && places.length < 2; p++)
    if (matchesAt(lines, old, p)) places.push(p);
  return places.length === 1 ? places[0] : null;
};

/** Lines of `a` matched to lines of `b` in a longest common subsequence: [index in a, index in b]. */
const matchedPairs = (a: string[], b: string[]): [number, number][] => {
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  for (const part of diffComm(a, b)) {
    if (part.common) for (let k = 0; k < part.common.length; k++) pairs.push([i++, j++]);
    else {
      i += part.buffer1?.length ?? 0;
      j += part.buffer2?.length ?? 0;
    }
  }
  return pairs;
};

const solid = (line: string) => line.trim() !== '';

/**
 * The region of `lines` (from `from` on) that `old` most likely became: [start, end) or null.
 * Only lines with text are matched (blank lines match anywhere), and matches far from the others
 * are dropped until the matched lines span no more than twice the hunk: a common line elsewhere
 * (`return None`) must not stretch the region over unrelated code.
 */
const findRegion = (lines: string[], old: string[], expected: number, from: number): [number, number] | null => {
  const reach = old.length * 3 + 200;
  const start = Math.max(from, expected - reach);
  const end = Math.min(lines.length, expected + old.length + reach);
  const oldAt = old.flatMap((l, i) => (solid(l) ? [i] : []));
  const winAt: number[] = [];
  for (let j = start; j < end; j++) if (solid(lines[j])) winAt.push(j);
  const pairs = matchedPairs(
    oldAt.map((i) => old[i]),
    winAt.map((j) => lines[j]),
  ).map(([a, b]): [number, number] => [oldAt[a], winAt[b]]);
  const limit = 2 * old.length + 10;
  while (pairs.length > 1 && pairs[pairs.length - 1][1] - pairs[0][1] > limit) {
    const gap = (p: [number, number], q: [number, number]) => Math.abs(q[1] - p[1] - (q[0] - p[0]));
    const head = gap(pairs[0], pairs[1]);
    const tail = gap(pairs[pairs.length - 2], pairs[pairs.length - 1]);
    if (head >= tail) pairs.shift();
    else pairs.pop();
  }
  if (pairs.length === 0 || pairs.length * 2 < oldAt.length) return null;
  const [i0, j0] = pairs[0];
  const [i1, j1] = pairs[pairs.length - 1];
  return [Math.max(from, j0 - i0), Math.min(lines.length, j1 + (old.length - i1))];
};

/** A hunk that turns `before` (starting at 1-based `line`) into `after`, with at most three lines of context. */
const hunkBetween = (
  before: string[],
  after: string[],
  line: number,
  newLine: number,
  index: number,
): ManifestHunk | null => {
  const body: string[] = [];
  for (const part of diffComm(before, after)) {
    if (part.common) body.push(...part.common.map((l) => ` ${l}`));
    else body.push(...(part.buffer1 ?? []).map((l) => `-${l}`), ...(part.buffer2 ?? []).map((l) => `+${l}`));
  }
  let head = 0;
  while (head < body.length && body[head][0] === ' ') head++;
  if (head === body.length) return null;
  let tail = 0;
  while (body[body.length - 1 - tail][0] === ' ') tail++;
  const drop = Math.max(0, head - CONTEXT);
  const lines = body.slice(drop, body.length - Math.max(0, tail - CONTEXT));
  const oldLines = lines.filter((l) => l[0] !== '+').length;
  const newLines = lines.filter((l) => l[0] !== '-').length;
  return { index, oldStart: line + drop, oldLines, newStart: newLine + drop, newLines, lines };
};

/** Each hunk of one module, in order, onto the module's new source text. */
export const rebaseHunks = (source: string, hunks: ManifestHunk[]): RebasedHunk[] => {
  const lines = source.replace(/\n$/, '').split('\n');
  let cursor = 0; // first line (0-based) after the previous hunk's old lines
  let shift = 0; // where the previous hunk landed minus where it was
  return hunks.map((h): RebasedHunk => {
    const old = oldSide(h);
    const stated = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    const exact = exactPlace(lines, old, stated + shift, cursor) ?? exactPlace(lines, old, stated, cursor);
    if (exact !== null) {
      const line = h.oldLines === 0 ? exact : exact + 1;
      shift = exact - stated;
      cursor = exact + old.length;
      // The new side keeps the diff's own numbering (other hunks of the diff may sit between), moved as much.
      const hunk = { ...h, oldStart: line, newStart: h.newStart + (line - h.oldStart), lines: [...h.lines] };
      return { status: 'applies', hunk, offset: line - h.oldStart, was: h };
    }
    const region = findRegion(lines, old, stated + shift, cursor);
    if (!region) {
      const at = Math.min(lines.length, Math.max(cursor, stated + shift));
      return { status: 'gone', was: h, reason: 'its lines are nowhere in the new source', at };
    }
    const [start, end] = region;
    const theirs = lines.slice(start, end);
    const mine = newSide(h);
    const parts = diff3Merge(mine, old, theirs, { excludeFalseConflicts: true });
    const merged: string[] = [];
    const marked: string[] = [];
    const upstream: string[] = [];
    let conflicts = 0;
    for (const p of parts) {
      if (p.ok) (merged.push(...p.ok), marked.push(...p.ok));
      else if (p.conflict) {
        conflicts++;
        upstream.push(...p.conflict.b);
        marked.push('<<<<<<< yours', ...p.conflict.a, '=======', ...p.conflict.b, '>>>>>>> upstream');
      }
    }
    shift = start - stated;
    cursor = end;
    if (conflicts > 0) return { status: 'conflict', was: h, line: start + 1, theirs, marked, upstream, conflicts };
    const hunk = hunkBetween(theirs, merged, start + 1, start + 1 + (h.newStart - h.oldStart), h.index);
    if (!hunk) return { status: 'included', was: h, line: start + 1 };
    return { status: 'merged', hunk, was: h };
  });
};
