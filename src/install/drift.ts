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
  if (!pick) return { key, status: 'missing', old, now: null };
  const status = statusOf(t, pick.module, pick.s);
  return { key, status: status === 'unchanged' ? 'moved' : status, old, now: describe(pick.module, pick.s) };
};
