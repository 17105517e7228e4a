/**
 * A file's hunks applied in memory with exact context, never fuzz. Each hunk's old lines (context
 * and removals) must appear exactly at the line its header states, counted in the installed file;
 * when they do not — the file is a release with an earlier part longer or shorter than the one
 * the diff was made against — they must appear exactly once elsewhere after the previous hunk,
 * and the hunk is applied there and the offset reported (`patch` and `git apply` also accept a
 * moved hunk, but take the nearest of several places; a place that is not unique is refused here).
 * Text is compared after line endings are normalised to \n, the way CPython reads source.
 */
import { ValidationError } from '../errors.js';
import type { DiffHunk } from './parse.js';

export interface Applied {
  text: string;
  /** Per hunk (in order): where it was applied minus where its header said, in lines. */
  offsets: number[];
}

interface Lines {
  lines: string[];
  /** The text ends with a newline (or is empty). */
  finalNewline: boolean;
}

const toLines = (text: string): Lines => {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  return { lines: (finalNewline ? text.slice(0, -1) : text).split('\n'), finalNewline };
};

const fromLines = ({ lines, finalNewline }: Lines): string =>
  lines.length === 0 ? '' : lines.join('\n') + (finalNewline ? '\n' : '');

const sides = (hunk: DiffHunk) => ({
  old: hunk.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1)),
  new: hunk.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1)),
});

/** Where the old lines start by the header: an insertion (`-5,0`) goes after line 5. */
const statedIndex = (hunk: DiffHunk) => (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1);

const matchesAt = (file: Lines, old: string[], at: number, hunk: DiffHunk): boolean => {
  if (at < 0 || at + old.length > file.lines.length) return false;
  for (let i = 0; i < old.length; i++) if (file.lines[at + i] !== old[i]) return false;
  // The hunk says whether the file's last line had a newline; it has to be right about it.
  const atEnd = at + old.length === file.lines.length;
  if (hunk.oldNoNewline) return atEnd && !file.finalNewline;
  return !(atEnd && old.length > 0 && !file.finalNewline);
};

/** Why a hunk does not apply at its stated line: the first line that differs. */
const mismatch = (file: Lines, old: string[], at: number, hunk: DiffHunk): string => {
  for (let i = 0; i < old.length; i++) {
    const line = file.lines[at + i];
    if (line === undefined) return `the file has only ${file.lines.length} lines`;
    if (line !== old[i])
      return `line ${at + i + 1} is ${JSON.stringify(line.slice(0, 120))}, the diff expects ${JSON.stringify(old[i].slice(0, 120))}`;
  }
  return hunk.oldNoNewline
    ? 'the diff says the old file ends there without a newline'
    : 'the file ends without a newline there, the diff does not say so';
};

export interface HunkName {
  /** Path as the diff spells it. */
  file: string;
  /** 1-based number of the hunk in this file, and its index in the whole diff. */
  number: number;
  index: number;
}

/** Applies `hunks` to `text` (one file's, in order), or throws a ValidationError naming the hunk. */
export const applyHunks = (text: string, hunks: DiffHunk[], name: (i: number) => HunkName): Applied => {
  const file = toLines(text);
  const out: string[] = [];
  let cursor = 0;
  let finalNewline = file.finalNewline;
  const offsets: number[] = [];
  hunks.forEach((hunk, i) => {
    const { old, new: next } = sides(hunk);
    const stated = statedIndex(hunk);
    let at = stated >= cursor && matchesAt(file, old, stated, hunk) ? stated : -1;
    if (at < 0 && old.length > 0) {
      const places: number[] = [];
      for (let p = cursor; p + old.length <= file.lines.length && places.length < 2; p++)
        if (matchesAt(file, old, p, hunk)) places.push(p);
      if (places.length === 1) at = places[0];
      else {
        const { file: path, number, index } = name(i);
        const why =
          stated < cursor
            ? `it overlaps the previous hunk`
            : places.length === 0
              ? `${mismatch(file, old, stated, hunk)}, and its lines appear nowhere else after the previous hunk`
              : `${mismatch(file, old, stated, hunk)}, and its lines appear in more than one other place`;
        throw new ValidationError(
          `${path}: hunk ${number} (diff hunk #${index}) ${JSON.stringify(hunk.header)} does not apply: ${why}`,
          'the diff was made against other sources than the installed ones; regenerate it against them, or pass --python of the environment it was made for',
        );
      }
    } else if (at < 0) {
      const { file: path, number, index } = name(i);
      throw new ValidationError(
        `${path}: hunk ${number} (diff hunk #${index}) ${JSON.stringify(hunk.header)} does not apply: it has no context and line ${stated} is past the end of the file (${file.lines.length} lines)`,
        'regenerate the diff with context lines',
      );
    }
    out.push(...file.lines.slice(cursor, at), ...next);
    cursor = at + old.length;
    if (cursor === file.lines.length) finalNewline = !hunk.newNoNewline;
    offsets.push(at - stated);
  });
  out.push(...file.lines.slice(cursor));
  return { text: fromLines({ lines: out, finalNewline }), offsets };
};
