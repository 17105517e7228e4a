/** The demo as a short story: each step, then the trace lines of both processes. */
import type { DemoOptions, DemoResult } from '../commands/demo.js';

export const render = (data: DemoResult, _options: DemoOptions): string => {
  const lines: string[] = [];
  data.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${s.title}`);
    for (const d of s.detail) lines.push(`     ${d}`);
  });
  lines.push('', 'trace lines written by the patched json (pid, process, target, seconds):');
  for (const t of data.traces) lines.push(`  ${t.pid}  ${t.role.padEnd(6)}  ${t.target}  ${t.duration.toFixed(6)}`);
  lines.push('', data.kept ? `kept ${data.dir}` : 'the venv and bundle were removed');
  return lines.join('\n');
};

/** Exit 1 unless both processes traced and uninstall left site-packages as it was. */
export const exitCodeFor = (data: DemoResult): number => {
  const roles = new Set(data.traces.map((t) => t.role));
  return roles.has('parent') && roles.has('child') && data.clean ? 0 : 1;
};
