/**
 * `--target module:qualname` → scanned symbols. Qualnames take shell-style globs (fnmatch: `*`
 * matches dots too, so `mod:*` is every def of mod and `mod:Class.*` every method of Class).
 * A pattern that matches nothing is a ValidationError naming the closest matches. A target without
 * a colon (`a.b.C.m`, as a traceback or an import path spells it) is split at the longest prefix
 * that is a module of the scan.
 */
import { ValidationError } from '../errors.js';
import type { ScanModule, ScanResult, ScanSymbol } from '../scan/model.js';
import { WRAPPABLE_KINDS } from './model.js';
import { quoted, validateModule } from './validate.js';
import { editDistance as distance } from '../util/edit-distance.js';

export interface TargetPattern {
  module: string;
  pattern: string;
  /**
   * Given without a colon (`a.b.C.m`): the splits it may mean, longest module first. resolveTargets
   * takes the first whose module the scan has (and, when several do, one that matches).
   */
  splits?: { module: string; pattern: string }[];
  /** The text as given, for messages. */
  text?: string;
}

export interface Resolved {
  module: ScanModule;
  symbol: ScanSymbol;
  result: ScanResult;
}

/** Identifier characters of any script (`café`); buildModel refuses what is not a real identifier. */
const QUALNAME_PATTERN = /^[\p{XID_Continue}.*?[\]!]+$/u;

const checkPattern = (pattern: string) => {
  if (!QUALNAME_PATTERN.test(pattern) || pattern.length > 512) {
    throw new ValidationError(
      `--target qualname ${quoted(pattern)} may only hold identifiers, dots and * ? [ ] globs (at most 512 characters)`,
    );
  }
};

const notModuleQualname = (text: string) =>
  new ValidationError(`--target ${quoted(text)} is not module:qualname`, 'e.g. json.encoder:JSONEncoder.encode');

/** `a.b.C.m` → a.b.C:m, a.b:C.m, a:b.C.m: every split whose module part is a module name. */
const dottedSplits = (text: string): TargetPattern => {
  const parts = text.split('.');
  if (parts.length < 2 || parts.some((p) => p === '')) throw notModuleQualname(text);
  checkPattern(text);
  const splits: { module: string; pattern: string }[] = [];
  for (let i = parts.length - 1; i >= 1; i--) {
    const module = parts.slice(0, i).join('.');
    try {
      validateModule(module);
    } catch {
      continue; // a glob or keyword in the module part: not this split
    }
    splits.push({ module, pattern: parts.slice(i).join('.') });
  }
  if (splits.length === 0) throw notModuleQualname(text);
  return { ...splits[0], splits, text };
};

export const parseTarget = (text: string): TargetPattern => {
  const colon = text.indexOf(':');
  if (colon < 0) return dottedSplits(text);
  const module = validateModule(text.slice(0, colon));
  const pattern = text.slice(colon + 1);
  checkPattern(pattern);
  return { module, pattern };
};

export const globToRegExp = (glob: string): RegExp => {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let set = glob.slice(i + 1, close);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        out += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
};

export const closest = (candidates: string[], wanted: string, count = 3): string[] =>
  candidates
    .map((c) => ({ c, d: distance(c.toLowerCase(), wanted.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1))
    .slice(0, count)
    .map((x) => x.c);

const wrappable = (s: ScanSymbol) =>
  (WRAPPABLE_KINDS as readonly string[]).includes(s.kind) && s.runtime && !s.qualname.includes('<');

type ModuleIndex = Map<string, { module: ScanModule; result: ScanResult }>;

const matching = (found: { module: ScanModule }, pattern: string) => {
  const regexp = globToRegExp(pattern);
  return found.module.symbols.filter((s) => wrappable(s) && regexp.test(s.qualname));
};

/** The symbols one module:pattern names, or the ValidationError that says why none. */
const resolveOne = (modules: ModuleIndex, name: string, pattern: string) => {
  const found = modules.get(name);
  if (!found) {
    const near = closest([...modules.keys()], name);
    return new ValidationError(
      `module ${name} not found in the scan`,
      near.length ? `closest: ${near.join(', ')}` : undefined,
    );
  }
  const hits = matching(found, pattern);
  if (hits.length > 0) return { found, hits };
  const all = [...modules.values()].flatMap(({ module }) =>
    module.symbols.filter(wrappable).map((s) => `${module.name}:${s.qualname}`),
  );
  const near = closest(all, `${name}:${pattern}`);
  const isClass = found.module.symbols.some((s) => s.kind === 'class' && s.qualname === pattern);
  return new ValidationError(
    isClass
      ? `${name}:${pattern} is a class; target its methods (${name}:${pattern}.*)`
      : `no function or method matches ${name}:${pattern}`,
    near.length ? `closest: ${near.join(', ')}` : undefined,
  );
};

/** A colon-less target: the longest module prefix the scan has that matches, else its error. */
const resolveDotted = (modules: ModuleIndex, target: TargetPattern) => {
  const text = target.text ?? target.module;
  if (modules.has(text)) {
    return new ValidationError(
      `--target ${quoted(text)} names a module, not module:qualname`,
      `e.g. ${text}:* for every function and method of it`,
    );
  }
  let first: ValidationError | null = null;
  for (const split of target.splits ?? []) {
    if (!modules.has(split.module)) continue;
    const one = resolveOne(modules, split.module, split.pattern);
    if (!(one instanceof ValidationError)) return one;
    first ??= one;
  }
  return first ?? resolveOne(modules, target.module, target.pattern);
};

export const resolveTargets = (patterns: TargetPattern[], results: ScanResult[]): Resolved[] => {
  const modules: ModuleIndex = new Map();
  for (const result of results) for (const module of result.modules) modules.set(module.name, { module, result });
  const out: Resolved[] = [];
  const seen = new Set<string>();
  for (const target of patterns) {
    const one = target.splits ? resolveDotted(modules, target) : resolveOne(modules, target.module, target.pattern);
    if (one instanceof ValidationError) throw one;
    for (const symbol of one.hits) {
      const key = `${one.found.module.name}:${symbol.qualname}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ module: one.found.module, symbol, result: one.found.result });
    }
  }
  return out;
};
