/**
 * Size: a 10 MB generated module (one file, 15,000 symbols, large data literals) and a package of
 * 20,000 small files. The CLI must finish with every symbol, and its peak RSS (whole process,
 * worker threads included, from /usr/bin/time) must stay under a generous bound. The measured
 * figures are printed ([scan-hardening] lines) for RELIABILITY.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { key, oracleSet, scanSet, type Key } from '../helpers/oracle.js';
import { PYTHON, tempDir } from '../helpers/python.js';
import { record, scanCli } from './scan-helpers.js';
import { rm } from 'node:fs/promises';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const clean of cleanups) await clean();
});

/** A generated module of at least `bytes` bytes, and the (module, qualname, line, async) keys it defines. */
const generatedModule = (module: string, bytes: number) => {
  const parts: string[] = [];
  const expected = new Set<Key>();
  let size = 0;
  let line = 1;
  for (let i = 0; size < bytes; i++) {
    const table = Array.from({ length: 100 }, (_, j) => `"k${i}_${j}": (${j}, "v${j}")`).join(', ');
    const chunk = [
      `class Gen${i}(Base):`,
      `    TABLE = {${table}}`,
      '',
      '    def lookup(self, key):',
      '        def inner():  # nested in a function body: not listed',
      '            return key',
      '        return self.TABLE[inner()]',
      '',
      '    async def fetch(self):',
      '        return "def fake(): pass"',
      '',
      `def helper_${i}(x):`,
      `    return x * ${i}`,
      '',
      '',
    ].join('\n');
    expected.add(key(module, `Gen${i}`, line, false));
    expected.add(key(module, `Gen${i}.lookup`, line + 3, false));
    expected.add(key(module, `Gen${i}.fetch`, line + 8, true));
    expected.add(key(module, `helper_${i}`, line + 11, false));
    parts.push(chunk);
    size += chunk.length;
    line += 15 - 1;
  }
  return { text: parts.join(''), expected };
};

describe('size', () => {
  it('scans a 10 MB generated module with bounded memory', async () => {
    const base = await tempDir('patchkit-large-');
    cleanups.push(() => rm(base, { recursive: true, force: true }));
    const { text, expected } = generatedModule('generated', 10 * 1024 * 1024);
    expect(text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const path = join(base, 'generated.py');
    await writeFile(path, text);
    const run = await scanCli(path, [], { timeoutMs: 300_000 });
    record('10 MB module (native)', run);
    expect(run.result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect([...scanSet(run.result)].sort()).toEqual([...expected].sort());
    // Measured 1.2 GiB on the 2-core CI machine (tree-sitter's tree and the query's node objects).
    if (run.peakRssMiB !== null) expect(run.peakRssMiB).toBeLessThan(2560);
  }, 400_000);

  it('scans a package of 20,000 small files with bounded memory, as CPython ast lists them', async () => {
    const base = await tempDir('patchkit-many-');
    cleanups.push(() => rm(base, { recursive: true, force: true }));
    const root = join(base, 'many');
    const expected = new Set<Key>();
    await mkdir(root);
    await writeFile(join(root, '__init__.py'), '');
    for (let d = 0; d < 100; d++) {
      const dir = join(root, `sub${String(d).padStart(3, '0')}`);
      await mkdir(dir);
      const writes = [writeFile(join(dir, '__init__.py'), 'from .m000 import f0\n')];
      for (let i = 0; i < 199; i++) {
        const name = `m${String(i).padStart(3, '0')}`;
        const module = `many.sub${String(d).padStart(3, '0')}.${name}`;
        writes.push(
          writeFile(
            join(dir, `${name}.py`),
            `import os\nfrom . import m000\n\nclass K${i}:\n    def meth(self, x):\n        return x\n\ndef f${i}(a, b=1):\n    return a + b\n`,
          ),
        );
        expected.add(key(module, `K${i}`, 4, false));
        expected.add(key(module, `K${i}.meth`, 5, false));
        expected.add(key(module, `f${i}`, 8, false));
      }
      await Promise.all(writes);
    }
    const [run, oracle] = await Promise.all([scanCli(root, [], { timeoutMs: 300_000 }), oracleSet(PYTHON, root)]);
    record('20,000 files (native)', run);
    expect(run.result.modules).toHaveLength(20_001);
    expect(run.result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const ours = scanSet(run.result);
    expect(ours.size).toBe(expected.size);
    expect([...ours].filter((k) => !expected.has(k))).toEqual([]);
    expect([...oracle].sort()).toEqual([...ours].sort());
    // Measured about 0.5 GiB: all facts and a 57 MB JSON string are held at once.
    if (run.peakRssMiB !== null) expect(run.peakRssMiB).toBeLessThan(1536);
  }, 400_000);
});
