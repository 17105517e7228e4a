/** Where the wheel went and how to install it without Node. */
import type { BuildOptions, BuildResult } from '../commands/build.js';

export const render = (data: BuildResult, options: BuildOptions): string => {
  if (options.json) return JSON.stringify(data, null, 2);
  return [
    `built ${data.path}`,
    `  ${data.distribution} ${data.version}, ${data.size} bytes, sha256 ${data.sha256}`,
    ...data.entries.map((e) => `  ${e}`),
    '',
    `install: python -m pip install ${data.path}    remove: python -m pip uninstall -y ${data.distribution}`,
  ].join('\n');
};
