/**
 * A DiffPlan (src/diff) → the targets and blocks of a bundle: each definition the diff replaces, adds
 * or removes is a target whose text goes into its module's block; module-level statements, a source
 * overlay and a new module are one target each, named `<module code>`, `<overlay>`, `<new module>`.
 * Every module is its own sentinel. Pure: the plan holds every text it needs.
 */
import { createHash } from 'node:crypto';
import type { Change, DefinitionChange, DiffPlan } from '../diff/plan.js';
import { pyStr } from './literal.js';
import type { ManifestHunk } from './manifest.js';
import { MODULE_CODE, NEW_MODULE, OVERLAY, type ModuleCode, type TargetInput } from './model.js';
import { stripTrailingBlanks } from '../scan/text.js';

/** sha256 (16 hex) of a definition's text as the runtime hashes lines: trailing blanks stripped, LF-joined. */
const textHash = (text: string): string => {
  const lines = text.replace(/\n$/, '').split('\n').map(stripTrailingBlanks);
  return createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex').slice(0, 16);
};

const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

const base = (module: string, qualname: string, line: number, span: number): TargetInput => ({
  module,
  qualname,
  kind: 'module',
  async: false,
  generator: false,
  signature: '',
  fingerprint: '',
  sentinel: module,
  line,
  startLine: line,
  endLine: line + span - 1,
  sourceHash: '',
  bindingSites: [],
});

const definition = (c: DefinitionChange): TargetInput => {
  const upstream = c.upstream ?? null;
  const at = c.mechanism === 'add' ? (c.line ?? 1) : (c.upstreamLine ?? 1);
  const span = lineCount(upstream ?? c.source ?? '\n');
  const hash = upstream === null ? '' : textHash(upstream);
  return {
    ...base(c.module, c.qualname, at, span),
    kind: c.kind,
    async: c.async,
    fingerprint: hash,
    sourceHash: hash,
    how: c.mechanism,
    ...(c.mechanism === 'replace' ? { mode: 'code' as const } : {}),
    upstream,
    ...(c.source !== null ? { source: c.source } : {}),
    classes: c.classes,
  };
};

export interface FromDiff {
  targets: TargetInput[];
  moduleCode: ModuleCode[];
}

/** The plan's hunks with these indices, as the manifest keeps them (old lines where they were found). */
export const manifestHunks = (plan: DiffPlan, indices: number[]): ManifestHunk[] =>
  [...indices]
    .sort((a, b) => a - b)
    .map((i) => plan.hunks[i])
    .map((h) => ({
      index: h.index,
      oldStart: h.appliedOldStart,
      oldLines: h.oldLines,
      newStart: h.newStart,
      newLines: h.newLines,
      lines: [...h.lines],
    }));

const onePerModule = (plan: DiffPlan, change: Change, code: string): TargetInput | null => {
  if (change.mechanism === 'module-code')
    return {
      ...base(change.module, MODULE_CODE, 1, 1),
      how: 'module-code',
      hunks: manifestHunks(plan, change.hunks),
      code,
    };
  if (change.mechanism === 'overlay')
    return { ...base(change.module, OVERLAY, 1, 1), how: 'overlay', hunks: manifestHunks(plan, change.hunks) };
  if (change.mechanism === 'new-file') return { ...base(change.module, NEW_MODULE, 1, 1), how: 'new-module', code };
  return null;
};

export const fromDiff = (plan: DiffPlan): FromDiff => {
  const targets: TargetInput[] = [];
  const moduleCode: ModuleCode[] = [];
  for (const m of plan.modules) {
    for (const change of m.changes) {
      if (change.mechanism === 'replace' || change.mechanism === 'add' || change.mechanism === 'remove') {
        targets.push(definition(change));
        continue;
      }
      // A name the diff stops binding is deleted after the statements ran (globals() is the module's).
      const code =
        change.mechanism === 'module-code'
          ? change.source +
            change.unbinds.map((name) => `globals().pop(${pyStr(name)}, None)  # the diff removes it\n`).join('')
          : change.mechanism === 'new-file'
            ? change.source
            : '';
      const target = onePerModule(plan, change, code);
      if (target && !targets.some((t) => t.module === target.module && t.qualname === target.qualname))
        targets.push(target);
      if (change.mechanism === 'module-code' || change.mechanism === 'new-file')
        moduleCode.push({ module: change.module, source: code });
    }
  }
  return { targets, moduleCode };
};
