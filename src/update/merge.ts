/**
 * The three-way merge of a replaced definition: upstream's change (old upstream → new upstream)
 * applied to the user's version in the core, line by line (node-diff3). Where both changed the same
 * lines (or adjacent ones) the result holds git's conflict markers, the user's lines first.
 */
import { diff3Merge } from 'node-diff3';

export interface MergeResult {
  text: string;
  conflicts: number;
}

const linesOf = (text: string) => text.replace(/\n$/, '').split('\n');

export const mergeDefinition = (
  mine: string,
  oldUpstream: string,
  newUpstream: string,
  labels: { mine: string; theirs: string },
): MergeResult => {
  if (mine === oldUpstream) return { text: newUpstream, conflicts: 0 };
  if (oldUpstream === newUpstream) return { text: mine, conflicts: 0 };
  const regions = diff3Merge(linesOf(mine), linesOf(oldUpstream), linesOf(newUpstream), {
    excludeFalseConflicts: true,
  }) as { ok?: string[]; conflict?: { a: string[]; o: string[]; b: string[] } }[];
  const out: string[] = [];
  let conflicts = 0;
  for (const r of regions) {
    if (r.ok) out.push(...r.ok);
    else if (r.conflict) {
      conflicts++;
      out.push(`<<<<<<< ${labels.mine}`, ...r.conflict.a, '=======', ...r.conflict.b, `>>>>>>> ${labels.theirs}`);
    }
  }
  return { text: `${out.join('\n')}\n`, conflicts };
};
