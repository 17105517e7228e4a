/**
 * `check`'s comparison of a manifest with a fresh scan. The scan fingerprint covers the whole
 * definition (decorators, signature, body) but not its position, so: a different signature is
 * "signature", the same signature with another fingerprint is "body", the same fingerprint at another
 * line or in another module is "moved", and no definition under that qualname anywhere is "missing".
 */
import type { ManifestTarget } from '../generate/manifest.js';
import type { ScanResult, ScanSymbol } from '../scan/model.js';

export type DriftStatus = 'unchanged' | 'signature' | 'body' | 'moved' | 'missing';

export interface TargetDrift {
  key: string;
  status: DriftStatus;
  old: { module: string; line: number; signature: string; fingerprint: string };
  /** Where the definition is now; null when missing. */
  now: { module: string; line: number; signature: string; fingerprint: string } | null;
  /** When missing: what is gone from where (a method from its class, a function from its module). */
  gone?: string;
}

const describe = (module: string, s: ScanSymbol) => ({
  module,
  line: s.line,
  signature: s.signature,
  fingerprint: s.fingerprint,
});

const statusOf = (t: ManifestTarget, module: string, s: ScanSymbol): DriftStatus => {
  if (s.signature !== t.signature) return 'signature';
  if (s.fingerprint !== t.fingerprint) return 'body';
  if (module !== t.module || s.line !== t.line) return 'moved';
  return 'unchanged';
};

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

export const compareTarget = (t: ManifestTarget, scan: ScanResult): TargetDrift => {
  const key = `${t.module}:${t.qualname}`;
  const old = { module: t.module, line: t.line, signature: t.signature, fingerprint: t.fingerprint };
  const same = scan.modules.find((m) => m.name === t.module)?.symbols.find((s) => s.qualname === t.qualname);
  if (same) return { key, status: statusOf(t, t.module, same), old, now: describe(t.module, same) };
  // Moved to another module: prefer an identical definition, else any definition of that qualname.
  const elsewhere = scan.modules.flatMap((m) =>
    m.symbols.filter((s) => s.qualname === t.qualname).map((s) => ({ module: m.name, s })),
  );
  const pick =
    elsewhere.find((c) => c.s.fingerprint === t.fingerprint) ?? (elsewhere.length === 1 ? elsewhere[0] : null);
  if (!pick) return { key, status: 'missing', old, now: null, gone: goneFrom(t, scan) };
  const status = statusOf(t, pick.module, pick.s);
  return { key, status: status === 'unchanged' ? 'moved' : status, old, now: describe(pick.module, pick.s) };
};
