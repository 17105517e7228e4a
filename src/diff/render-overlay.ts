/**
 * `<name>_patch_overlay.py` of a bundle: templates/patch_overlay.py with the overlay hunks of the
 * plan as a literal dict. Every string that reaches the file goes through pyStr (ASCII, escaped),
 * module names are checked to be dotted identifiers, and hunk lines to carry a diff prefix.
 */
import { ValidationError } from '../errors.js';
import { fill } from '../generate/fill.js';
import { pyStr } from '../generate/literal.js';
import type { ManifestHunk } from '../generate/manifest.js';
import type { DiffPlan } from './plan.js';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const ENV_PREFIX = /^[A-Z_][A-Z0-9_]*$/;

/**
 * pyStr, and a `__PATCHKIT_` inside the text written `\x5f_PATCHKIT_`: the same string to Python,
 * but no placeholder for fill() to find (patched code may well mention one).
 */
const literal = (text: string) => pyStr(text).replace(/__PATCHKIT_/g, '\\x5f_PATCHKIT_');

const integer = (value: number) => {
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(`not a line number: ${value}`);
  return String(value);
};

const tuple = (items: string[]) => (items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`);

const hunkValue = (module: string, hunk: ManifestHunk): string => {
  for (const line of hunk.lines)
    if (!/^[ +-]/.test(line))
      throw new ValidationError(`hunk ${hunk.index} of ${module}: a line without a diff prefix`);
  return tuple([
    integer(hunk.oldStart),
    integer(hunk.oldLines),
    integer(hunk.newStart),
    integer(hunk.newLines),
    tuple(hunk.lines.map(literal)),
  ]);
};

/** `{key: value}` one entry per line; keys are module names, values code built here. */
const dict = (entries: [string, string][]) =>
  entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `    ${literal(k)}: ${v},\n`).join('')}}`;

/** A module's overlay hunks, in the order they apply (old lines where they were found). */
export type OverlayEntry = [module: string, hunks: ManifestHunk[]];

/** The overlay hunks of each module of a plan. */
export const overlayHunks = (plan: DiffPlan): OverlayEntry[] =>
  plan.modules.flatMap((m) =>
    m.changes.flatMap((c): OverlayEntry[] =>
      c.mechanism === 'overlay'
        ? [
            [
              m.module,
              [...c.hunks]
                .sort((a, b) => a - b)
                .map((i) => plan.hunks[i])
                .map((h) => ({ ...h, oldStart: h.appliedOldStart })),
            ],
          ]
        : [],
    ),
  );

/**
 * Fills the overlay template. `envPrefix` names the bundle's variables (`<PREFIX>_PATCH_CACHE`);
 * without it the module derives it from its own file name (`<name>_patch_overlay`).
 */
export const renderOverlayModule = (template: string, plan: DiffPlan, options: { envPrefix?: string } = {}): string =>
  renderOverlayEntries(template, overlayHunks(plan), options);

/** The same from each module's hunks, as a bundle's manifest keeps them (`update` moves them). */
export const renderOverlayEntries = (
  template: string,
  entries: OverlayEntry[],
  options: { envPrefix?: string } = {},
): string => {
  for (const [module] of entries)
    if (!DOTTED.test(module)) throw new ValidationError(`not a module name: ${JSON.stringify(module)}`);
  if (options.envPrefix !== undefined && !ENV_PREFIX.test(options.envPrefix))
    throw new ValidationError(`not an environment variable prefix: ${JSON.stringify(options.envPrefix)}`);
  const overlays = dict(
    entries.map(([module, hunks]) => [
      module,
      hunks.length === 0 ? '()' : `(\n${hunks.map((h) => `        ${hunkValue(module, h)},\n`).join('')}    )`,
    ]),
  );
  const indices = dict(entries.map(([module, hunks]) => [module, tuple(hunks.map((h) => integer(h.index)))]));
  return fill(
    template,
    {
      OVERLAYS: overlays,
      OVERLAY_HUNKS: indices,
      ENV_PREFIX: options.envPrefix === undefined ? 'None' : literal(options.envPrefix),
    },
    'patch_overlay.py',
  );
};
