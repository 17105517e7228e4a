/** The transparency harness: CPython's own tests pass the same with every def of a module trace-wrapped. */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../bench/build/transparency.js', import.meta.url));

describe('npm run transparency', () => {
  it('json, textwrap and shlex pass exactly as unpatched, and the wrappers ran', async () => {
    const r = await execa(process.execPath, [script, 'json', 'textwrap', 'shlex'], { reject: false });
    expect(r.exitCode, r.stdout).toBe(0);
    for (const module of ['json', 'textwrap', 'shlex']) {
      const line = new RegExp(`^ok\\s+${module}: (\\d+) targets wrapped, (\\d+) ran, (\\d+) traced calls$`, 'm').exec(
        r.stdout,
      );
      expect(line, r.stdout).not.toBeNull();
      expect(Number(line?.[2])).toBeGreaterThan(0);
    }
  }, 300_000);
});
