/** Renders the result of `patchkit new`: where the bundle went, what it wraps, and what to do next. */
import type { NewOptions, NewResult } from '../commands/new.js';
import type { ModelTarget } from '../generate/model.js';

const HOW: Record<ModelTarget['how'], string> = {
  wrap: 'wrapped',
  replace: 'replaced',
  add: 'added',
  remove: 'removed',
  'module-code': 'module code',
};
const MODE = { code: 'code swapped in place', object: 'new object' } as const;

export const render = (data: NewResult, _options: NewOptions): string => {
  const { model } = data;
  const lines = [`wrote ${data.dir}`];
  for (const file of data.files) lines.push(`  ${file}`);
  lines.push('', `${model.targets.length} target(s), body ${model.body}, policy ${model.policy}:`);
  for (const t of model.targets)
    lines.push(
      `  ${t.key}  (${t.kind}${t.async ? ', async' : ''}${t.generator ? ', generator' : ''})  ${HOW[t.how]}${t.mode ? ` (${MODE[t.mode]})` : ''}  sentinel ${t.sentinel}`,
    );
  if (model.blocks.length > 0)
    lines.push('', `edit the definitions in ${model.files.core}, between its \`patchkit: definitions in\` markers`);
  lines.push('', `next: patchkit install ${data.dir}    kill switch: ${model.envPrefix}_PATCH_DISABLE=1`);
  return lines.join('\n');
};

/** Hazards of the chosen targets go to stderr: the bundle is written, but a person should look. */
export const diagnostics = (data: NewResult): string =>
  data.hazards.map((h) => `warning: ${h.key}: ${h.message}`).join('\n');
