/**
 * `check`'s comparison of a manifest with a fresh scan, judged by what each target depends on:
 * a wrapper on its target's existence, kind and signature (compared as parsed); a replacement,
 * an added or removed definition and module code on the exact upstream text it was made from.
 * Where a definition stands is never drift: "moved" is reported and does not matter.
 *
 * Statuses, and whether they matter (exit 1):
 *   unchanged  no: the same text where it was
 *   moved      no: what the target depends on is the same, at another line or in another module
 *   format     no: (wrapper) the signature's comments or formatting changed, not its parameters
 *   body       no: (wrapper) the body or decorators changed; the wrapper does not depend on them
 *   signature  yes: (wrapper) parameters, kinds, defaults or annotations changed
 *   kind       yes: (wrapper) it became another kind (method → property, sync → async, ...)
 *   upstream   yes: (replacement, added, removed, module code) upstream's text it was made from changed
 *   exists     yes: (added, new module) upstream now defines what the patch adds
 *   missing    yes: no definition of that qualname anywhere in the scanned package
 *   unchecked  yes: patchkit cannot judge it (module code of a bundle made before the manifest kept
 *              its hunks, an unreadable overlay)
 * Module code and an overlay depend on the diff's hunks that carry them (the manifest keeps them):
 * `unchanged` when every hunk's old lines are where they were, `moved` when one is at another line,
 * `upstream` when one no longer applies. A new module is `unchanged` while upstream has no module of
 * that name.
 */
import type { ManifestTarget } from '../generate/manifest.js';
import type { ScanModule, ScanResult, ScanSymbol } from '../scan/model.js';
import { sameSignature, splitHeader } from './signature.js';
import type { HunkCheck } from './overlay-drift.js';

export type DriftStatus =
  'unchanged' | 'moved' | 'format' | 'body' | 'signature' | 'kind' | 'upstream' | 'exists' | 'missing' | 'unchecked';

/** The statuses that fail `check` (exit 1): the patch may no longer do what it did. */
export const MATTERS: Record<DriftStatus, boolean> = {
  unchanged: false,
  moved: false,
  format: false,
  body: false,
  signature: true,
  kind: true,
  upstream: true,
  exists: true,
  missing: true,
  unchecked: true,
};

export interface Place {
  module: string;
  line: number;
  signature: string;
  fingerprint: string;
}

export interface TargetDrift {
  key: string;
  how: string;
  status: DriftStatus;
  matters: boolean;
  old: Place;
  /** Where the definition is now; null when missing. */
  now: Place | null;
  /** When missing: what is gone from where (a method from its class, a function from its module). */
  gone?: string;
  /** When missing: the closest names the scan has, as `new` suggests them. */
  closest?: string[];
  /** Unified diff of upstream's old and new text of the definition, when both are known and differ. */
  diff?: string;
  /** Why a status is what it is, when the status alone does not say. */
  note?: string;
  /** Overlay: each hunk, whether it still applies to the new source, and where. */
  hunks?: HunkCheck[];
}

/** A definition found in the scan: its module, symbol and (read by the caller) its text now. */
export interface Found {
  module: ScanModule;
  symbol: ScanSymbol;
}

const describe = (module: string, s: ScanSymbol): Place => ({
  module,
  line: s.line,
  signature: s.signature,
  fingerprint: s.fingerprint,
});

/** Says what is gone from where, looking only at the module the manifest names. */
const goneFrom = (t: ManifestTarget, scan: ScanResult): string => {
  const module = scan.modules.find((m) => m.name === t.module);
  const parts = t.qualname.split('.');
  const name = parts.pop() ?? t.qualname;
  const owner = parts.join('.');
  if (!module) return `module ${t.module} is gone, and no other module defines ${t.qualname}`;
  if (!owner) return `${name} is gone from ${t.module}`;
  if (module.symbols.some((s) => s.kind === 'class' && s.qualname === owner))
    return `${name} is gone from class ${t.module}:${owner}`;
  return `class ${owner} is gone from ${t.module}, and ${name} with it`;
};

/** The definition the target names now: in its module, else the one other module that has it. */
export const locate = (t: ManifestTarget, scan: ScanResult): Found | null => {
  const home = scan.modules.find((m) => m.name === t.module);
  const same = home?.symbols.find((s) => s.qualname === t.qualname);
  if (home && same) return { module: home, symbol: same };
  const elsewhere = scan.modules.flatMap((m) =>
    m.symbols.filter((s) => s.qualname === t.qualname).map((s) => ({ module: m, symbol: s })),
  );
  return (
    elsewhere.find((c) => c.symbol.fingerprint === t.fingerprint) ?? (elsewhere.length === 1 ? elsewhere[0] : null)
  );
};

/** Targets that stand for a whole module, not one definition. */
const WHOLE_MODULE = new Set(['module-code', 'overlay', 'new-module']);

const sameKind = (t: ManifestTarget, s: ScanSymbol) =>
  s.kind === t.kind && s.async === t.async && s.generator === t.generator;

const wrapperStatus = (t: ManifestTarget, s: ScanSymbol, newText: string | null): DriftStatus => {
  if (!sameKind(t, s)) return 'kind';
  if (!sameSignature(t.signature, s.signature)) return 'signature';
  if (s.fingerprint === t.fingerprint) return 'unchanged';
  if (t.upstream && newText !== null) {
    const before = splitHeader(t.upstream);
    const after = splitHeader(newText);
    if (before.body === after.body && before.header !== after.header) return 'format';
  }
  return 'body';
};

export interface CompareInput {
  target: ManifestTarget;
  scan: ScanResult;
  found: Found | null;
  /** Upstream's text of the found definition now (lines with decorators through its end). */
  newText: string | null;
  /** Closest `module:qualname` names, computed by the caller when the target is missing. */
  closest: () => string[];
  /** Unified diff of old and new upstream text. */
  diff: (oldText: string, newText: string, newLine: number) => string;
  /** Overlay: its hunks checked against the module's new source (null: the module is not in the scan). */
  hunks?: HunkCheck[] | null;
}

const overlayStatus = (t: ManifestTarget, scan: ScanResult, hunks: HunkCheck[] | null | undefined): DriftStatus => {
  if (hunks === null) return scan.modules.some((m) => m.name === t.module) ? 'unchecked' : 'missing';
  if (hunks === undefined) return 'unchecked';
  if (hunks.some((h) => !h.applies)) return 'upstream';
  return hunks.some((h) => h.offset !== 0) ? 'moved' : 'unchanged';
};

export const compareTarget = ({ target: t, scan, found, newText, closest, diff, hunks }: CompareInput): TargetDrift => {
  const key = `${t.module}:${t.qualname}`;
  const how = t.how ?? 'wrap';
  const old: Place = { module: t.module, line: t.line, signature: t.signature, fingerprint: t.fingerprint };
  const result = (status: DriftStatus, extra: Partial<TargetDrift> = {}): TargetDrift => ({
    key,
    how,
    status,
    matters: MATTERS[status],
    old,
    now: found ? describe(found.module.name, found.symbol) : null,
    ...extra,
  });
  if (how === 'overlay' || (how === 'module-code' && t.hunks)) {
    const status = overlayStatus(t, scan, hunks);
    const note =
      status === 'missing'
        ? `module ${t.module} is gone`
        : status === 'unchecked'
          ? `the hunks for ${t.module} could not be read`
          : undefined;
    return { ...result(status, { ...(hunks ? { hunks } : {}), ...(note ? { note } : {}) }), now: null };
  }
  if (how === 'new-module') {
    if (scan.modules.some((m) => m.name === t.module))
      return { ...result('exists', { note: `upstream now has a module ${t.module}` }), now: null };
    return { ...result('unchanged'), now: null };
  }
  if (WHOLE_MODULE.has(how))
    return result('unchecked', { note: `the bundle was made before patchkit kept the hunks of ${how}` });
  if (how === 'add') {
    if (found) return result('exists', { note: `upstream now defines ${key} itself` });
    return { ...result('unchanged'), now: null };
  }
  if (!found) return result('missing', { gone: goneFrom(t, scan), closest: closest() });
  const moved = found.module.name !== t.module || found.symbol.line !== t.line;
  const textDiff =
    t.upstream && newText !== null && newText !== t.upstream ? diff(t.upstream, newText, found.symbol.line) : undefined;
  let status: DriftStatus;
  if (how === 'wrap') status = wrapperStatus(t, found.symbol, newText);
  else if (t.upstream == null) status = found.symbol.fingerprint === t.fingerprint ? 'unchanged' : 'upstream';
  else status = newText === t.upstream ? 'unchanged' : 'upstream';
  if (status === 'unchanged' && moved) status = 'moved';
  return result(status, textDiff ? { diff: textDiff } : {});
};
