/** RawDef → ScanSymbol: kinds from decorators and implicit dunders, runtime, branch text, overloads. */
import type { BranchStep, RawDef } from './facts.js';
import type { ScanSymbol, SymbolKind } from './model.js';
import { classifyDecorator, resolveDecorator, type DecoratorClass, type ResolveContext } from './decorators.js';
import { isRuntime } from './modules.js';

/** Python makes these descriptors implicitly: `__init_subclass__`/`__class_getitem__` classmethods, `__new__` static. */
const IMPLICIT_CLASSMETHODS = new Set(['__init_subclass__', '__class_getitem__']);

export const formatStep = (step: BranchStep): string => {
  switch (step.kind) {
    case 'if':
    case 'elif':
      return `${step.kind} ${step.text}`;
    case 'else':
      return step.text ? `else of if ${step.text}` : 'else';
    case 'except':
      return step.text ? `except ${step.text}` : 'except';
    default:
      return step.kind;
  }
};

const kindOf = (def: RawDef, classes: DecoratorClass[]): SymbolKind => {
  if (def.isClass) return 'class';
  if (!def.inClass) return 'function';
  if (classes.includes('property') || classes.includes('property-accessor')) return 'property';
  if (classes.includes('classmethod') || IMPLICIT_CLASSMETHODS.has(def.name)) return 'classmethod';
  if (classes.includes('staticmethod') || def.name === '__new__') return 'staticmethod';
  return 'method';
};

export interface BuiltSymbol {
  symbol: ScanSymbol;
  raw: RawDef;
  classes: DecoratorClass[];
}

export const buildSymbols = (defs: RawDef[], ctx: ResolveContext, typeChecking: Set<string>): BuiltSymbol[] => {
  const built = defs.map((raw): BuiltSymbol => {
    const decorators = raw.decorators.map((d) => ({ ...d, path: resolveDecorator(d.text, ctx) }));
    const classes = decorators.map((d) => classifyDecorator(d.text, d.path));
    const symbol: ScanSymbol = {
      qualname: raw.qualname,
      kind: kindOf(raw, classes),
      line: raw.line,
      endLine: raw.endLine,
      async: raw.async,
      generator: raw.generator,
      decorators: decorators.map(({ text, path, line }) => ({ text, path, line })),
      signature: raw.signature,
      branch: raw.branch.map(formatStep),
      runtime: isRuntime([...raw.outerBranch, ...raw.branch], typeChecking),
      fingerprint: raw.fingerprint,
      hazards: [],
      bindingSites: [],
      sentinels: [],
    };
    return { symbol, raw, classes };
  });
  // @overload stubs attach to the next definition of the same name that is not one.
  const pending = new Map<string, number[]>();
  for (const { symbol, classes } of built) {
    if (classes.includes('overload')) {
      const lines = pending.get(symbol.qualname) ?? [];
      lines.push(symbol.line);
      pending.set(symbol.qualname, lines);
    } else if (pending.has(symbol.qualname)) {
      symbol.overloads = pending.get(symbol.qualname);
      pending.delete(symbol.qualname);
    }
  }
  return built;
};
