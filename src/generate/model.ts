/**
 * The typed model a bundle is rendered from. `buildModel` is the only way to get one: it validates
 * every string and number that reaches generated code (ValidationError, nothing written).
 */
import type { SymbolKind } from '../scan/model.js';
import { ValidationError } from '../errors.js';
import type { BodyStyle, BundleManifest, ManifestTarget } from './manifest.js';
import { bundleExtraFileNames, bundleFileNames } from './manifest.js';
import * as v from './validate.js';

export type Shape = 'sync' | 'async' | 'generator' | 'asyncgen';

export const WRAPPABLE_KINDS = ['function', 'method', 'classmethod', 'staticmethod', 'property'] as const;

/** One target as `new` (or a test) hands it over. */
export type TargetInput = Omit<ManifestTarget, 'kind'> & { kind: SymbolKind };

export interface BundleInput {
  name: string;
  body: string;
  package: string;
  distribution: { name: string; version: string | null } | null;
  patchkitVersion: string;
  targets: TargetInput[];
}

export interface ModelTarget extends ManifestTarget {
  key: string;
  shape: Shape;
  /** Python identifier of the wrapper factory in the core. */
  factory: string;
}

export interface BundleModel {
  name: string;
  /** NAME upper-cased: `<NAME>_PATCH_DISABLE` … */
  envPrefix: string;
  body: BodyStyle;
  package: string;
  distribution: { name: string; version: string | null } | null;
  patchkitVersion: string;
  sentinels: string[];
  targets: ModelTarget[];
  modules: { loader: string; core: string; test: string };
  files: ReturnType<typeof bundleFileNames> & ReturnType<typeof bundleExtraFileNames>;
}

export const shapeOf = (target: { async: boolean; generator: boolean }): Shape =>
  target.async ? (target.generator ? 'asyncgen' : 'async') : target.generator ? 'generator' : 'sync';

/**
 * The factory is a Python identifier in generated source: kept ASCII (a non-ASCII qualname's letters
 * become `uXXXX`), so cutting it to 120 characters can never split a character.
 */
const asciiPart = (qualname: string): string =>
  Array.from(qualname.split('.').join('_'), (ch) =>
    /[A-Za-z0-9_]/.test(ch) ? ch : `u${(ch.codePointAt(0) ?? 0).toString(16)}`,
  ).join('');

const buildTarget = (t: TargetInput, index: number): ModelTarget => {
  v.validateModule(t.module);
  v.validateQualname(t.qualname);
  v.validateModule(t.sentinel, 'sentinel');
  const kind = v.validateOneOf(t.kind, WRAPPABLE_KINDS, `kind of ${t.module}:${t.qualname}`);
  v.validateCommentText(t.signature, 'signature');
  v.validateHash(t.fingerprint, 'fingerprint');
  v.validateHash(t.sourceHash, 'source hash');
  v.validateLine(t.line, 'line');
  v.validateLine(t.startLine, 'start line');
  v.validateLine(t.endLine, 'end line');
  if (t.startLine > t.line || t.endLine < t.line)
    throw new ValidationError(`bad line span for ${t.module}:${t.qualname}`);
  for (const site of t.bindingSites) {
    v.validateModule(site.module, 'binding-site module');
    if (!v.isIdentifier(site.name))
      throw new ValidationError(`binding-site name ${JSON.stringify(site.name)} is not an identifier`);
  }
  if (kind === 'property' && (t.async || t.generator))
    throw new ValidationError(`property ${t.qualname} cannot be async`);
  return {
    ...t,
    kind,
    key: `${t.module}:${t.qualname}`,
    shape: shapeOf(t),
    factory: `_wrap_${index}_${asciiPart(t.qualname)}`.slice(0, 120),
  };
};

export const buildModel = (input: BundleInput): BundleModel => {
  const name = v.validateName(input.name);
  const body = v.validateOneOf(input.body, ['passthrough', 'trace'] as const, '--body');
  v.validateModule(input.package, 'package');
  if (input.distribution) v.validateDistribution(input.distribution.name, input.distribution.version);
  if (!/^[0-9A-Za-z.+-]+$/.test(input.patchkitVersion)) throw new ValidationError('bad patchkit version');
  if (input.targets.length === 0) throw new ValidationError('no targets');
  const targets = input.targets.map(buildTarget);
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.key)) throw new ValidationError(`target ${t.key} given twice`);
    seen.add(t.key);
  }
  return {
    name,
    envPrefix: name.toUpperCase(),
    body,
    package: input.package,
    distribution: input.distribution,
    patchkitVersion: input.patchkitVersion,
    sentinels: [...new Set(targets.map((t) => t.sentinel))].sort(),
    targets,
    modules: { loader: `${name}_patch_loader`, core: `${name}_patch_core`, test: `test_${name}_patch` },
    files: { ...bundleFileNames(name), ...bundleExtraFileNames(name) },
  };
};

/** Fixed key order, whatever order the input object had: the manifest is byte-for-byte reproducible. */
const manifestTarget = (t: ModelTarget): ManifestTarget => ({
  module: t.module,
  qualname: t.qualname,
  kind: t.kind,
  async: t.async,
  generator: t.generator,
  signature: t.signature,
  fingerprint: t.fingerprint,
  sentinel: t.sentinel,
  line: t.line,
  startLine: t.startLine,
  endLine: t.endLine,
  sourceHash: t.sourceHash,
  bindingSites: t.bindingSites.map((s) => ({ module: s.module, name: s.name })),
});

export const toManifest = (model: BundleModel): BundleManifest => ({
  schemaVersion: 1,
  name: model.name,
  patchkitVersion: model.patchkitVersion,
  body: model.body,
  package: model.package,
  distribution: model.distribution,
  sentinels: model.sentinels,
  targets: model.targets.map(manifestTarget),
  files: Object.values(bundleFileNames(model.name)),
});
