/** Per-file facts of a located package → the public ScanResult (pure; no I/O). */
import type { LocatedTarget, ModuleFile } from '../env/model.js';
import { attachBindingSites, type ModuleView } from './bindings.js';
import { emptyFacts, type FileFacts } from './facts.js';
import { moduleHazards } from './hazards.js';
import type { Diagnostic, ScanModule, ScanResult } from './model.js';
import { isPackageFile, resolveImports, typeCheckingNames, type ModuleEntry, type ModuleTable } from './modules.js';
import { packageSentinels, symbolSentinels } from './sentinels.js';
import { buildSymbols } from './symbols.js';

/** One module's part of the result: made from its own facts and the names and kinds of the others. */
interface BuiltModule {
  module: ScanModule;
  view: ModuleView;
  diagnostics: Diagnostic[];
}

const buildModule = (name: string, entry: ModuleEntry, table: ModuleTable): BuiltModule => {
  const diagnostics: Diagnostic[] = [];
  const { facts, file } = entry;
  const imports = resolveImports(name, entry, table);
  const aliases = new Map(imports.aliases.filter((a) => !a.lazy).map((a) => [a.local, a]));
  const localNames = new Set(facts.defs.filter((d) => !d.inClass).map((d) => d.name));
  const symbols = buildSymbols(
    facts.defs,
    { module: name, aliases, moduleNames: imports.moduleNames, localNames },
    typeCheckingNames(facts.imports),
  );
  const module: ScanModule = {
    name,
    path: file.path,
    kind: file.kind,
    hazards: moduleHazards(facts, symbols, imports, table),
    imports: imports.edges,
    symbols: symbols.map((s) => s.symbol),
  };
  const problems = [
    ...(facts.decodeProblem ? [facts.decodeProblem] : []),
    // Several ERROR nodes often start on one line (random bytes: all on line 1): name each line once.
    ...(facts.errorLines.length
      ? [`syntax errors at line ${[...new Set(facts.errorLines)].slice(0, 5).join(', ')}`]
      : []),
  ];
  if (problems.length) {
    module.lowConfidence = true;
    diagnostics.push({
      severity: 'warning',
      path: file.path,
      line: facts.errorLines[0],
      message: `${problems.join('; ')}: symbols recovered best-effort`,
    });
  }
  if (file.kind === 'extension' && !file.stub) {
    diagnostics.push({
      severity: 'info',
      path: file.path,
      message: 'compiled extension without a .pyi: members unknown',
    });
  }
  return { module, view: { name, symbols, imports, references: facts.references }, diagnostics };
};

/**
 * The result, module by module as each file's facts arrive (scan/index.ts adds them while other
 * files are still being parsed, on a core the workers leave idle part of the time), then what
 * needs every module: binding sites, sentinels. The same result as adding every file, then
 * finishing, whatever the order.
 */
export interface Assembly {
  /** A located file's facts (null: none, as for an extension without a stub) or why it has none. */
  add(file: ModuleFile, facts: FileFacts | null, error?: string): void;
  finish(): ScanResult;
}

export const createAssembly = (target: LocatedTarget, interpreter: ScanResult['interpreter']): Assembly => {
  const table: ModuleTable = new Map();
  // A later file of the same module name takes the earlier one's place, in the order they were located.
  for (const file of target.files)
    table.set(file.name, { file, facts: emptyFacts(), isPackage: isPackageFile(file.stub ?? file.path) });
  const built = new Map<string, BuiltModule>();
  const errors = new Map<ModuleFile, string>();
  return {
    add(file, facts, error) {
      if (error) errors.set(file, error);
      const entry = table.get(file.name);
      if (entry?.file !== file) return;
      entry.facts = facts ?? emptyFacts();
      built.set(file.name, buildModule(file.name, entry, table));
    },
    finish() {
      const diagnostics: Diagnostic[] = [];
      for (const file of target.files) {
        const error = errors.get(file);
        if (error) diagnostics.push({ severity: 'error', path: file.path, message: `could not be scanned: ${error}` });
      }
      const views = new Map<string, ModuleView>();
      const modules: ScanModule[] = [];
      for (const [name, entry] of [...table].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        const { module, view, diagnostics: own } = built.get(name) ?? buildModule(name, entry, table);
        diagnostics.push(...own);
        views.set(name, view);
        modules.push(module);
      }
      return finishResult(target, interpreter, table, views, modules, diagnostics);
    },
  };
};

const finishResult = (
  target: LocatedTarget,
  interpreter: ScanResult['interpreter'],
  table: ModuleTable,
  views: Map<string, ModuleView>,
  modules: ScanModule[],
  diagnostics: Diagnostic[],
): ScanResult => {
  attachBindingSites(views, table);
  for (const module of modules) {
    for (const symbol of module.symbols) {
      symbol.bindingSites.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : a.line - b.line));
      symbol.sentinels = symbolSentinels(module, symbol.qualname, symbol.bindingSites.filter((s) => !s.lazy).length);
    }
  }

  return {
    schemaVersion: 1,
    package: {
      name: target.name,
      root: target.root,
      version: target.distribution?.version ?? null,
      distribution: target.distribution?.name ?? null,
    },
    interpreter,
    modules,
    sentinels: packageSentinels(modules, target.topLevel, target.name),
    diagnostics,
  };
};
