/**
 * The package as a table of modules, and import resolution inside it: relative imports made
 * absolute, `from x import y` split into submodule edges and attribute aliases.
 */
import type { ModuleFile } from '../env/model.js';
import type { BranchStep, FileFacts, RawImport } from './facts.js';
import type { ImportEdge } from './model.js';

export interface ModuleEntry {
  file: ModuleFile;
  facts: FileFacts;
  isPackage: boolean;
}

export type ModuleTable = Map<string, ModuleEntry>;

/** A name bound in a module by `from X import a [as b]`: local b → X.a. */
export interface Alias {
  local: string;
  module: string;
  name: string;
  line: number;
  lazy: boolean;
}

export const isPackageFile = (path: string) => /(^|[\\/])__init__\.pyi?$/.test(path);

/** `TYPE_CHECKING` under any spelling the module can reach: bare, `typing.`, or an alias. */
export const typeCheckingNames = (imports: RawImport[]): Set<string> => {
  const names = new Set([
    'TYPE_CHECKING',
    'typing.TYPE_CHECKING',
    'typing_extensions.TYPE_CHECKING',
    't.TYPE_CHECKING',
  ]);
  for (const imp of imports) {
    if (imp.kind === 'from' && (imp.module === 'typing' || imp.module === 'typing_extensions')) {
      for (const n of imp.names) if (n.name === 'TYPE_CHECKING' && n.asname) names.add(n.asname);
    }
    if (imp.kind === 'import') {
      for (const n of imp.names) if (n.name === 'typing' && n.asname) names.add(`${n.asname}.TYPE_CHECKING`);
    }
  }
  return names;
};

/** False when the steps put code under `if TYPE_CHECKING:` (the `else:` branch is runtime code). */
export const isRuntime = (steps: BranchStep[], typeChecking: Set<string>): boolean =>
  !steps.some(
    (step) =>
      (step.kind === 'if' && typeChecking.has(step.text ?? '')) ||
      (step.kind === 'else' &&
        typeChecking.has((step.text ?? '').replace(/^not\s+/, '')) &&
        /^not\s/.test(step.text ?? '')),
  );

/** The absolute module a relative import names, or null when it climbs above the top level. */
export const absoluteModule = (from: string, isPackage: boolean, imp: Pick<RawImport, 'module' | 'level'>) => {
  if (imp.level === 0) return imp.module;
  const parts = from.split('.');
  if (!isPackage) parts.pop();
  for (let i = 1; i < imp.level; i++) parts.pop();
  if (parts.length === 0) return null;
  return imp.module ? `${parts.join('.')}.${imp.module}` : parts.join('.');
};

export interface ResolvedImports {
  edges: ImportEdge[];
  aliases: Alias[];
  /** `import a.b as c` and `import a`: local name → module, for decorator resolution. */
  moduleNames: Map<string, string>;
  /** Modules imported with `*`. */
  wildcards: { module: string; line: number; lazy: boolean }[];
}

export const resolveImports = (name: string, entry: ModuleEntry, table: ModuleTable): ResolvedImports => {
  const typeChecking = typeCheckingNames(entry.facts.imports);
  const out: ResolvedImports = { edges: [], aliases: [], moduleNames: new Map(), wildcards: [] };
  const seen = new Set<string>();
  const edge = (module: string, imp: RawImport) => {
    const key = `${module}\0${imp.lazy}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.edges.push({ module, line: imp.line, lazy: imp.lazy, internal: table.has(module) });
  };
  for (const imp of entry.facts.imports) {
    if (imp.kind === 'future' || !isRuntime(imp.condition, typeChecking)) continue;
    if (imp.kind === 'import') {
      for (const n of imp.names) {
        edge(n.name, imp);
        if (!imp.lazy) out.moduleNames.set(n.asname ?? n.name.split('.')[0], n.asname ? n.name : n.name.split('.')[0]);
      }
      continue;
    }
    const module = absoluteModule(name, entry.isPackage, imp);
    if (module === null) continue;
    edge(module, imp);
    if (imp.wildcard) out.wildcards.push({ module, line: imp.line, lazy: imp.lazy });
    for (const n of imp.names) {
      const submodule = `${module}.${n.name}`;
      if (table.has(submodule)) {
        edge(submodule, imp);
        if (!imp.lazy) out.moduleNames.set(n.asname ?? n.name, submodule);
      } else {
        out.aliases.push({ local: n.asname ?? n.name, module, name: n.name, line: imp.line, lazy: imp.lazy });
      }
    }
  }
  return out;
};
