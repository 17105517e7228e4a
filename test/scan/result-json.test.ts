/**
 * `scan --json` is written in pieces (scan/result-cache.ts) that must join to exactly
 * `JSON.stringify(result, null, 2)`: on real scans, and on shapes a scan rarely makes (empty and
 * one-element arrays, batches that end on the last element, values JSON.stringify drops or nulls).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/scan/model.js';
import { scanPackage } from '../../src/scan/index.js';
import { resultJson, resultJsonChunks } from '../../src/scan/result-cache.js';

const symbol = (i: number) => ({
  qualname: `C${i}.m`,
  kind: 'method',
  line: i,
  nested: { deep: [[i, { k: `v"${i}\n` }], []], empty: {} },
  dropped: undefined,
  fn: () => i,
  list: [undefined, () => 0, null, 'é😀'],
});

describe('the JSON pieces of a scan result', () => {
  it('join to JSON.stringify(result, null, 2) on real scans', async () => {
    for (const dir of ['scan/hazardpkg', 'release/v1/relpkg', 'lifecycle/v1/driftpkg']) {
      const target = fileURLToPath(new URL(`../fixtures/${dir}`, import.meta.url));
      const result = await scanPackage({ target, cwd: process.cwd(), cache: false });
      expect(result.modules.length).toBeGreaterThan(0);
      expect(resultJson(result)).toBe(JSON.stringify(result, null, 2));
    }
  }, 60_000);

  it.each([0, 1, 63, 64, 65, 128, 200])('join to JSON.stringify with %i symbols in a module', (n) => {
    const result = {
      schemaVersion: 1,
      modules: [
        { name: 'a', symbols: Array.from({ length: n }, (_, i) => symbol(i)), imports: [], hazards: [] },
        { name: 'b', symbols: [symbol(1)], imports: [{ module: 'x', line: 1 }, 'odd', 3] },
      ],
      sentinels: [],
      diagnostics: [{ severity: 'info', message: 'm' }],
    } as unknown as ScanResult;
    const pieces = [...resultJsonChunks(result)];
    expect(pieces.join('')).toBe(JSON.stringify(result, null, 2));
    // Pieces stay small: a large scan never makes one string of its whole text.
    for (const piece of pieces) expect(piece.length).toBeLessThan(128 * 1024);
  });
});
