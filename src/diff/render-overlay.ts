/**
 * `<name>_patch_overlay.py` of a bundle: templates/patch_overlay.py with the overlay hunks of the
 * plan as a literal dict. Every string that reaches the file goes through pyStr (ASCII, escaped),
 * module names are checked to be dotted identifiers, and hunk lines to carry a diff prefix.
 */
import { ValidationError } from '../errors.js';
import { fill } from '../generate/fill.js';
import { pyDictLines, pyStr, pyValue } from '../generate/literal.js';
import type { DiffPlan, PlannedHunk } from './plan.js';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const ENV_PREFIX = /^[A-Z_][A-Z0-9_]*$/;

const hunkValue = (hunk: PlannedHunk): string => {
  for (const line of hunk.lines)
    if (!/^[ +-]/.test(line))
      throw new ValidationError(`hunk ${hunk.index} of ${hunk.module}: a line without a diff prefix`);
  return pyValue([hunk.appliedOldStart, hunk.oldLines, hunk.newStart, hunk.newLines, hunk.lines]);
};

/** The overlay hunks of each module, in the order they apply. */
export const overlayHunks = (plan: DiffPlan): [string, PlannedHunk[]][] =>
  plan.modules.flatMap((m) =>
    m.changes.flatMap((c) =>
      c.mechanism === 'overlay'
        ? [[m.module, [...c.hunks].sort((a, b) => a - b).map((i) => plan.hunks[i])] as [string, PlannedHunk[]]]
        : [],
    ),
  );

/**
 * Fills the overlay template. `envPrefix` names the bundle's variables (`<PREFIX>_PATCH_CACHE`);
 * without it the module derives it from its own file name (`<name>_patch_overlay`).
 */
export const renderOverlayModule = (template: string, plan: DiffPlan, options: { envPrefix?: string } = {}): string => {
  const entries = overlayHunks(plan);
  for (const [module] of entries)
    if (!DOTTED.test(module)) throw new ValidationError(`not a module name: ${JSON.stringify(module)}`);
  if (options.envPrefix !== undefined && !ENV_PREFIX.test(options.envPrefix))
    throw new ValidationError(`not an environment variable prefix: ${JSON.stringify(options.envPrefix)}`);
  const overlays = pyDictLines(
    entries.map(([module, hunks]) => [
      module,
      hunks.length === 0 ? '()' : `(\n${hunks.map((h) => `        ${hunkValue(h)},\n`).join('')}    )`,
    ]),
  );
  const indices = pyDictLines(entries.map(([module, hunks]) => [module, pyValue(hunks.map((h) => h.index))]));
  return fill(
    template,
    {
      OVERLAYS: overlays,
      OVERLAY_HUNKS: indices,
      ENV_PREFIX: options.envPrefix === undefined ? 'None' : pyStr(options.envPrefix),
    },
    'patch_overlay.py',
  );
};
