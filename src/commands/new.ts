/** `patchkit new <name> --target mod:qualname …`: scan, resolve targets, render and write the bundle. */
import { readFile } from 'node:fs/promises';
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
import { PATCHKIT_VERSION } from '../version.js';

export interface NewOptions {
  cwd: string;
  name: string;
  target: string[];
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

/** Scans the packages the targets name, then generates. */
export const run = async (options: NewOptions): Promise<NewResult> => {
  validateName(options.name);
  if (options.sentinel) validateModule(options.sentinel, '--sentinel');
  const patterns = (options.target ?? []).map(parseTarget);
  if (patterns.length === 0) throw new ValidationError('at least one --target is needed');
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
