/**
 * One module's before and after, compared definition by definition, and every change given the
 * least invasive mechanism that reproduces it exactly:
 *
 * - a function or method whose text changed, decorators the same → `replace` (a plain function
 *   defined twice in one scope counts as its last definition, the one the scope keeps);
 * - a definition only in the patched file → `add`; only in the installed one → `remove`;
 * - a module-level import or assignment to names, new or changed → `module-code`, run in the
 *   module's namespace after it executed; a removed one whose names nothing binds again → the
 *   module code deletes them (`unbinds`);
 * - everything that has to be in place while the module executes → `overlay`: class-body
 *   statements (fields, `__slots__`, attributes), decorators and class headers (bases, keywords),
 *   module-level code other than imports and assignments (calls, if/try blocks, del, docstrings),
 *   and any change that code running at import would have seen: a name it reads (a new constant
 *   read by a class body or a default value, a new function used as a decorator), a function it
 *   calls, a method of a metaclass the module's classes use or an `__init_subclass__` of a class it
 *   subclasses, a name added or removed where the module reads its own namespace (`globals()`),
 *   a removed definition a star import may bind again.
 * - `if __name__ == "__main__":` blocks never run on import: changes there need nothing.
 *
 * A hunk that carries an overlay change is applied to the source, so every other change it touches
 * comes with it, and then all of those changes' other hunks too (the closure): each change is
 * carried by exactly one mechanism, and each module-level definition is either all old or all new
 * in the overlaid source.
 */
import type { DefinitionChange, Mechanism, ModuleCodeChange } from './plan.js';
import type { DefUnit, StatementUnit, Units } from './units.js';

export interface LocatedHunk {
  index: number;
  /** Old line numbers (installed file) this hunk removes, new line numbers (patched file) it adds. */
  removed: Set<number>;
  added: Set<number>;
}

export interface Classified {
  definitions: DefinitionChange[];
  moduleCode: ModuleCodeChange | null;
  overlay: { reasons: string[]; hunks: number[] } | null;
  /** Things about the changes a reader of the plan should know (a class the module binds again). */
  warnings: string[];
  /** Hunks that touch only `if __name__ == "__main__":` blocks (which never run on import). */
  mainGuardOnly: number[];
  /** Mechanisms per hunk index (only hunks that carry something). */
  mechanisms: Map<number, Mechanism[]>;
}

type Range = [number, number];

/** Longest common subsequence of two lists of texts: which items of each side are matched. */
const matchSequences = (a: string[], b: string[]): { a: boolean[]; b: boolean[] } => {
  const n = a.length;
  const m = b.length;
  // Trim the common head and tail first: most modules change a few statements.
  let head = 0;
  while (head < n && head < m && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] === b[m - 1 - tail]) tail++;
  const ma = new Array<boolean>(n).fill(false);
  const mb = new Array<boolean>(m).fill(false);
  for (let i = 0; i < head; i++) ma[i] = mb[i] = true;
  for (let i = 0; i < tail; i++) ma[n - 1 - i] = mb[m - 1 - i] = true;
  const A = a.slice(head, n - tail);
  const B = b.slice(head, m - tail);
  const table: number[][] = Array.from({ length: A.length + 1 }, () => new Array<number>(B.length + 1).fill(0));
  for (let i = A.length - 1; i >= 0; i--)
    for (let j = B.length - 1; j >= 0; j--)
      table[i][j] = A[i] === B[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  for (let i = 0, j = 0; i < A.length && j < B.length;) {
    if (A[i] === B[j]) {
      ma[head + i] = mb[head + j] = true;
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return { a: ma, b: mb };
};

const firstLine = (text: string) => {
  const line = text.split('\n')[0].trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
};

export const classifyModule = (module: string, before: Units, after: Units, hunks: LocatedHunk[]): Classified => {
  const touching = (old: Range | null, next: Range | null): number[] =>
    hunks
      .filter((h) => {
        for (const line of h.removed) if (old && line >= old[0] && line <= old[1]) return true;
        for (const line of h.added) if (next && line >= next[0] && line <= next[1]) return true;
        return false;
      })
      .map((h) => h.index);

  const overlayReasons: string[] = [];
  const overlayHunks = new Set<number>();
  const toOverlay = (reason: string, found: number[]) => {
    if (found.length === 0) return;
    overlayReasons.push(reason);
    for (const h of found) overlayHunks.add(h);
  };

  // Definitions, by qualname and occurrence. A plain function defined twice in one scope is the
  // last definition (the earlier one is dead once the scope has run): only the last ones are compared.
  const plain = (d: DefUnit) => d.kind !== 'class' && d.decorators === '';
  const allPlain = new Set<string>();
  for (const d of [...before.defs, ...after.defs]) allPlain.add(d.qualname);
  for (const d of [...before.defs, ...after.defs]) if (!plain(d)) allPlain.delete(d.qualname);
  const lastOnly = (defs: DefUnit[]) =>
    defs.filter((d, i) => !allPlain.has(d.qualname) || !defs.slice(i + 1).some((e) => e.qualname === d.qualname));
  const oldEffective = lastOnly(before.defs);
  const newEffective = lastOnly(after.defs);
  const key = (d: DefUnit) => `${d.qualname}#${allPlain.has(d.qualname) ? 'last' : d.occurrence}`;
  const oldDefs = new Map(oldEffective.map((d) => [key(d), d]));
  const newDefs = new Map(newEffective.map((d) => [key(d), d]));
  const count = (defs: DefUnit[]) => {
    const counts = new Map<string, number>();
    for (const d of defs) counts.set(d.qualname, (counts.get(d.qualname) ?? 0) + 1);
    return counts;
  };
  const oldCounts = count(oldEffective);
  const newCounts = count(newEffective);

  /** Qualnames whose whole subtree is handled as one (a class added or removed, repeated names that changed). */
  const handled = new Set<string>();
  const under = (qualname: string) => {
    for (const h of handled) if (qualname.startsWith(`${h}.`)) return true;
    return false;
  };
  const names = [...new Set([...oldCounts.keys(), ...newCounts.keys()])].sort();
  for (const name of names) {
    const a = oldCounts.get(name) ?? 0;
    const b = newCounts.get(name) ?? 0;
    if (a === b || (a <= 1 && b <= 1)) continue;
    // `@overload` stubs or a property's accessors added or removed: which is which cannot be told by name.
    handled.add(name);
    const olds = before.defs.filter((d) => d.qualname === name || d.qualname.startsWith(`${name}.`));
    const news = after.defs.filter((d) => d.qualname === name || d.qualname.startsWith(`${name}.`));
    const found = [
      ...new Set([
        ...olds.flatMap((d) => touching([d.start, d.end], null)),
        ...news.flatMap((d) => touching(null, [d.start, d.end])),
      ]),
    ];
    toOverlay(`${name} is defined ${a} time(s) before and ${b} after`, found);
  }

  const definitions: DefinitionChange[] = [];
  // A star import anywhere at module level (inside an if/try too) may bind any name.
  const starImport = after.statements.find(
    (s) => s.scope === '' && !s.mainGuard && /^\s*from\s+\S+\s+import\s+\*/m.test(s.text),
  );
  // Enclosing classes as the installed file has them (an added method's class exists there).
  const upstreamIndent = new Map(
    before.defs.filter((d) => d.kind === 'class').map((d) => [d.qualname, indentOf(d.text, d.defLine - d.start)]),
  );
  const upstreamClasses = (d: DefUnit) =>
    d.classes.map((c, i) => {
      const qualname = d.classes
        .slice(0, i + 1)
        .map((x) => x.name)
        .join('.');
      return { name: c.name, indent: upstreamIndent.get(qualname) ?? c.indent };
    });

  // `__all__ = [n for n in globals() ...]` at import: names added or removed later are not in it.
  const namespaceRead = after.importTime.find(
    (u) =>
      u.called &&
      ['globals', 'vars', 'dir', 'locals'].includes(u.name) &&
      !after.defs.some((d) => d.qualname === u.name),
  );
  // Class statements run their metaclass and their bases' __init_subclass__/__set_name__ at import.
  const metaclasses = new Set(
    after.defs.flatMap((d) =>
      d.kind === 'class' ? [...d.header.matchAll(/\bmetaclass\s*=\s*([A-Za-z_][A-Za-z0-9_.]*)/g)].map((m) => m[1]) : [],
    ),
  );
  const CREATION_HOOKS = new Set(['__init_subclass__', '__set_name__', '__mro_entries__']);
  const classCreation = (d: DefUnit): string | null => {
    const top = d.classes[0].name;
    const method = d.qualname.split('.').pop() ?? '';
    if (metaclasses.has(top))
      return `${top} is the metaclass of classes the module creates at import: ${d.qualname} may have run then`;
    const subclassed = after.defs.some(
      (o) => o.kind === 'class' && o.qualname !== top && new RegExp(`[(,\\s]${top}\\b`).test(o.header),
    );
    if (CREATION_HOOKS.has(method) && subclassed)
      return `${d.qualname} runs when the module's subclasses of ${top} are created, at import`;
    return null;
  };
  const importTimeUse = (name: string, own: Range, calledOnly: boolean, deferred: Range[] = []) =>
    after.importTime.find(
      (u) =>
        u.name === name &&
        (u.line < own[0] || u.line > own[1]) &&
        (!calledOnly || u.called) &&
        !deferred.some(([a, b]) => u.line >= a && u.line <= b),
    );

  for (const d of newEffective) {
    if (handled.has(d.qualname) || under(d.qualname)) continue;
    const old = oldDefs.get(key(d));
    const range: Range = [d.start, d.end];
    if (!old) {
      if (d.kind === 'class') handled.add(d.qualname);
      const found = touching(null, range);
      const use = d.classes.length === 0 ? importTimeUse(d.qualname, range, false) : undefined;
      if (use) {
        toOverlay(`new ${d.qualname} is used at import time (line ${use.line})`, found);
        continue;
      }
      if (d.classes.length === 0 && namespaceRead) {
        toOverlay(
          `new ${d.qualname} would be missing from what line ${namespaceRead.line} reads of the module's namespace (${namespaceRead.name}())`,
          found,
        );
        continue;
      }
      definitions.push(definition('add', module, d, null, upstreamClasses(d), found, after));
      continue;
    }
    const oldRange: Range = [old.start, old.end];
    if (old.kind !== d.kind && (old.kind === 'class' || d.kind === 'class')) {
      handled.add(d.qualname);
      toOverlay(`${d.qualname} changed from a ${old.kind} to a ${d.kind}`, touching(oldRange, range));
      continue;
    }
    if (old.decorators !== d.decorators) {
      if (d.kind === 'class') handled.add(d.qualname);
      toOverlay(`decorators of ${d.qualname} changed`, touching(oldRange, range));
      continue;
    }
    if (d.kind === 'class') {
      if (old.header !== d.header)
        toOverlay(
          `the class statement of ${d.qualname} changed (bases or keywords)`,
          touching([old.defLine, old.headerEnd], [d.defLine, d.headerEnd]),
        );
      continue;
    }
    if (old.text === d.text) continue;
    const found = touching(oldRange, range);
    const call = d.classes.length === 0 ? importTimeUse(d.qualname, range, true) : undefined;
    if (call) {
      toOverlay(`${d.qualname} is called at import time (line ${call.line}): that call would run the old body`, found);
      continue;
    }
    const creator = d.classes.length > 0 ? classCreation(d) : null;
    if (creator) {
      toOverlay(creator, found);
      continue;
    }
    definitions.push(definition('replace', module, d, old, upstreamClasses(d), found, after));
  }
  for (const old of oldEffective) {
    if (handled.has(old.qualname) || under(old.qualname)) continue;
    if (newDefs.has(key(old))) continue;
    if (old.kind === 'class') handled.add(old.qualname);
    const found = touching([old.start, old.end], null);
    if (old.classes.length === 0) {
      // Deleting the name after the import is exact only if nothing else in the patched module binds it.
      const binder = after.statements.find((s) => s.scope === '' && s.binds?.includes(old.qualname));
      if (binder) {
        toOverlay(`removed ${old.qualname} is bound again by line ${binder.start}`, found);
        continue;
      }
      if (namespaceRead) {
        toOverlay(
          `removed ${old.qualname} would stay in what line ${namespaceRead.line} reads of the module's namespace (${namespaceRead.name}())`,
          found,
        );
        continue;
      }
      if (starImport) {
        toOverlay(`removed ${old.qualname} may be bound again by the star import at line ${starImport.start}`, found);
        continue;
      }
    }
    definitions.push(definition('remove', module, null, old, old.classes, found, before));
  }

  // Statements, scope by scope.
  const scopes = [...new Set([...before.statements, ...after.statements].map((s) => s.scope))].sort();
  /** `dependents`: runtime definitions whose decorators, defaults or annotations read what the statement binds. */
  const codeStatements: { statement: StatementUnit; hunks: number[]; dependents: DefinitionChange[] }[] = [];
  /** Names of removed imports and assignments that nothing binds any more: deleted after the module ran. */
  const unbinds: { names: string[]; hunks: number[]; line: number }[] = [];
  // Added and replaced definitions run after the module code: what their headers read may come from it.
  const deferredRanges = (): Range[] =>
    definitions
      .filter((d) => d.mechanism !== 'remove' && d.line !== null && d.source !== null)
      .map((d) => [d.line as number, (d.line as number) + (d.source as string).split('\n').length - 2]);
  for (const scope of scopes) {
    if (scope !== '' && (handled.has(scope) || under(scope))) continue;
    const olds = before.statements.filter((s) => s.scope === scope && !s.mainGuard);
    const news = after.statements.filter((s) => s.scope === scope && !s.mainGuard);
    const matched = matchSequences(
      olds.map((s) => s.text),
      news.map((s) => s.text),
    );
    const removed = olds.filter((_, i) => !matched.a[i]);
    const added = news.filter((_, i) => !matched.b[i]);
    if (removed.length === 0 && added.length === 0) continue;
    if (scope !== '') {
      const first = added[0] ?? removed[0];
      toOverlay(`class body of ${scope} changed (${firstLine(first.text)})`, [
        ...new Set([
          ...removed.flatMap((s) => touching([s.start, s.end], null)),
          ...added.flatMap((s) => touching(null, [s.start, s.end])),
        ]),
      ]);
      continue;
    }
    const rebinding = new Set<string>();
    // An import bound before from the same origin binds the same object: its name's value is unchanged.
    const oldOrigins = new Set(olds.flatMap((s) => s.origins ?? []));
    // Candidates for module code; a use of what one binds inside another candidate is fine (they
    // run in file order), but a use anywhere else at import time sends it to the overlay, and then
    // whatever it reads must be there too: repeated until nothing more leaves.
    const candidates = new Set(added.filter((s) => s.binds !== null));
    for (const s of added)
      if (s.binds === null)
        toOverlay(`line ${s.start}: ${s.notSimple} (${firstLine(s.text)})`, touching(null, [s.start, s.end]));
    const oldNames = new Set(olds.flatMap((s) => s.binds ?? []));
    const useOf = (s: StatementUnit) => {
      const fresh = (s.binds ?? []).find((n) => !oldNames.has(n));
      if (namespaceRead && fresh !== undefined) return { name: fresh, line: namespaceRead.line, called: true };
      const others: Range[] = [...candidates].filter((c) => c !== s).map((c) => [c.start, c.end]);
      return (s.binds ?? [])
        .filter((_, i) => !(s.origins && oldOrigins.has(s.origins[i])))
        .map((n) => importTimeUse(n, [s.start, s.end], false, [...deferredRanges(), ...others]))
        .find((u) => u !== undefined);
    };
    for (let left = true; left;) {
      left = false;
      for (const s of candidates) {
        const use = useOf(s);
        if (!use) continue;
        candidates.delete(s);
        toOverlay(
          `${use.name} (line ${s.start}) is used at import time (line ${use.line})`,
          touching(null, [s.start, s.end]),
        );
        left = true;
      }
    }
    for (const s of added) {
      if (!candidates.has(s)) continue;
      const found = touching(null, [s.start, s.end]);
      for (const n of s.binds ?? []) rebinding.add(n);
      const names = new Set(s.binds);
      const dependents = definitions.filter((d) => {
        if (d.line === null || d.source === null) return false;
        const last = d.line + d.source.split('\n').length - 2;
        return after.importTime.some((u) => names.has(u.name) && u.line >= (d.line as number) && u.line <= last);
      });
      codeStatements.push({ statement: s, hunks: found, dependents });
    }
    // Names bound at module level in the patched file other than by the changed statements.
    const stillBound = new Set([
      ...news.filter((s) => !added.includes(s)).flatMap((s) => s.binds ?? []),
      ...after.defs.filter((d) => d.classes.length === 0).map((d) => d.qualname),
    ]);
    const overlaidNames = new Set(added.filter((s) => !candidates.has(s)).flatMap((s) => s.binds ?? []));
    for (const s of removed) {
      const found = touching([s.start, s.end], null);
      const names = s.binds;
      if (names !== null && names.every((n) => rebinding.has(n))) {
        // Bound again by new module code: the removal is carried by that code.
        const carrier = codeStatements.find((c) => c.statement.binds?.some((n) => names.includes(n)));
        if (carrier) carrier.hunks.push(...found.filter((h) => !carrier.hunks.includes(h)));
        continue;
      }
      if (names !== null && names.every((n) => overlaidNames.has(n))) {
        for (const h of found) overlayHunks.add(h);
        continue;
      }
      if (
        names !== null &&
        !starImport &&
        names.every((n) => !rebinding.has(n) && !overlaidNames.has(n) && !stillBound.has(n))
      ) {
        // Nothing binds these names any more: the module code deletes them.
        unbinds.push({ names, hunks: found, line: s.start });
        continue;
      }
      toOverlay(
        `installed line ${s.start} removed: ${names === null ? (s.notSimple ?? 'runs at import') : `what it binds (${names.join(', ')}) is bound otherwise in the patched file`} (${firstLine(s.text)})`,
        found,
      );
    }
  }

  // The closure: a change sharing a hunk with the overlay goes into it, with all of its hunks.
  let changed = overlayHunks.size > 0;
  while (changed) {
    changed = false;
    for (const carrier of [
      ...definitions.map((d) => d.hunks),
      ...codeStatements.map((c) => c.hunks),
      ...unbinds.map((u) => u.hunks),
    ]) {
      if (carrier.some((h) => overlayHunks.has(h)))
        for (const h of carrier)
          if (!overlayHunks.has(h)) {
            overlayHunks.add(h);
            changed = true;
          }
    }
    // A definition that went into the overlay runs at import: the module code it reads has to be there too.
    for (const c of codeStatements)
      if (c.dependents.some((d) => d.hunks.some((h) => overlayHunks.has(h))))
        for (const h of c.hunks)
          if (!overlayHunks.has(h)) {
            overlayHunks.add(h);
            changed = true;
          }
  }
  const kept = definitions.filter((d) => !d.hunks.some((h) => overlayHunks.has(h)));
  const code = codeStatements.filter((c) => !c.hunks.some((h) => overlayHunks.has(h)));
  const deleted = unbinds.filter((u) => !u.hunks.some((h) => overlayHunks.has(h)));
  const absorbed = [
    ...definitions.filter((d) => !kept.includes(d)).map((d) => `${d.mechanism} of ${d.qualname}`),
    ...codeStatements.filter((c) => !code.includes(c)).map((c) => `line ${c.statement.start}`),
    ...unbinds.filter((u) => !deleted.includes(u)).map((u) => `installed line ${u.line} removed`),
  ];
  if (absorbed.length > 0) overlayReasons.push(`with it, as they share its hunks: ${absorbed.join(', ')}`);

  const mechanisms = new Map<number, Mechanism[]>();
  const mark = (h: number, m: Mechanism) => {
    const list = mechanisms.get(h) ?? [];
    if (!list.includes(m)) list.push(m);
    mechanisms.set(h, list);
  };
  for (const h of overlayHunks) mark(h, 'overlay');
  for (const d of kept) for (const h of d.hunks) mark(h, d.mechanism);
  for (const c of [...code, ...deleted]) for (const h of c.hunks) mark(h, 'module-code');
  for (const list of mechanisms.values()) list.sort();

  const moduleCode: ModuleCodeChange | null =
    code.length === 0 && deleted.length === 0
      ? null
      : {
          mechanism: 'module-code',
          module,
          source: code
            .map((c) => c.statement)
            .sort((a, b) => a.start - b.start)
            .map((s) => s.text)
            .join(''),
          hunks: [...new Set([...code, ...deleted].flatMap((c) => c.hunks))].sort((a, b) => a - b),
          binds: [...new Set(code.flatMap((c) => c.statement.binds ?? []))],
          unbinds: [...new Set(deleted.flatMap((u) => u.names))],
        };
  return {
    definitions: kept,
    moduleCode,
    overlay: overlayHunks.size > 0 ? { reasons: overlayReasons, hunks: [...overlayHunks].sort((a, b) => a - b) } : null,
    mechanisms,
    warnings: rebound(after, kept),
    mainGuardOnly: [
      ...new Set([
        ...before.statements.filter((s) => s.mainGuard).flatMap((s) => touching([s.start, s.end], null)),
        ...after.statements.filter((s) => s.mainGuard).flatMap((s) => touching(null, [s.start, s.end])),
      ]),
    ].filter((h) => !mechanisms.has(h)),
  };
};

const indentOf = (text: string, lineOffset: number) => {
  const line = text.split('\n')[lineOffset] ?? '';
  return line.slice(0, line.length - line.trimStart().length);
};

/** `do_a = do_args` in the definition's own scope, at import: other names for the same function. */
const aliasesOf = (units: Units, unit: DefUnit): string[] => {
  const scope = unit.classes.map((c) => c.name).join('.');
  const name = unit.qualname.split('.').pop() ?? '';
  const alias = new RegExp(`^([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*${name}\\s*$`);
  return units.statements
    .filter((s) => s.scope === scope && !s.mainGuard)
    .flatMap((s) => {
      const hit = alias.exec(s.text.trim());
      return hit ? [scope ? `${scope}.${hit[1]}` : hit[1]] : [];
    });
};

/** Methods changed in a class the module binds again later (`from _collections import OrderedDict` after it). */
const rebound = (after: Units, changes: DefinitionChange[]): string[] => {
  const classes = [...new Set(changes.filter((c) => c.classes.length > 0).map((c) => c.classes[0].name))];
  return classes
    .filter((name) => {
      const line = after.defs.find((d) => d.qualname === name && d.kind === 'class')?.start ?? 0;
      return after.runtimeImports.some((i) => (i.name === name || i.name === '*') && i.line > line);
    })
    .map(
      (name) =>
        `${name} is bound again by an import after its class statement (a compiled implementation, as _collections.OrderedDict is for collections): changes to its Python methods reach what the module exports only where that import fails`,
    );
};

/** Private names in a class body are mangled: `__run` in `DocTestRunner` is stored as `_DocTestRunner__run`. */
const storedName = (unit: DefUnit): string => {
  const name = unit.qualname.split('.').pop() ?? '';
  const owner = unit.classes[unit.classes.length - 1]?.name.replace(/^_+/, '');
  return owner && name.startsWith('__') && !name.endsWith('__') ? `_${owner}${name}` : name;
};

const definition = (
  mechanism: DefinitionChange['mechanism'],
  module: string,
  next: DefUnit | null,
  old: DefUnit | null,
  classes: DefinitionChange['classes'],
  hunks: number[],
  units: Units,
): DefinitionChange => {
  const unit = (next ?? old) as DefUnit;
  return {
    mechanism,
    module,
    qualname: unit.qualname,
    kind: unit.kind,
    async: unit.async,
    classes,
    source: mechanism === 'remove' ? null : (next?.text ?? null),
    upstream: mechanism === 'add' ? null : (old?.text ?? null),
    line: mechanism === 'remove' ? null : (next?.start ?? null),
    upstreamLine: mechanism === 'add' ? null : (old?.start ?? null),
    hunks: [...hunks].sort((a, b) => a - b),
    occurrence: unit.occurrence,
    aliases: aliasesOf(units, unit),
    attribute: storedName(unit),
  };
};
