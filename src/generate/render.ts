/**
 * Pure rendering: BundleModel + templates → file name → contents. No I/O, no clock, no randomness:
 * the same model renders the same bytes.
 */
import { createHash } from 'node:crypto';
import { fill, replaceRegion } from './fill.js';
import { injectorValues } from './injector.js';
import { pyDictLines, pyStr, pyTupleLines, pyValue } from './literal.js';
import type { BundleModel, ModelTarget } from './model.js';
import { toManifest } from './model.js';
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
    watch: [...model.targets.flatMap((t) => [t.sentinel, t.module]), ...bindingModules(model)],
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
    templates.wrappers[`${model.body}_${t.shape}`],
    { FACTORY: t.factory, KEY: pyStr(t.key), TARGET: t.key, DEF: defText(t) },
    `wrapper for ${t.key}`,
  ).replace(/\n+$/, '\n');

const coreTable = (model: BundleModel): string =>
  pyDictLines(
    model.targets.map((t) => {
      const args = [
        pyStr(t.key),
        pyStr(t.module),
        pyStr(t.qualname),
        pyStr(t.kind),
        pyStr(t.shape),
        t.factory,
        pyValue(t.startLine),
        pyValue(t.endLine - t.startLine + 1),
        pyStr(t.sourceHash),
        pyValue(rebindNames(t)),
      ];
      return [t.key, `_Target(${args.join(', ')})`];
    }),
  );

const renderCore = (model: BundleModel, templates: Templates): string => {
  const blocks = model.targets.map((t) => wrapperBlock(model, templates, t)).join('\n\n');
  const dist = model.distribution ? pyValue([model.distribution.name, model.distribution.version]) : 'None';
  return fill(
    replaceRegion(templates.core, blocks, 'patch_core.py'),
    { ...common(model), DISTRIBUTION: dist, CORE_TARGETS: coreTable(model) },
    'patch_core.py',
  );
};

const renderLoader = (model: BundleModel, templates: Templates): string =>
  fill(
    templates.loader,
    {
      ...common(model),
      LOADER_TARGETS: pyTupleLines(model.targets.map((t) => pyValue([t.key, t.module, t.sentinel]))),
      BINDING_MODULES: `frozenset(${pyValue(bindingModules(model))})`,
    },
    'patch_loader.py',
  );

const renderTest = (model: BundleModel, templates: Templates): string =>
  fill(
    templates.test,
    {
      ...common(model),
      TEST_TARGETS: pyTupleLines(model.targets.map((t) => pyValue([t.key, t.module, t.qualname, t.sentinel]))),
    },
    'test_patch.py',
  );

const renderReadme = (model: BundleModel, templates: Templates): string => {
  const dist = model.distribution
    ? `${model.distribution.name} ${model.distribution.version ?? '(version unknown)'}`
    : `${model.package} (no distribution: stdlib or a path)`;
  const list = model.targets.map(
    (t) =>
      `- \`${t.key}\` (${t.kind}${t.async ? ', async' : ''}${t.generator ? ', generator' : ''}), sentinel \`${t.sentinel}\``,
  );
  return fill(
    templates.readme,
    {
      ...common(model),
      VERSION: model.patchkitVersion,
      DISTRIBUTION_TEXT: dist,
      TARGET_LIST: list.join('\n'),
      SENTINEL_TEXT: model.sentinels.map((s) => `\`${s}\``).join(', '),
    },
    'README.md',
  );
};

export const render = (model: BundleModel, templates: Templates): Map<string, string> => {
  const f = model.files;
  const c = common(model);
  const core = renderCore(model, templates);
  const manifest = { ...toManifest(model), coreSha256: createHash('sha256').update(core).digest('hex') };
  return new Map([
    [f.loader, renderLoader(model, templates)],
    [f.core, core],
    [f.injector, fill(templates.injector, { ...c, ...injector(model) }, 'patch_injector.py')],
    [f.pth, fill(templates.pth, c, 'patch_injector.pth')],
    [f.start, fill(templates.start, c, 'patch_injector.start')],
    [f.test, renderTest(model, templates)],
    [f.readme, renderReadme(model, templates)],
    [f.manifest, `${JSON.stringify(manifest, null, 2)}\n`],
  ]);
};
