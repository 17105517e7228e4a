/**
 * Sentinel candidates: the modules whose import should trigger applying a patch. The defining
 * module comes first: a post-import hook there runs before any `from … import` can copy the name
 * (the importer waits for the module to finish executing), so every binding site sees the wrapper.
 */
import type { ScanModule, SentinelCandidate } from './model.js';

export const symbolSentinels = (module: ScanModule, qualname: string, bindingCount: number): SentinelCandidate[] => {
  const list: SentinelCandidate[] = [
    {
      module: module.name,
      reason:
        bindingCount > 0
          ? `defines ${qualname}: patched when it finishes importing, before its ${bindingCount} importer(s) can bind the name`
          : `defines ${qualname}: patched as soon as it is imported`,
    },
  ];
  const top = module.name.split('.')[0];
  if (top !== module.name) {
    list.push({
      module: top,
      reason: `the package itself: imported first by every user, but applying there imports ${module.name} early`,
    });
  }
  return list;
};

/**
 * Package-wide: the top-level package (or, for a scan of a submodule or subpackage, the module
 * scanned), then the modules most imported inside the package.
 */
export const packageSentinels = (modules: ScanModule[], top: string, scanned = top): SentinelCandidate[] => {
  const inDegree = new Map<string, number>();
  for (const module of modules) {
    for (const edge of module.imports) {
      if (edge.internal && !edge.lazy && edge.module !== module.name)
        inDegree.set(edge.module, (inDegree.get(edge.module) ?? 0) + 1);
    }
  }
  const list: SentinelCandidate[] = [];
  if (modules.some((m) => m.name === top)) {
    list.push({ module: top, reason: 'the package itself: every import of a submodule runs it first' });
  } else if (modules.some((m) => m.name === scanned)) {
    list.push({
      module: scanned,
      reason:
        modules.length === 1
          ? 'the module scanned: patched as soon as it is imported'
          : 'the package scanned: every import of one of its submodules runs it first',
    });
  }
  const ranked = [...inDegree]
    .filter(([name]) => !list.some((c) => c.module === name))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [name, count] of ranked.slice(0, 5)) {
    list.push({
      module: name,
      reason: `imported by ${count} module(s) of the package: loaded early by most entry points`,
    });
  }
  return list;
};
