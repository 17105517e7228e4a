/**
 * Whether an overlay's hunks (kept in the bundle's `<name>_patch_overlay.py` as a literal) still apply
 * to a module's new source, each on its own and with exact context, as the runtime applies them: at
 * the line they were applied at, else at the one other place their old lines appear.
 */
import { applyHunks } from '../diff/apply.js';
import type { DiffHunk } from '../diff/parse.js';
import type { ManifestHunk } from '../generate/manifest.js';
import { readAssignment, type Literal } from '../env/python-literal.js';

export interface HunkCheck {
  /** The hunk's index in the plan the bundle was made from. */
  index: number;
  header: string;
  applies: boolean;
  /** 1-based line of the new source where its old lines start, when it applies. */
  line?: number;
  /** Lines from where it was applied when the bundle was made. */
  offset?: number;
  reason?: string;
}

/** A manifest's hunk as the diff parser gives one (its header made from its numbers). */
export const diffHunkOf = (h: ManifestHunk): DiffHunk => ({
  header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
  oldStart: h.oldStart,
  oldLines: h.oldLines,
  newStart: h.newStart,
  newLines: h.newLines,
  lines: h.lines,
  oldNoNewline: false,
  newNoNewline: false,
  diffLine: 0,
});

const isNumber = (v: Literal | undefined): v is number => typeof v === 'number';

/** The module's hunks from the overlay module's text; null when the literal cannot be read. */
export const overlayHunksOf = (
  overlayModule: string,
  module: string,
): { hunks: DiffHunk[]; indices: number[] } | null => {
  const overlays = readAssignment(overlayModule, '_OVERLAYS');
  const indices = readAssignment(overlayModule, '_HUNK_INDEX');
  if (!overlays || typeof overlays !== 'object' || Array.isArray(overlays)) return null;
  const entries = overlays[module];
  if (!Array.isArray(entries)) return null;
  const hunks: DiffHunk[] = [];
  for (const e of entries) {
    if (!Array.isArray(e) || e.length !== 5) return null;
    const [oldStart, oldLines, newStart, newLines, lines] = e;
    if (![oldStart, oldLines, newStart, newLines].every(isNumber) || !Array.isArray(lines)) return null;
    if (!lines.every((l): l is string => typeof l === 'string')) return null;
    hunks.push({
      header: `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`,
      oldStart: oldStart as number,
      oldLines: oldLines as number,
      newStart: newStart as number,
      newLines: newLines as number,
      lines,
      oldNoNewline: false,
      newNoNewline: false,
      diffLine: 0,
    });
  }
  const ix =
    indices && typeof indices === 'object' && !Array.isArray(indices) && Array.isArray(indices[module])
      ? (indices[module] as Literal[])
      : [];
  return { hunks, indices: hunks.map((_, i) => (isNumber(ix[i]) ? (ix[i] as number) : i)) };
};

/**
 * Each hunk in order, as the runtime applies them (each after the one before): one that does not
 * apply is reported and left out, and the rest are checked after the last that did.
 */
export const checkHunks = (source: string, file: string, hunks: DiffHunk[], indices: number[]): HunkCheck[] => {
  const kept: DiffHunk[] = [];
  return hunks.map((hunk, i) => {
    const base = { index: indices[i], header: hunk.header };
    try {
      const { offsets } = applyHunks(source, [...kept, hunk], (k) => ({ file, number: k + 1, index: indices[i] }));
      kept.push(hunk);
      const offset = offsets[offsets.length - 1];
      const stated = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
      return { ...base, applies: true, line: stated + offset, offset };
    } catch (error) {
      return { ...base, applies: false, reason: (error as Error).message.replace(/^.*? does not apply: /, '') };
    }
  });
};
