/**
 * The typed model a bundle is rendered from. `buildModel` is the only way to get one: it validates
 * every string and number that reaches generated code (ValidationError, nothing written).
 */
import type { SymbolKind } from '../scan/model.js';
import { ValidationError } from '../errors.js';
import type {
  BodyStyle,
  BundleManifest,
  ContextClass,
  ManifestTarget,
  PatchHow,
  Policy,
  ReplaceMode,
} from './manifest.js';
import { bundleExtraFileNames, bundleFileNames } from './manifest.js';
import * as v from './validate.js';
import type { DiffPlan } from '../diff/plan.js';

export type Shape = 'sync' | 'async' | 'generator' | 'asyncgen';

export const WRAPPABLE_KINDS = ['function', 'method', 'classmethod', 'staticmethod', 'property'] as const;
/** What a block of definitions can add or replace besides those: a class, and the module's own statements. */
const DEFINITION_KINDS = [...WRAPPABLE_KINDS, 'class', 'module'] as const;
const HOWS = ['wrap', 'replace', 'add', 'remove', 'module-code', 'overlay', 'new-module'] as const;
/** The qualnames that stand, in TARGETS and reports, for what is not one definition of a module. */
export const MODULE_CODE = '<module code>';
export const OVERLAY = '<overlay>';
export const NEW_MODULE = '<new module>';
/** How each way of patching is said in reports and the bundle README. */
export const HOW_WORDS: Record<PatchHow, string> = {
  wrap: 'wrapped',
  replace: 'replaced',
  add: 'added',
  remove: 'removed',
  'module-code': 'module code',
  overlay: 'source overlay',
  'new-module': 'new module',
};
const PSEUDO: Partial<Record<PatchHow, string>> = {
  'module-code': MODULE_CODE,
  overlay: OVERLAY,
  'new-module': NEW_MODULE,
};

/** One target as `new` (or a test) hands it over. */
export type TargetInput = Omit<ManifestTarget, 'kind'> & {
  /** `module` for what stands for a whole module (its module code, overlay, or a new module). */
  kind: SymbolKind | 'module';
  /** replace/add: the definition's text for its module's block in the core (verbatim, upstream indentation). */
  source?: string;
  /** replace/add: the classes the definition stands in, outermost first. */
  classes?: ContextClass[];
};

/** Module-level statements (imports, constants) a block runs in its module before its definitions. */
export interface ModuleCode {
  module: string;
  source: string;
}

export interface BundleInput {
  name: string;
  /** The plan of a `--from-diff` bundle: its overlay hunks go into `<name>_patch_overlay.py`. */
  plan?: DiffPlan;
  body: string;
  /** Default: `require` for replacements and diffs, `warn` for wrappers. */
  policy?: string;
  package: string;
  distribution: { name: string; version: string | null } | null;
  patchkitVersion: string;
  targets: TargetInput[];
}

export interface ModelTarget extends ManifestTarget {
  key: string;
  shape: Shape;
  how: PatchHow;
  mode?: ReplaceMode;
  /** Python identifier of the wrapper factory in the core (`wrap` only). */
  factory: string;
  source?: string;
  classes: ContextClass[];
}

/** One module's block of definitions in the core. */
export interface ModelBlock {
  module: string;
  /** Names the module binds by import in its own scope (see templates/patch_loader.py, _IMPORTED). */
  imported: string[];
  code: string[];
  definitions: { classes: ContextClass[]; source: string; line: number }[];
}

export interface BundleModel {
  name: string;
  /** NAME upper-cased: `<NAME>_PATCH_DISABLE` … */
  envPrefix: string;
  body: BodyStyle;
  policy: Policy;
  package: string;
  distribution: { name: string; version: string | null } | null;
  patchkitVersion: string;
  sentinels: string[];
  targets: ModelTarget[];
  blocks: ModelBlock[];
  plan: DiffPlan | null;
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
  const how = v.validateOneOf(t.how ?? 'wrap', HOWS, `how ${t.module}:${t.qualname} is patched`);
  if (PSEUDO[how] !== undefined) {
    if (t.qualname !== PSEUDO[how]) throw new ValidationError(`a ${how} target is named ${PSEUDO[how]}`);
  } else v.validateQualname(t.qualname);
  v.validateModule(t.sentinel, 'sentinel');
  const kind = v.validateOneOf(
    t.kind,
    how === 'wrap' ? WRAPPABLE_KINDS : DEFINITION_KINDS,
    `kind of ${t.module}:${t.qualname}`,
  );
  const mode = how === 'replace' ? v.validateOneOf(t.mode ?? 'code', ['code', 'object'] as const, 'mode') : undefined;
  if ((how === 'replace' || how === 'add') && t.source === undefined)
    throw new ValidationError(`${t.module}:${t.qualname}: no definition text to ${how} it with`);
  if (t.source !== undefined) v.validateBlockText(t.source, `definition of ${t.module}:${t.qualname}`);
  for (const c of t.classes ?? []) {
    if (!v.isIdentifier(c.name) || !/^[ \t]*$/.test(c.indent))
      throw new ValidationError(`bad enclosing class ${JSON.stringify(c)} of ${t.module}:${t.qualname}`);
  }
  v.validateCommentText(t.signature, 'signature');
  // What has no upstream definition (an added one, module code, a new module) has no hashes.
  if (t.fingerprint !== '' || how === 'wrap') v.validateHash(t.fingerprint, 'fingerprint');
  if (t.sourceHash !== '' || how === 'wrap') v.validateHash(t.sourceHash, 'source hash');
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
    how,
    mode,
    classes: t.classes ?? [],
    key: `${t.module}:${t.qualname}`,
    shape: shapeOf(t),
    factory: `_wrap_${index}_${asciiPart(t.qualname)}`.slice(0, 120),
  };
};

/** The core's blocks: per module (sorted), its module-level statements, then its definitions in upstream order. */
const buildBlocks = (targets: ModelTarget[], code: ModuleCode[], imported: Record<string, string[]>): ModelBlock[] => {
  const blocks = new Map<string, ModelBlock>();
  const block = (module: string) => {
    let b = blocks.get(module);
    if (!b) {
      const names = [...new Set(imported[module] ?? [])].sort();
      for (const name of names)
        if (!v.isIdentifier(name)) throw new ValidationError(`${module} imports ${JSON.stringify(name)}, not a name`);
      blocks.set(module, (b = { module, imported: names, code: [], definitions: [] }));
    }
    return b;
  };
  for (const c of code) {
    v.validateModule(c.module);
    v.validateBlockText(c.source, `module code of ${c.module}`);
    block(c.module).code.push(c.source);
  }
  for (const t of targets) {
    if (t.source === undefined) continue;
    block(t.module).definitions.push({ classes: t.classes, source: t.source, line: t.startLine });
  }
  for (const b of blocks.values()) b.definitions.sort((x, y) => x.line - y.line);
  return [...blocks.values()].sort((x, y) => (x.module < y.module ? -1 : x.module > y.module ? 1 : 0));
};

export const buildModel = (
  input: BundleInput & { moduleCode?: ModuleCode[]; importedNames?: Record<string, string[]> },
): BundleModel => {
  const name = v.validateName(input.name);
  const body = v.validateOneOf(input.body, ['passthrough', 'trace', 'replace'] as const, '--body');
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
  const wrapsOnly = targets.every((t) => t.how === 'wrap');
  const policy = v.validateOneOf(input.policy ?? (wrapsOnly ? 'warn' : 'require'), POLICIES, '--policy');
  return {
    name,
    envPrefix: name.toUpperCase(),
    body,
    policy,
    package: input.package,
    distribution: input.distribution,
    patchkitVersion: input.patchkitVersion,
    sentinels: [...new Set(targets.map((t) => t.sentinel))].sort(),
    targets,
    blocks: buildBlocks(targets, input.moduleCode ?? [], input.importedNames ?? {}),
    plan: input.plan ?? null,
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
  how: t.how,
  ...(t.mode ? { mode: t.mode } : {}),
  upstream: t.upstream ?? null,
  ...(t.hunks
    ? {
        hunks: t.hunks.map((h) => ({
          index: h.index,
          oldStart: h.oldStart,
          oldLines: h.oldLines,
          newStart: h.newStart,
          newLines: h.newLines,
          lines: [...h.lines],
        })),
      }
    : {}),
  ...(t.code !== undefined ? { code: t.code } : {}),
});

export const POLICIES = ['warn', 'skip', 'require'] as const;

export const hasOverlay = (model: BundleModel): boolean => model.targets.some((t) => t.how === 'overlay');

export const toManifest = (model: BundleModel, coreSha256?: string): BundleManifest => ({
  schemaVersion: 1,
  name: model.name,
  patchkitVersion: model.patchkitVersion,
  body: model.body,
  policy: model.policy,
  ...(coreSha256 ? { coreSha256 } : {}),
  package: model.package,
  distribution: model.distribution,
  sentinels: model.sentinels,
  targets: model.targets.map(manifestTarget),
  files: Object.entries(bundleFileNames(model.name))
    .filter(([role]) => role !== 'overlay' || hasOverlay(model))
    .map(([, file]) => file),
});
