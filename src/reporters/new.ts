/** Renders the result of `patchkit new`: where the bundle went, what it wraps, and what to do next. */
import type { NewOptions, NewResult } from '../commands/new.js';

export const render = (data: NewResult, _options: NewOptions): string => {
  const { model } = data;
  const lines = [`wrote ${data.dir}`];
  for (const file of data.files) lines.push(`  ${file}`);
  lines.push('', `${model.targets.length} target(s), body ${model.body}:`);
  for (const t of model.targets)
    lines.push(
      `  ${t.key}  (${t.kind}${t.async ? ', async' : ''}${t.generator ? ', generator' : ''})  sentinel ${t.sentinel}`,
    );
  lines.push('', `next: patchkit install ${data.dir}    kill switch: ${model.envPrefix}_PATCH_DISABLE=1`);
  return lines.join('\n');
};

/** Hazards of the chosen targets go to stderr: the bundle is written, but a person should look. */
export const diagnostics = (data: NewResult): string =>
  data.hazards.map((h) => `warning: ${h.key}: ${h.message}`).join('\n');
