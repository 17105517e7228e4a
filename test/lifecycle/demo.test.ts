/** `patchkit demo`: the whole loop on the stdlib, end to end, as a newcomer runs it. */
import { describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';

describe('demo', () => {
  it('traces json in the parent and in a child interpreter, then uninstalls without a trace', async () => {
    const r = await patchkit(['demo']);
    expect(r.exitCode, r.stderr).toBe(0);
    const traces = r.stdout
      .split('\n')
      .map((l) => /^\s+(\d+)\s+(parent|child)\s+(json:\w+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    const pids = new Map(traces.map((m) => [m[2], m[1]]));
    expect([...pids.keys()].sort()).toEqual(['child', 'parent']);
    expect(pids.get('child')).not.toBe(pids.get('parent'));
    expect(new Set(traces.map((m) => m[3]))).toEqual(new Set(['json:dumps', 'json:loads']));
    expect(r.stdout).toContain('site-packages as before: yes');
    expect(r.stdout).toContain('the venv and bundle were removed');
  });
});
