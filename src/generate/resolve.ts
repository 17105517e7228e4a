/**
 * `--target module:qualname` → scanned symbols. Qualnames take shell-style globs (fnmatch: `*`
 * matches dots too, so `mod:*` is every def of mod and `mod:Class.*` every method of Class).
 * A pattern that matches nothing is a ValidationError naming the closest matches.
 */
import { ValidationError } from '../errors.js';
import type { ScanModule, ScanResult, ScanSymbol } from '../scan/model.js';
import { WRAPPABLE_KINDS } from './model.js';
import { quoted, validateModule } from './validate.js';
import { editDistance as distance } from '../util/edit-distance.js';

export interface TargetPattern {
  module: string;
  pattern: string;
}

export interface Resolved {
  module: ScanModule;
  symbol: ScanSymbol;
  result: ScanResult;
}

export const parseTarget = (text: string): TargetPattern => {
  const colon = text.indexOf(':');
  if (colon < 0)
    throw new ValidationError(
      `--target ${quoted(text)} is not module:qualname`,
      'e.g. json.encoder:JSONEncoder.encode',
    );
  const module = validateModule(text.slice(0, colon));
  const pattern = text.slice(colon + 1);
  // Identifier characters of any script (`café`); buildModel refuses what is not a real identifier.
  if (!/^[\p{XID_Continue}.*?[\]!]+$/u.test(pattern) || pattern.length > 512) {
    throw new ValidationError(
      `--target qualname ${quoted(pattern)} may only hold identifiers, dots and * ? [ ] globs (at most 512 characters)`,
    );
  }
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

export const resolveTargets = (patterns: TargetPattern[], results: ScanResult[]): Resolved[] => {
  const modules = new Map<string, { module: ScanModule; result: ScanResult }>();
  for (const result of results) for (const module of result.modules) modules.set(module.name, { module, result });
  const out: Resolved[] = [];
  const seen = new Set<string>();
  for (const { module: name, pattern } of patterns) {
    const found = modules.get(name);
    if (!found) {
      const near = closest([...modules.keys()], name);
      throw new ValidationError(
        `module ${name} not found in the scan`,
        near.length ? `closest: ${near.join(', ')}` : undefined,
      );
    }
    const regexp = globToRegExp(pattern);
    const hits = found.module.symbols.filter((s) => wrappable(s) && regexp.test(s.qualname));
    if (hits.length === 0) {
      const all = [...modules.values()].flatMap(({ module }) =>
        module.symbols.filter(wrappable).map((s) => `${module.name}:${s.qualname}`),
      );
      const near = closest(all, `${name}:${pattern}`);
      const isClass = found.module.symbols.some((s) => s.kind === 'class' && s.qualname === pattern);
      throw new ValidationError(
        isClass
          ? `${name}:${pattern} is a class; target its methods (${name}:${pattern}.*)`
          : `no function or method matches ${name}:${pattern}`,
        near.length ? `closest: ${near.join(', ')}` : undefined,
      );
    }
    for (const symbol of hits) {
      const key = `${name}:${symbol.qualname}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ module: found.module, symbol, result: found.result });
    }
  }
  return out;
};
