/**
 * What breaks monkey-patching, one line each (static-analysis.md §4.2). Every hazard names the
 * lines it comes from, so a user can check it.
 */
import type { FileFacts, RawImport } from './facts.js';
import type { Hazard, HazardCode } from './model.js';
import type { ModuleTable, ResolvedImports } from './modules.js';
import type { BuiltSymbol } from './symbols.js';

const add = (list: Hazard[], code: HazardCode, message: string, at?: string[]) => {
  if (!list.some((h) => h.code === code && h.message === message))
    list.push(at?.length ? { code, message, at } : { code, message });
};

const DYNAMIC_CLASS_MEMBERS = new Set(['__init_subclass__', '__getattr__', '__getattribute__']);
const IMPORT_ERRORS = /\b(ImportError|ModuleNotFoundError)\b/;

const decoratorHazards = (item: BuiltSymbol, dispatchers: Set<string>) => {
  const { symbol, classes } = item;
  const isClass = item.raw.isClass;
  const noun = isClass ? 'class' : 'function';
  symbol.decorators.forEach((decorator, i) => {
    const shown = `@${decorator.text}`;
    const base = /^(\w+)\.register\b/.exec(decorator.text)?.[1];
    switch (base && dispatchers.has(base) ? 'dispatch-register' : classes[i]) {
      case 'cache':
        add(
          symbol.hazards,
          'wrapping-decorator',
          `${shown} puts a cache wrapper at the attribute: a patch replaces the cache; wrap \`__wrapped__\` to keep it`,
        );
        break;
      case 'wrapper':
        add(
          symbol.hazards,
          'wrapping-decorator',
          `${shown} wraps the ${noun}: the attribute is the wrapper, not the ${isClass ? 'class' : 'def'}`,
        );
        break;
      case 'compiled':
        add(
          symbol.hazards,
          'compiled-decorator',
          `${shown} compiles the ${noun}: its Python body may never run again, and compiled callers never see a patch`,
        );
        break;
      case 'singledispatch':
        add(
          symbol.hazards,
          'singledispatch',
          `${shown}: patching the generic replaces the dispatcher; implementations live in \`.registry\``,
        );
        break;
      case 'dispatch-register':
        add(
          symbol.hazards,
          'singledispatch',
          `${shown} stores this implementation in a dispatch registry at import time: patching the name does not change dispatch`,
        );
        break;
      case 'registration':
        // A registry holding a class holds the object whose methods a patch replaces: it sees them.
        if (isClass) break;
        add(
          symbol.hazards,
          'registration-decorator',
          `${shown} registers the original at import time: the registry keeps it after a patch`,
        );
        break;
      case 'property':
      case 'property-accessor':
        add(symbol.hazards, 'descriptor', `${shown}: a property; the wrapper must rebuild it around fget/fset/fdel`);
        break;
      case 'unknown':
        if (decorator.text !== 'override' && !decorator.text.endsWith('.override')) {
          add(
            symbol.hazards,
            'decorated',
            `${shown}: the attribute holds what the decorator returned, which may not be this ${noun}`,
          );
        }
        break;
      default:
    }
  });
  if (symbol.overloads?.length) {
    add(symbol.hazards, 'overloaded', `implementation of ${symbol.overloads.length} @overload stubs: patch this one`);
  } else if (classes.includes('overload')) {
    add(symbol.hazards, 'overloaded', '@overload stub: replaced by the implementation at import time; never called');
  }
};

/**
 * The first module-level import under a `try:` that binds `name` (or a wildcard before it), by
 * name through an index built once, not a search of every import for each fallback definition.
 */
const rivalImports = (facts: FileFacts) => {
  let byName: Map<string, number> | null = null;
  let wildcard = Infinity;
  return (name: string): RawImport | undefined => {
    if (!byName) {
      byName = new Map();
      facts.imports.forEach((imp, i) => {
        if (imp.lazy || !imp.condition.some((s) => s.kind === 'try')) return;
        if (imp.wildcard) wildcard = Math.min(wildcard, i);
        for (const n of imp.names) {
          const local = n.asname ?? n.name.split('.')[0];
          if (!byName?.has(local)) byName?.set(local, i);
        }
      });
    }
    const first = Math.min(byName.get(name) ?? Infinity, wildcard);
    return first === Infinity ? undefined : facts.imports[first];
  };
};

export const moduleHazards = (
  facts: FileFacts,
  symbols: BuiltSymbol[],
  imports: ResolvedImports,
  table: ModuleTable,
): Hazard[] => {
  const moduleLevel: Hazard[] = [];
  const byQualname = new Map(symbols.map((s) => [s.symbol.qualname, s]));
  const classNames = new Set(symbols.filter((s) => s.raw.isClass && !s.raw.inClass).map((s) => s.raw.name));

  const dispatchers = new Set(
    symbols.filter((s) => !s.raw.inClass && s.classes.includes('singledispatch')).map((s) => s.raw.name),
  );
  // Indexed once: scanning every symbol per class is quadratic (a 10 MB module has 30,000 classes).
  const dynamicMembers = new Map<string, BuiltSymbol[]>();
  for (const s of symbols) {
    if (!s.raw.inClass || !DYNAMIC_CLASS_MEMBERS.has(s.raw.name)) continue;
    const owner = s.symbol.qualname.slice(0, -s.raw.name.length - 1);
    const list = dynamicMembers.get(owner) ?? [];
    list.push(s);
    dynamicMembers.set(owner, list);
  }
  const fallbackRivals = rivalImports(facts);
  for (const item of symbols) {
    const { symbol, raw } = item;
    decoratorHazards(item, dispatchers);
    if (!symbol.runtime) {
      add(symbol.hazards, 'type-checking-only', 'defined under `if TYPE_CHECKING:`: does not exist at run time');
    }
    const owner = raw.inClass ? byQualname.get(symbol.qualname.slice(0, -raw.name.length - 1)) : undefined;
    if (raw.interfaceOnly && !raw.isClass) {
      const abstract = item.classes.includes('abstract');
      const protocolLike = owner && /\b(Protocol|ABC|ABCMeta|Interface)\b/.test(owner.symbol.signature);
      if (abstract || protocolLike) {
        add(
          symbol.hazards,
          'interface-only',
          'interface only (body is `...`, `pass` or a docstring): no behaviour to patch; patch the implementations',
        );
      }
    }
    if (raw.isClass) {
      if (/\bmetaclass\s*=/.test(raw.signature)) {
        add(
          symbol.hazards,
          'dynamic-class',
          `metaclass in \`${raw.signature}\`: the class may gain or rewrite members at run time`,
        );
      }
      for (const d of dynamicMembers.get(symbol.qualname) ?? []) {
        add(symbol.hazards, 'dynamic-class', `defines ${d.raw.name}: members may be created or looked up at run time`, [
          String(d.symbol.line),
        ]);
      }
    }
    // try: from _speedups import f / except ImportError: def f(...)  — the compiled import usually wins.
    const except = raw.branch.find((step) => step.kind === 'except' && IMPORT_ERRORS.test(step.text ?? ''));
    if (except && !raw.inClass) {
      const rival = fallbackRivals(raw.name);
      if (rival) {
        const source = imports.edges.find((e) => e.line === rival.line)?.module ?? rival.module;
        const compiled = table.get(source)?.file.kind === 'extension' || /(^|\.)_/.test(source);
        add(
          symbol.hazards,
          'compiled-fallback',
          `fallback for \`${source}\`${compiled ? ' (compiled)' : ''} imported at line ${rival.line}: that one usually wins; patch it there`,
          [String(rival.line)],
        );
      }
    }
  }

  // Names captured by value at module or class level: registries, aliases, defaults, partials.
  const captured = new Map<string, string[]>();
  for (const ref of facts.references) {
    const qualname = ref.scope ? `${ref.scope}.${ref.name}` : ref.name;
    const target = byQualname.get(qualname) ?? (ref.scope ? byQualname.get(ref.name) : undefined);
    // Classes are not replaced by patches (their methods are), so only functions count here.
    if (!target || target.raw.isClass || target.symbol.line === ref.line) continue;
    const list = captured.get(target.symbol.qualname) ?? [];
    list.push(String(ref.line));
    captured.set(target.symbol.qualname, list);
  }
  for (const [qualname, lines] of captured) {
    const target = byQualname.get(qualname);
    if (target)
      add(
        target.symbol.hazards,
        'captured-by-value',
        `referenced by value at import time in ${lines.length} place(s): those keep the original`,
        lines.slice(0, 10),
      );
  }

  for (const dyn of facts.dynamic) {
    if ((dyn.kind === 'setattr' || dyn.kind === 'attribute') && classNames.has(dyn.name)) {
      const target = byQualname.get(dyn.name);
      if (target)
        add(target.symbol.hazards, 'dynamic-class', `members assigned from outside the class body (line ${dyn.line})`, [
          String(dyn.line),
        ]);
    } else if (dyn.kind === 'slots') {
      const target = byQualname.get(dyn.name);
      if (target)
        add(target.symbol.hazards, 'slots', 'defines __slots__: patch the class attribute, never instances', [
          String(dyn.line),
        ]);
    } else if (dyn.kind === 'sys.modules') {
      add(
        moduleLevel,
        'lazy-module',
        `replaces itself in sys.modules (line ${dyn.line}): attributes may come from another object`,
        [String(dyn.line)],
      );
    } else if (dyn.kind === 'exec' || dyn.kind === 'type' || dyn.kind === 'globals') {
      add(
        moduleLevel,
        'dynamic-class',
        `creates names at run time with ${dyn.kind}() (line ${dyn.line}): not all members are visible statically`,
        [String(dyn.line)],
      );
    }
  }
  const getattr = symbols.find(
    (s) => !s.raw.inClass && !s.raw.isClass && (s.raw.name === '__getattr__' || s.raw.name === '__dir__'),
  );
  if (getattr) {
    add(
      moduleLevel,
      'lazy-module',
      `module-level ${getattr.raw.name} (PEP 562, line ${getattr.symbol.line}): attributes are created lazily; patch the real defining module`,
      [String(getattr.symbol.line)],
    );
  }
  return moduleLevel;
};
