/** Renders the result of `patchkit new`: where the bundle went, what it patches and how, and what to do next. */
import type { NewOptions, NewResult } from '../commands/new.js';
import type { DiffPlan } from '../diff/plan.js';
import { HOW_WORDS } from '../generate/model.js';

const MODE = { code: 'code swapped in place', object: 'new object' } as const;

/** `--from-diff`: per module, its hunks and the mechanism chosen for each change. */
const planLines = (plan: DiffPlan): string[] => {
  const lines: string[] = ['', `${plan.hunks.length} hunk(s) in ${plan.modules.length} module(s):`];
  for (const m of plan.modules) {
    const hunks = plan.hunks.filter((h) => h.module === m.module);
    lines.push(`  ${m.module}  (${hunks.length} hunk(s)${m.alreadyImported ? ', imported at start-up' : ''})`);
    for (const c of m.changes) {
      if (c.mechanism === 'overlay') lines.push(`    overlay       ${c.reason}`);
      else if (c.mechanism === 'module-code') lines.push(`    module code   ${c.binds.join(', ') || '(statements)'}`);
      else if (c.mechanism === 'new-file') lines.push(`    new module    ${c.relpath}`);
      else lines.push(`    ${c.mechanism.padEnd(13)} ${c.qualname}`);
    }
  }
  return lines;
};

const jsonOf = (data: NewResult) => ({
  dir: data.dir,
  files: data.files,
  policy: data.model.policy,
  targets: data.model.targets.map((t) => ({ key: t.key, how: t.how, ...(t.mode ? { mode: t.mode } : {}) })),
  ...(data.plan
    ? {
        hunks: data.plan.hunks.map((h) => ({
          index: h.index,
          file: h.file,
          module: h.module,
          header: h.header,
          mechanisms: h.mechanisms,
        })),
        warnings: data.plan.warnings,
      }
    : {}),
});

export const render = (data: NewResult, options: NewOptions & { json?: boolean }): string => {
  if (options.json) return JSON.stringify(jsonOf(data), null, 2);
  const { model } = data;
  const lines = [`wrote ${data.dir}`];
  for (const file of data.files) lines.push(`  ${file}`);
  if (data.plan) lines.push(...planLines(data.plan));
  lines.push('', `${model.targets.length} target(s), body ${model.body}, policy ${model.policy}:`);
  for (const t of model.targets)
    lines.push(
      `  ${t.key}  (${t.kind}${t.async ? ', async' : ''}${t.generator ? ', generator' : ''})  ${HOW_WORDS[t.how]}${t.mode ? ` (${MODE[t.mode]})` : ''}  sentinel ${t.sentinel}`,
    );
  if (model.blocks.length > 0)
    lines.push('', `edit the definitions in ${model.files.core}, between its \`patchkit: definitions in\` markers`);
  lines.push('', `next: patchkit install ${data.dir}    kill switch: ${model.envPrefix}_PATCH_DISABLE=1`);
  return lines.join('\n');
};

/** Hazards of the chosen targets and the planner's warnings go to stderr: a person should look. */
export const diagnostics = (data: NewResult): string =>
  [
    ...data.hazards.map((h) => `warning: ${h.key}: ${h.message}`),
    ...(data.plan?.warnings ?? []).map((w) => `warning: ${w}`),
  ].join('\n');
