/** `patchkit new <name> --target mod:qualname …`: scan, resolve targets, render and write the bundle. */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { ParserKind } from '../parser/adapter.js';
import type { ScanResult } from '../scan/model.js';
import { ValidationError } from '../errors.js';
import { buildModel, type BundleModel, type TargetInput } from '../generate/model.js';
import { render } from '../generate/render.js';
import { parseTarget, resolveTargets, type Resolved } from '../generate/resolve.js';
import { sourceHash } from '../generate/source-hash.js';
import { loadTemplates } from '../generate/templates.js';
import { validateModule, validateName } from '../generate/validate.js';
import { writeBundle } from '../generate/write.js';
import { contextClasses, definitionText, refuseReplacing } from '../generate/definition-source.js';
import { refuseEditedCore } from '../generate/edited-core.js';
import { fromDiff } from '../generate/from-diff.js';
import type { DiffPlan } from '../diff/plan.js';
import { PATCHKIT_VERSION } from '../version.js';

export interface NewOptions {
  cwd: string;
  name: string;
  target?: string[];
  /** A unified diff to turn into the bundle (instead of --target). */
  fromDiff?: string;
  /** With fromDiff: path components to strip from the diff's file names (like patch -pN). */
  strip?: string | number;
  python?: string;
  sentinel?: string;
  body?: string;
  /** warn | skip | require (default: require for --body replace, warn for wrappers). */
  policy?: string;
  out?: string;
  force?: boolean;
  cache?: boolean;
  parser?: ParserKind | 'auto';
}

export interface NewResult {
  dir: string;
  model: BundleModel;
  files: string[];
  /** Hazards of the chosen targets, for the reporter's notes. */
  hazards: { key: string; message: string }[];
  /** With --from-diff: each hunk and the mechanism that carries it, and what the planner warns of. */
  plan?: DiffPlan;
}

const toInput = async (r: Resolved, sentinel: string | undefined, replace: boolean): Promise<TargetInput> => {
  const { module, symbol } = r;
  if (module.kind !== 'source') {
    throw new ValidationError(
      `${module.name}:${symbol.qualname} is in a compiled module; only Python source can be wrapped`,
    );
  }
  const startLine = Math.min(symbol.line, ...symbol.decorators.map((d) => d.line));
  const file = await readFile(module.path);
  const moduleLevel = !symbol.qualname.includes('.');
  const upstream = definitionText(file, startLine, symbol.endLine);
  return {
    module: module.name,
    qualname: symbol.qualname,
    kind: symbol.kind,
    async: symbol.async,
    generator: symbol.generator,
    signature: symbol.signature,
    fingerprint: symbol.fingerprint,
    sentinel: sentinel ?? symbol.sentinels[0]?.module ?? module.name,
    line: symbol.line,
    startLine,
    endLine: symbol.endLine,
    sourceHash: sourceHash(file, startLine, symbol.endLine),
    bindingSites: moduleLevel
      ? symbol.bindingSites.filter((s) => !s.lazy).map((s) => ({ module: s.module, name: s.name }))
      : [],
    upstream,
    ...(replace
      ? { how: 'replace' as const, mode: 'code' as const, source: upstream, classes: contextClasses(r, file) }
      : { how: 'wrap' as const }),
  };
};

/** Scans the packages the targets name, then generates (or plans a diff, with --from-diff). */
export const run = async (options: NewOptions): Promise<NewResult> => {
  validateName(options.name);
  if (options.sentinel) validateModule(options.sentinel, '--sentinel');
  if (options.fromDiff !== undefined) return generateFromDiff(options);
  const patterns = (options.target ?? []).map(parseTarget);
  if (patterns.length === 0) throw new ValidationError('at least one --target (or --from-diff) is needed');
  const { scanPackage } = await import('../scan/index.js');
  const tops = [...new Set(patterns.map((p) => p.module.split('.')[0]))].sort();
  const results: ScanResult[] = [];
  for (const top of tops) {
    results.push(
      await scanPackage({
        target: top,
        python: options.python,
        cwd: options.cwd,
        cache: options.cache,
        parser: options.parser,
      }),
    );
  }
  return generate(options, results);
};

/** Resolves the targets in scans already made (`pick` has its own), renders and writes the bundle. */
export const generate = async (options: NewOptions, results: ScanResult[]): Promise<NewResult> => {
  validateName(options.name);
  if (options.sentinel) validateModule(options.sentinel, '--sentinel');
  const resolved = resolveTargets((options.target ?? []).map(parseTarget), results);
  const first = resolved[0].result.package;
  const body = options.body ?? 'passthrough';
  const replace = body === 'replace';
  if (replace) for (const r of resolved) refuseReplacing(r);
  const model = buildModel({
    name: options.name,
    body,
    policy: options.policy,
    package: first.name,
    distribution: first.distribution ? { name: first.distribution, version: first.version } : null,
    patchkitVersion: PATCHKIT_VERSION,
    targets: await Promise.all(resolved.map((r) => toInput(r, options.sentinel, replace))),
    importedNames: replace ? await importedNamesOf(resolved) : {},
  });
  const files = render(model, await loadTemplates());
  const out = options.out ?? options.cwd;
  if (options.force) await refuseEditedCore(out, options.name);
  const dir = await writeBundle(out, options.name, files, { force: options.force });
  const hazards = resolved.flatMap((r) =>
    r.symbol.hazards.map((h) => ({ key: `${r.module.name}:${r.symbol.qualname}`, message: h.message })),
  );
  return { dir, model, files: [...files.keys()], hazards };
};

const readDiff = async (path: string, cwd: string): Promise<string> => {
  try {
    return await readFile(resolvePath(cwd, path), 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read the diff ${path}: ${(error as Error).message}`);
  }
};

const stripOption = (strip: string | number | undefined): number | undefined => {
  if (strip === undefined) return undefined;
  const n = Number(strip);
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`--strip ${JSON.stringify(String(strip))} is not a count`);
  return n;
};

/** `new --from-diff`: plan the diff against the installed sources (nothing imported), then render. */
const generateFromDiff = async (options: NewOptions): Promise<NewResult> => {
  if (options.target?.length) throw new ValidationError('give --target or --from-diff, not both');
  if (options.body && options.body !== 'passthrough' && options.body !== 'replace')
    throw new ValidationError(`--body ${options.body} does not apply to --from-diff (the diff is the body)`);
  const { planFromDiff } = await import('../diff/plan.js');
  const diff = await readDiff(options.fromDiff ?? '', options.cwd);
  const plan = await planFromDiff({
    diff,
    python: options.python,
    cwd: options.cwd,
    strip: stripOption(options.strip),
  });
  const { targets, moduleCode } = fromDiff(plan);
  if (targets.length === 0) throw new ValidationError(`${options.fromDiff} changes nothing patchkit can carry`);
  const top = targets[0].module.split('.')[0];
  const distribution = await distributionOf(top, options);
  const model = buildModel({
    name: options.name,
    body: 'replace',
    policy: options.policy,
    package: top,
    distribution,
    patchkitVersion: PATCHKIT_VERSION,
    targets,
    moduleCode,
    importedNames: Object.fromEntries(plan.modules.map((m) => [m.module, m.importedNames])),
    plan,
  });
  const files = render(model, await loadTemplates());
  const out = options.out ?? options.cwd;
  if (options.force) await refuseEditedCore(out, options.name);
  const dir = await writeBundle(out, options.name, files, { force: options.force });
  return { dir, model, files: [...files.keys()], hazards: [], plan };
};

/** The distribution that owns the top-level package, found as `scan` finds it (never imported). */
const distributionOf = async (top: string, options: NewOptions) => {
  const { queryInterpreter, resolveInterpreter } = await import('../env/interpreter.js');
  const { locateTarget } = await import('../env/locate.js');
  const facts = await queryInterpreter(resolveInterpreter({ python: options.python, cwd: options.cwd }));
  const located = await locateTarget(top, facts, { cwd: options.cwd }).catch(() => null);
  return located?.distribution ? { name: located.distribution.name, version: located.distribution.version } : null;
};

/** For --body replace: the names each target module binds by import (see ModelBlock.imported). */
export const importedNamesOf = async (resolved: Resolved[]): Promise<Record<string, string[]>> => {
  const { diffParser, readUnits } = await import('../diff/units.js');
  const { decodeSource } = await import('../scan/decode.js');
  const parser = await diffParser();
  const out: Record<string, string[]> = {};
  for (const r of resolved) {
    if (out[r.module.name]) continue;
    out[r.module.name] = readUnits(parser, decodeSource(await readFile(r.module.path)).text).moduleImports;
  }
  return out;
};
