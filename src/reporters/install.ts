/** What `install` wrote, where, and how to check and undo it. */
import type { InstallOptions } from '../commands/install.js';
import type { InstallOutcome } from '../install/install.js';

export const render = (data: InstallOutcome, options: InstallOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  const lines = [`installed ${data.distribution} ${data.version} into ${data.siteDir}`];
  for (const path of data.written) lines.push(`  ${path}`);
  for (const path of data.compiled) lines.push(`  ${path}`);
  if (data.replacedVersions.length) lines.push(`replaced ${data.replacedVersions.join(', ')}`);
  if (data.removed.length) lines.push(`removed ${data.removed.length} file(s) of the previous install`);
  lines.push('', `next: patchkit verify ${data.name} --python ${data.python}`);
  lines.push(`undo: patchkit uninstall ${data.name} --python ${data.python}`);
  return lines.join('\n');
};

export const diagnostics = (data: InstallOutcome): string =>
  [
    ...data.forced.map((c) => `warning: --force replaced ${c.path} (${c.why})`),
    ...data.alsoIn.map((dir) => `warning: ${data.name} is also installed in ${dir}; only one copy is imported`),
  ].join('\n');
