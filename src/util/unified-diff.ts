/** A unified diff (`---`/`+++`, `@@ -a,b +c,d @@`, three lines of context) of two texts, for people to review. */
import { diffIndices } from 'node-diff3';

const CONTEXT = 3;

const linesOf = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

const range = (start: number, count: number) =>
  count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;

/**
 * `oldStart`/`newStart`: the file line of each text's first line, so hunks name real lines.
 * Returns '' when the texts are the same.
 */
export const unifiedDiff = (
  oldText: string,
  newText: string,
  labels: { old: string; new: string },
  starts: { old: number; new: number } = { old: 1, new: 1 },
): string => {
  const a = linesOf(oldText);
  const b = linesOf(newText);
  const changes = diffIndices(a, b) as { buffer1: [number, number]; buffer2: [number, number] }[];
  if (changes.length === 0) return '';
  // Group changes whose contexts touch into one hunk.
  const groups: (typeof changes)[] = [];
  for (const c of changes) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (prev && c.buffer1[0] - (prev.buffer1[0] + prev.buffer1[1]) <= 2 * CONTEXT) last.push(c);
    else groups.push([c]);
  }
  const out = [`--- ${labels.old}`, `+++ ${labels.new}`];
  for (const group of groups) {
    const first = group[0];
    const last = group[group.length - 1];
    const aStart = Math.max(0, first.buffer1[0] - CONTEXT);
    const aEnd = Math.min(a.length, last.buffer1[0] + last.buffer1[1] + CONTEXT);
    const bStart = Math.max(0, first.buffer2[0] - (first.buffer1[0] - aStart));
    const bEnd = Math.min(b.length, last.buffer2[0] + last.buffer2[1] + (aEnd - (last.buffer1[0] + last.buffer1[1])));
    out.push(`@@ -${range(aStart + starts.old, aEnd - aStart)} +${range(bStart + starts.new, bEnd - bStart)} @@`);
    let i = aStart;
    for (const c of group) {
      for (; i < c.buffer1[0]; i++) out.push(` ${a[i]}`);
      for (let k = 0; k < c.buffer1[1]; k++) out.push(`-${a[c.buffer1[0] + k]}`);
      for (let k = 0; k < c.buffer2[1]; k++) out.push(`+${b[c.buffer2[0] + k]}`);
      i = c.buffer1[0] + c.buffer1[1];
    }
    for (; i < aEnd; i++) out.push(` ${a[i]}`);
  }
  return `${out.join('\n')}\n`;
};
