/** The text outline of `patchkit scan`: what --grep keeps, and the sentinel candidates of any scan. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';

const fixture = fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url));

describe('scan outline', () => {
  it('--grep prints a matching method under its class', async () => {
    const r = await patchkit(['scan', fixture, '--grep', 'Kinds\\.(coro|Inner\\.deep)$', '--no-cache']);
    expect(r.exitCode, r.stderr).toBe(0);
    const body = r.stdout.split('\n').filter((l) => / {2}:\d+/.test(l));
    expect(body.map((l) => l.replace(/ {2}:\d+.*$/, ''))).toEqual([
      '  class Kinds',
      '    async def coro(self)',
      '    class Inner',
      '      def deep(self)',
    ]);
    // The classes are context: the count is of what matched.
    expect(r.stdout).toContain('1 modules, 2 symbols');
  });

  it('a single-module scan names that module as its sentinel candidate', async () => {
    const r = await patchkit(['scan', 'json.decoder']);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('sentinel candidates:');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}json\.decoder: /);
  });
});
