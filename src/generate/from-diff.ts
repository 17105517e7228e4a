/**
 * A DiffPlan (src/diff) → the targets and blocks of a bundle: each definition the diff replaces, adds
 * or removes is a target whose text goes into its module's block; module-level statements, a source
 * overlay and a new module are one target each, named `<module code>`, `<overlay>`, `<new module>`.
 * Every module is its own sentinel. Pure: the plan holds every text it needs.
 */
import { createHash } from 'node:crypto';
import type { Change, DefinitionChange, DiffPlan } from '../diff/plan.js';
import { pyStr } from './literal.js';
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

const onePerModule = (change: Change): TargetInput | null => {
  if (change.mechanism === 'module-code') return { ...base(change.module, MODULE_CODE, 1, 1), how: 'module-code' };
  if (change.mechanism === 'overlay') return { ...base(change.module, OVERLAY, 1, 1), how: 'overlay' };
  if (change.mechanism === 'new-file') return { ...base(change.module, NEW_MODULE, 1, 1), how: 'new-module' };
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
      const target = onePerModule(change);
      if (target && !targets.some((t) => t.module === target.module && t.qualname === target.qualname))
        targets.push(target);
      if (change.mechanism === 'module-code') {
        // A name the diff stops binding is deleted after the statements ran (globals() is the module's).
        const unbind = change.unbinds.map((name) => `globals().pop(${pyStr(name)}, None)  # the diff removes it\n`);
        moduleCode.push({ module: change.module, source: change.source + unbind.join('') });
      } else if (change.mechanism === 'new-file') moduleCode.push({ module: change.module, source: change.source });
    }
  }
  return { targets, moduleCode };
};
