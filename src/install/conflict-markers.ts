/**
 * A core that `update` left with merge conflicts holds git's markers at the start of lines; such a
 * bundle must not reach a process (the core would not even compile), so install and build refuse it.
 */
import { ValidationError } from '../errors.js';
import type { LoadedBundle } from './bundle.js';

/** Line numbers (1-based) of `<<<<<<< ` lines that a `=======` and a `>>>>>>> ` line follow. */
export const conflictLines = (text: string): number[] => {
  const lines = text.split('\n');
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('<<<<<<<')) continue;
    const middle = lines.findIndex((l, j) => j > i && l.startsWith('======='));
    const end = lines.findIndex((l, j) => j > middle && l.startsWith('>>>>>>>'));
    if (middle > i && end > middle) out.push(i + 1);
  }
  return out;
};

export const refuseConflicts = (bundle: LoadedBundle): void => {
  const core = bundle.files.find((f) => f.role === 'core');
  if (!core) return;
  const at = conflictLines(core.data.toString('utf8'));
  if (at.length === 0) return;
  throw new ValidationError(
    `${core.name} holds ${at.length} unresolved merge conflict(s) (line ${at.join(', ')})`,
    'edit the definitions between <<<<<<< and >>>>>>> and remove the markers, then install again',
  );
};
