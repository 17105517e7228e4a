/** Renders a scan: a module → class → method outline for people, or the schema-1 JSON. */
import type { ScanCommandOptions } from '../commands/scan.js';
import type { ScanRun } from '../scan/index.js';
import type { ScanModule, ScanResult, ScanSymbol } from '../scan/model.js';
import { ValidationError } from '../errors.js';
import { resultJsonChunks, type JsonText } from '../scan/result-cache.js';

const isPrivate = (dotted: string) => dotted.split('.').some((part) => part.startsWith('_') && !/^__\w+__$/.test(part));

/** Applies --grep and --private; the JSON keeps private names unless filtered by --grep. */
export const filterResult = (
  result: ScanResult,
  options: Pick<ScanCommandOptions, 'grep' | 'private' | 'json'>,
): ScanResult => {
  let pattern: RegExp | null = null;
  if (options.grep) {
    try {
      pattern = new RegExp(options.grep);
    } catch (error) {
      throw new ValidationError(`--grep is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const hidePrivate = !options.private && !options.json;
  const keep = (module: ScanModule, symbol: ScanSymbol) =>
    (!hidePrivate || !isPrivate(symbol.qualname)) && (!pattern || pattern.test(`${module.name}:${symbol.qualname}`));
  const modules = result.modules
    .filter((m) => !hidePrivate || !isPrivate(m.name))
    .map((m) => ({ ...m, symbols: m.symbols.filter((s) => keep(m, s)) }))
    .filter((m) => !pattern || m.symbols.length > 0);
  return { ...result, modules };
};

const flags = (symbol: ScanSymbol): string => {
  const list: string[] = [];
  if (symbol.kind !== 'method' && symbol.kind !== 'function' && symbol.kind !== 'class') list.push(symbol.kind);
  if (symbol.async) list.push('async');
  if (symbol.generator) list.push('generator');
  if (!symbol.runtime) list.push('type-checking');
  if (symbol.branch.length) list.push(symbol.branch.join(' > '));
  if (symbol.bindingSites.length) list.push(`bound in ${symbol.bindingSites.length}`);
  return list.length ? `  [${list.join(', ')}]` : '';
};

const renderModule = (module: ScanModule, enclosing: ReadonlySet<ScanSymbol> = new Set()): string[] => {
  const head = `${module.name}  ${module.path}${module.kind === 'source' ? '' : `  (${module.kind})`}${module.lowConfidence ? '  (low confidence)' : ''}`;
  const lines = [head];
  for (const hazard of module.hazards) lines.push(`  ! ${hazard.message}`);
  for (const symbol of module.symbols) {
    const depth = symbol.qualname.split('.').length;
    const indent = '  '.repeat(depth);
    const name = symbol.qualname.split('.').pop();
    const keyword = symbol.kind === 'class' ? 'class' : symbol.async ? 'async def' : 'def';
    // A class shown only because --grep matched one of its methods: its heading line, nothing more.
    if (enclosing.has(symbol)) {
      lines.push(`${indent}${keyword} ${name}${symbol.signature}  :${symbol.line}`);
      continue;
    }
    lines.push(`${indent}${keyword} ${name}${symbol.signature}  :${symbol.line}${flags(symbol)}`);
    for (const hazard of symbol.hazards) lines.push(`${indent}  ! ${hazard.message}`);
  }
  return lines;
};

/**
 * The kept symbols of `filtered` with the classes that enclose them, from the unfiltered module, in
 * source order: a method matched by --grep is printed under its class, not as a stray indented def.
 */
const withEnclosing = (filtered: ScanModule, original: ScanModule | undefined) => {
  const enclosing = new Set<ScanSymbol>();
  if (!original) return { module: filtered, enclosing };
  const kept = new Set(filtered.symbols.map((s) => s.qualname));
  const wanted = new Set<string>();
  for (const qualname of kept) {
    const parts = qualname.split('.');
    for (let i = 1; i < parts.length; i++) wanted.add(parts.slice(0, i).join('.'));
  }
  const keptSymbols = new Set(filtered.symbols);
  const symbols: ScanSymbol[] = [];
  for (const symbol of original.symbols) {
    if (keptSymbols.has(symbol)) symbols.push(symbol);
    else if (symbol.kind === 'class' && wanted.has(symbol.qualname) && !kept.has(symbol.qualname)) {
      wanted.delete(symbol.qualname); // one heading per class, even when it is defined twice
      symbols.push(symbol);
      enclosing.add(symbol);
    }
  }
  return { module: { ...filtered, symbols }, enclosing };
};

export const render = (run: ScanRun, options: ScanCommandOptions): string | JsonText | Iterable<string> => {
  // Without --grep, --json prints every module and symbol: the kept text is that output, byte for byte.
  if (options.json && !options.grep && run.json !== undefined) return run.json;
  const result = filterResult(run.result, options);
  if (options.json) return resultJsonChunks(result);
  const { package: pkg } = result;
  const title = `${pkg.name}${pkg.version ? ` ${pkg.version}` : ''}  ${pkg.root}`;
  const original = new Map(run.result.modules.map((m) => [m.name, m]));
  const body = result.modules.flatMap((m) => {
    if (!options.grep) return renderModule(m);
    if (!m.symbols.length && !m.hazards.length) return [];
    const shown = withEnclosing(m, original.get(m.name));
    return renderModule(shown.module, shown.enclosing);
  });
  const symbols = result.modules.reduce((n, m) => n + m.symbols.length, 0);
  const sentinels = result.sentinels.slice(0, 3).map((s) => `  ${s.module}: ${s.reason}`);
  return [
    title,
    '',
    ...body,
    '',
    `${result.modules.length} modules, ${symbols} symbols`,
    ...(sentinels.length ? ['sentinel candidates:', ...sentinels] : []),
  ].join('\n');
};

export const diagnostics = (run: ScanRun): string => {
  const lines = run.diagnostics
    .filter((d) => d.severity !== 'info')
    .map((d) => `${d.severity}: ${d.path ?? ''}${d.line ? `:${d.line}` : ''}${d.path ? ': ' : ''}${d.message}`);
  return lines.join('\n');
};
