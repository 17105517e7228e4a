/**
 * Binding sites: modules that hold their own reference to a module-level function or class
 * because they ran `from <defining module> import <name>` (directly or through re-exports).
 * A patch applied after they imported does not reach them; the runtime re-points these names.
 */
import type { RawReference } from './facts.js';
import type { BindingSite } from './model.js';
import type { Alias, ModuleTable, ResolvedImports } from './modules.js';
import type { BuiltSymbol } from './symbols.js';

export interface ModuleView {
  name: string;
  symbols: BuiltSymbol[];
  imports: ResolvedImports;
  references: RawReference[];
}

const MAX_HOPS = 16;

/** A consumer that stores its imported copy by value (`HANDLERS = [f]`) keeps the original twice over. */
const noteCapturedCopies = (
  view: ModuleView,
  moduleLevelRefs: Map<string, number[]>,
  local: string,
  item: BuiltSymbol,
) => {
  if (item.raw.isClass) return;
  const lines = (moduleLevelRefs.get(local) ?? []).map((line) => `${view.name}:${line}`);
  if (lines.length === 0) return;
  item.symbol.hazards.push({
    code: 'captured-by-value',
    message: `stored by value at import time in ${view.name} (${lines.length} place(s)) under the name ${local}`,
    at: lines.slice(0, 10),
  });
};

export const attachBindingSites = (views: Map<string, ModuleView>, table: ModuleTable) => {
  // Module-level definitions by "module\0name".
  const defs = new Map<string, BuiltSymbol>();
  for (const view of views.values()) {
    for (const item of view.symbols)
      if (!item.raw.inClass && item.symbol.runtime) defs.set(`${view.name}\0${item.raw.name}`, item);
  }
  const aliasesOf = new Map<string, Map<string, Alias>>();
  for (const view of views.values()) {
    const map = new Map<string, Alias>();
    for (const alias of view.imports.aliases) if (!alias.lazy) map.set(alias.local, alias);
    aliasesOf.set(view.name, map);
  }

  /** Follows re-exports from (module, name) to the defining module; returns the def and the chain. */
  const follow = (module: string, name: string): { item: BuiltSymbol; via: string[] } | null => {
    const via: string[] = [];
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const item = defs.get(`${module}\0${name}`);
      if (item) return { item, via };
      const next = aliasesOf.get(module)?.get(name);
      if (!next || !table.has(next.module)) return null;
      via.push(`${module}.${name}`);
      module = next.module;
      name = next.name;
    }
    return null;
  };

  for (const view of views.values()) {
    // Module-level references by name, built once per module: filtering them per alias is quadratic
    // in a generated __init__ that re-exports thousands of names.
    const moduleLevelRefs = new Map<string, number[]>();
    for (const r of view.references) {
      if (r.scope !== '') continue;
      const lines = moduleLevelRefs.get(r.name) ?? [];
      lines.push(r.line);
      moduleLevelRefs.set(r.name, lines);
    }
    for (const alias of view.imports.aliases) {
      const found = follow(alias.module, alias.name);
      if (!found) continue;
      const site: BindingSite = { module: view.name, name: alias.local, line: alias.line, lazy: alias.lazy };
      if (found.via.length) site.via = found.via;
      found.item.symbol.bindingSites.push(site);
      if (!alias.lazy) noteCapturedCopies(view, moduleLevelRefs, alias.local, found.item);
    }
    for (const wildcard of view.imports.wildcards) {
      const source = views.get(wildcard.module);
      if (!source) continue;
      for (const item of source.symbols) {
        if (item.raw.inClass || item.raw.name.startsWith('_') || !item.symbol.runtime) continue;
        item.symbol.bindingSites.push({
          module: view.name,
          name: item.raw.name,
          line: wildcard.line,
          lazy: wildcard.lazy,
          via: [`${wildcard.module}.*`],
        });
      }
    }
  }
};
