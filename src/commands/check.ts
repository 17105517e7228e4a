/**
 * `patchkit check <bundle> [--python <exe> | --source <dir>]`: re-scan the patched package (installed,
 * or a source tree such as a checkout of the next release) and compare every target with the manifest.
 * A CI gate before an upgrade: exit 1 on any drift.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import type { ParserKind } from '../parser/adapter.js';
import { loadBundle } from '../install/bundle.js';
import { compareTarget, type TargetDrift } from '../install/drift.js';

export interface CheckOptions {
  cwd: string;
  bundle: string;
  python?: string;
  source?: string;
  json?: boolean;
  cache?: boolean;
  parser?: ParserKind | 'auto';
}

export interface CheckResult {
  name: string;
  package: string;
  scanned: string;
  oldVersion: string | null;
  newVersion: string | null;
  targets: TargetDrift[];
  changed: number;
}

/** `--source` may name the package directory itself or a directory that contains it (`src/`, a repo root). */
const sourceTarget = (source: string, pkg: string, cwd: string): string => {
  const dir = resolve(cwd, source);
  const top = pkg.split('.')[0];
  for (const candidate of [join(dir, top), join(dir, `${top}.py`), join(dir, 'src', top), join(dir, 'python', top)])
    if (existsSync(candidate)) return candidate;
  if (basename(dir) === top && existsSync(dir) && statSync(dir).isDirectory()) return dir;
  throw new ValidationError(`no package ${top} under ${dir}`, `give the directory that contains ${top}/`);
};

export const run = async (options: CheckOptions): Promise<CheckResult> => {
  if (options.python && options.source) throw new ValidationError('give --python or --source, not both');
  const bundle = await loadBundle(options.bundle, options.cwd);
  const { manifest } = bundle;
  const target = options.source ? sourceTarget(options.source, manifest.package, options.cwd) : manifest.package;
  const { scanPackage } = await import('../scan/index.js');
  const scan = await scanPackage({
    target,
    python: options.python,
    cwd: options.cwd,
    cache: options.cache,
    parser: options.parser,
  });
  const targets = manifest.targets.map((t) => compareTarget(t, scan));
  return {
    name: manifest.name,
    package: manifest.package,
    scanned: scan.package.root,
    oldVersion: manifest.distribution?.version ?? null,
    newVersion: scan.package.version,
    targets,
    changed: targets.filter((t) => t.status !== 'unchanged').length,
  };
};
