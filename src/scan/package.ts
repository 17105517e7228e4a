/** Per-file facts of a located package → the public ScanResult (pure; no I/O). */
import type { LocatedTarget, ModuleFile } from '../env/model.js';
import { attachBindingSites, type ModuleView } from './bindings.js';
import { emptyFacts, type FileFacts } from './facts.js';
import { moduleHazards } from './hazards.js';
import type { Diagnostic, ScanModule, ScanResult } from './model.js';
import { isPackageFile, resolveImports, typeCheckingNames, type ModuleTable } from './modules.js';
import { packageSentinels, symbolSentinels } from './sentinels.js';
import { buildSymbols } from './symbols.js';

export interface ParsedFile {
  file: ModuleFile;
  facts: FileFacts | null;
  error?: string;
}

export const assemble = (
  target: LocatedTarget,
  parsed: ParsedFile[],
  interpreter: ScanResult['interpreter'],
): ScanResult => {
  const diagnostics: Diagnostic[] = [];
  const table: ModuleTable = new Map();
  for (const { file, facts, error } of parsed) {
    if (error) diagnostics.push({ severity: 'error', path: file.path, message: `could not be scanned: ${error}` });
    table.set(file.name, { file, facts: facts ?? emptyFacts(), isPackage: isPackageFile(file.stub ?? file.path) });
  }

  const views = new Map<string, ModuleView>();
  const modules: ScanModule[] = [];
  for (const [name, entry] of [...table].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
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
    views.set(name, { name, symbols, imports, references: facts.references });
    modules.push(module);
  }

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
