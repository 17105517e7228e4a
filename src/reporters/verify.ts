/** Per target and process: applied, or why not. Exit 0 only when everything is applied everywhere. */
import type { VerifyOptions } from '../commands/verify.js';
import type { ProcessReport, VerifyOutcome } from '../install/verify.js';

const block = (title: string, p: ProcessReport): string[] => {
  const lines = [`${title} (pid ${p.pid ?? '?'})${p.started ? '' : ': the loader was NOT started by the .pth'}`];
  for (const [sentinel, error] of Object.entries(p.importErrors)) lines.push(`  import ${sentinel} failed: ${error}`);
  for (const t of p.targets) lines.push(`  ${t.state.padEnd(8)} ${t.key}${t.reason ? `  (${t.reason})` : ''}`);
  return lines;
};

export const render = (data: VerifyOutcome, options: VerifyOptions): string => {
  if (options.json) {
    const { stderr: _stderr, ...rest } = data;
    return JSON.stringify(rest, null, 2);
  }
  const lines = [`${data.name} ${data.version} in ${data.siteDir}`, ...block('parent', data.parent)];
  if (data.child) lines.push(...block('spawn child', data.child));
  lines.push(data.ok ? 'all targets applied' : 'NOT all targets applied');
  return lines.join('\n');
};

/** What the probe's interpreter wrote to stderr (the loader's own warnings), for the user to read. */
export const diagnostics = (data: VerifyOutcome): string =>
  data.stderr.trim() ? `stderr of ${data.python}:\n${data.stderr.trimEnd()}` : '';

export const exitCodeFor = (data: VerifyOutcome): number => (data.ok ? 0 : 1);
