/**
 * Pure rendering: BundleModel + templates → file name → contents. No I/O, no clock, no randomness:
 * the same model renders the same bytes.
 */
import { createHash } from 'node:crypto';
import { renderBlocks } from './blocks.js';
import { fill } from './fill.js';
import { injectorValues } from './injector.js';
import { pyDictLines, pyStr, pyTupleLines, pyValue } from './literal.js';
import type { BundleModel, ModelTarget } from './model.js';
import { HOW_WORDS, hasOverlay, toManifest } from './model.js';
import { renderOverlayEntries, type OverlayEntry } from '../diff/render-overlay.js';
import type { Templates } from './templates.js';

/** Names a module-level function must be re-bound under in other modules. */
const rebindNames = (t: ModelTarget): string[] =>
  t.qualname.includes('.') ? [] : [...new Set([t.qualname, ...t.bindingSites.map((s) => s.name)])].sort();

const bindingModules = (model: BundleModel): string[] =>
  [
    ...new Set(model.targets.flatMap((t) => (t.qualname.includes('.') ? [] : t.bindingSites.map((s) => s.module)))),
  ].sort();

/** A signature in the `# Target:` comment is for reading: a 15k-character one is cut (the manifest keeps it whole). */
const SIGNATURE_SHOWN = 300;

const shortSignature = (signature: string): string => {
  const chars = Array.from(signature);
  return chars.length <= SIGNATURE_SHOWN ? signature : `${chars.slice(0, SIGNATURE_SHOWN).join('')} …`;
};

const defText = (t: ModelTarget): string =>
  `${t.key} (${t.kind}): ${t.async ? 'async ' : ''}def ${t.qualname.split('.').pop()}${shortSignature(t.signature)}`;

/** The injector module: its finder watches sentinels, targets' modules and binding sites. */
const injector = (model: BundleModel): Record<string, string> =>
  injectorValues({
    loader: model.modules.loader,
    envPrefix: model.envPrefix,
    // The core too: when a user imports it by hand, the loader must still run it (its blocks cut out).
    watch: [...model.targets.flatMap((t) => [t.sentinel, t.module]), ...bindingModules(model), model.modules.core],
    sentinels: model.targets.map((t) => t.sentinel),
  });

const common = (model: BundleModel): Record<string, string> => ({
  NAME: model.name,
  ENV: model.envPrefix,
  ENV_PREFIX: pyStr(model.envPrefix),
  LOADER_MODULE: pyStr(model.modules.loader),
  CORE_MODULE: pyStr(model.modules.core),
  MARK: pyStr(`__patchkit_${model.name}__`),
});

const wrapperBlock = (model: BundleModel, templates: Templates, t: ModelTarget): string =>
  fill(
    templates.wrappers[`${model.body === 'trace' ? 'trace' : 'passthrough'}_${t.shape}`],
    { FACTORY: t.factory, KEY: pyStr(t.key), TARGET: t.key, DEF: defText(t) },
    `wrapper for ${t.key}`,
  ).replace(/\n+$/, '\n');

/** The docstring lines that explain the kinds of TARGETS entry this core has, and only those. */
const HOW_TEXT: Record<string, string[]> = {
  wrap: [
    '    ("wrap", factory)       factory(original) returns what takes the original\'s place; the loader',
    '                            rebuilds the same kind of object (method, classmethod, property...) and',
    '                            re-points `from x import f` copies. arguments(original, args, kwargs)',
    "                            gives a call's arguments by parameter name. A wrapper that reads no",
    "                            global of this file runs with its target's globals, as TorchScript",
    '                            needs; bind what it uses in the factory, above `def wrapper` (README).',
  ],
  replace: [
    '    ("replace", "code")     the definition in its module\'s block below gives the original function',
    '                            its code: every holder of the function (a registry, a decorator, a',
    "                            `from x import f` copy) runs the new body; upstream's decorators stay.",
    '    ("replace", "object")   the definition runs, decorators included, and the new object takes the',
    "                            original's place (and that of its `from x import f` copies).",
  ],
  add: ['    ("add", None)           the definition in its module\'s block is added where it stands.'],
  remove: ['    ("remove", None)        the original definition is deleted from its module or class.'],
  'module-code': ['    ("module-code", None)   the block\'s other statements (imports, constants) run in the module.'],
  overlay: [
    '    ("overlay", None)       the diff\'s hunks for the module (in the bundle\'s _patch_overlay module) are',
    '                            applied to its source before it runs: class bodies, decorators, import-time code.',
  ],
  'new-module': ['    ("new-module", None)    a module the diff adds: its block below is its whole source.'],
};

const BLOCKS_TEXT = [
  '',
  'A block between `patchkit: definitions in <module>` markers is compiled as if it stood in that',
  "module's file: its globals, the enclosing class (super(), __class__, private names) and the module's",
  '__future__ imports; a `class X:` line there only says where the definitions inside it belong. The',
  'blocks never run as part of this file, so the names they use need no import here.',
];

const howText = (model: BundleModel): string => {
  const hows = new Set(model.targets.map((t) => t.how));
  const lines = Object.keys(HOW_TEXT).flatMap((how) => (hows.has(how as ModelTarget['how']) ? HOW_TEXT[how] : []));
  if (model.blocks.length > 0) lines.push(...BLOCKS_TEXT);
  return `${lines.join('\n')}\n`;
};

const coreImports = (model: BundleModel): string[] => {
  if (!model.targets.some((t) => t.how === 'wrap')) return [];
  const lines = ['import functools'];
  if (model.body === 'trace') lines.push('import time');
  const helpers = model.body === 'trace' ? 'arguments, trace' : 'arguments';
  lines.push('', `from ${model.modules.loader} import ${helpers}  # noqa: F401 - helpers for the wrappers`);
  return lines;
};

const tableEntry = (t: ModelTarget): string => {
  if (t.how === 'wrap') return `('wrap', ${t.factory})`;
  if (t.how === 'replace') return `('replace', ${pyStr(t.mode ?? 'code')})`;
  return `(${pyStr(t.how)}, None)`;
};

const renderCore = (model: BundleModel, templates: Templates): string => {
  const wrappers = model.targets
    .filter((t) => t.how === 'wrap')
    .map((t) => wrapperBlock(model, templates, t))
    .join('\n\n');
  const parts = [coreImports(model).join('\n'), wrappers.replace(/\n$/, '')].filter(Boolean);
  parts.push(`TARGETS = ${pyDictLines(model.targets.map((t) => [t.key, tableEntry(t)]))}`);
  const head = fill(
    templates.core,
    { NAME: model.name, HOW: howText(model), BODY: parts.join('\n\n\n') },
    'patch_core.py',
  );
  // Blocks hold upstream's code, which may contain anything, so they are added after filling.
  return model.blocks.length === 0 ? head : `${head}\n\n${renderBlocks(model.blocks)}`;
};

const modulesWith = (model: BundleModel, how: ModelTarget['how']): string[] =>
  [...new Set(model.targets.filter((t) => t.how === how).map((t) => t.module))].sort();

const loaderTarget = (t: ModelTarget): string =>
  pyValue([
    t.key,
    t.module,
    t.sentinel,
    t.qualname,
    t.kind,
    t.shape,
    t.startLine,
    t.endLine - t.startLine + 1,
    t.sourceHash,
    rebindNames(t),
  ]);

const renderLoader = (model: BundleModel, templates: Templates): string => {
  const dist = model.distribution ? pyValue([model.distribution.name, model.distribution.version]) : 'None';
  return fill(
    templates.loader,
    {
      ...common(model),
      POLICY: pyStr(model.policy),
      DISTRIBUTION: dist,
      LOADER_TARGETS: pyTupleLines(model.targets.map(loaderTarget)),
      BINDING_MODULES: `frozenset(${pyValue(bindingModules(model))})`,
      BLOCK_MODULES: `frozenset(${pyValue(model.blocks.map((b) => b.module))})`,
      IMPORTED_NAMES: pyDictLines(
        model.blocks.filter((b) => b.imported.length > 0).map((b) => [b.module, pyValue(b.imported)]),
      ),
      OVERLAY_MODULE: pyStr(`${model.name}_patch_overlay`),
      OVERLAY_MODULES: `frozenset(${pyValue(modulesWith(model, 'overlay'))})`,
      NEW_MODULES: `frozenset(${pyValue(modulesWith(model, 'new-module'))})`,
    },
    'patch_loader.py',
  );
};

const renderTest = (model: BundleModel, templates: Templates): string =>
  fill(
    templates.test,
    {
      ...common(model),
      TEST_TARGETS: pyTupleLines(model.targets.map((t) => pyValue([t.key, t.module, t.qualname, t.sentinel, t.how]))),
    },
    'test_patch.py',
  );

const renderReadme = (model: BundleModel, templates: Templates): string => {
  const dist = model.distribution
    ? `${model.distribution.name} ${model.distribution.version ?? '(version unknown)'}`
    : `${model.package} (no distribution: stdlib or a path)`;
  const list = model.targets.map(
    (t) =>
      `- \`${t.key}\` (${t.kind}${t.async ? ', async' : ''}${t.generator ? ', generator' : ''}; ${HOW_WORDS[t.how]}${t.mode ? `, ${t.mode}` : ''}), sentinel \`${t.sentinel}\``,
  );
  return fill(
    templates.readme,
    {
      ...common(model),
      VERSION: model.patchkitVersion,
      DISTRIBUTION_TEXT: dist,
      POLICY_TEXT: model.policy,
      TARGET_LIST: list.join('\n'),
      SENTINEL_TEXT: model.sentinels.map((s) => `\`${s}\``).join(', '),
    },
    'README.md',
  );
};

/** Each overlay target's hunks, in the order of the targets (the plan's order of modules). */
const overlayEntries = (model: BundleModel): OverlayEntry[] =>
  model.targets.filter((t) => t.how === 'overlay').map((t): OverlayEntry => [t.module, t.hunks ?? []]);

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const render = (model: BundleModel, templates: Templates): Map<string, string> => {
  const f = model.files;
  const c = common(model);
  const core = renderCore(model, templates);
  const overlay: [string, string][] = hasOverlay(model)
    ? [[f.overlay, renderOverlayEntries(templates.overlay, overlayEntries(model), { envPrefix: model.envPrefix })]]
    : [];
  return new Map([
    [f.loader, renderLoader(model, templates)],
    [f.core, core],
    ...overlay,
    [f.injector, fill(templates.injector, { ...c, ...injector(model) }, 'patch_injector.py')],
    [f.pth, fill(templates.pth, c, 'patch_injector.pth')],
    [f.start, fill(templates.start, c, 'patch_injector.start')],
    [f.test, renderTest(model, templates)],
    [f.readme, renderReadme(model, templates)],
    [f.manifest, `${JSON.stringify(toManifest(model, sha256(core)), null, 2)}\n`],
  ]);
};
