/**
 * Files that vanish or change while the scan runs: a 2,000-file tree where half the files are
 * deleted and a quarter rewritten during the scan, spread over its whole run. The scan must finish
 * (exit 0, no stack trace), report each vanished file at most once and by name, never report a file
 * that is still there, and list each surviving file's definitions (old or new text for a file
 * replaced by rename; a file rewritten in place must only be listed, since it may be read half written).
 */
import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/python.js';
import { diagnosticsFor, record, scanCli } from './scan-helpers.js';

const FILES = 2000;
let base: string;
let root: string;
const pathOf = (i: number) => join(root, `d${i % 20}`, `m${i}.py`);
const source = (i: number, version: string) => `class K${i}:\n    def ${version}(self):\n        pass\n`;
const newSource = (i: number) => `${source(i, 'new')}\ndef extra_${i}():\n    pass\n`;

beforeAll(async () => {
  base = await tempDir('patchkit-race-');
  root = join(base, 'racy');
  for (let d = 0; d < 20; d++) await mkdir(join(root, `d${d}`), { recursive: true });
  await writeFile(join(root, '__init__.py'), '');
  await Promise.all(Array.from({ length: FILES }, (_, i) => writeFile(pathOf(i), source(i, 'old'))));
});
afterAll(() => rm(base, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('survives files deleted and rewritten during the scan', async () => {
  const deleted = new Set<string>();
  let mutating: Promise<void> = Promise.resolve();
  const run = await scanCli(root, [], {
    timeoutMs: 120_000,
    onSpawn: () => {
      mutating = (async () => {
        // In 40 rounds over about two seconds: the walk, the stat pass and the parse all see changes.
        for (let round = 0; round < 40; round++) {
          for (let i = round; i < FILES; i += 40) {
            if (i % 2 === 1) {
              await unlink(pathOf(i));
              deleted.add(pathOf(i));
            } else if (i % 8 === 0) {
              // Replaced whole, as an installer does (write, then rename over it): old text or new.
              await writeFile(`${pathOf(i)}.tmp`, newSource(i));
              await rename(`${pathOf(i)}.tmp`, pathOf(i));
            } else if (i % 4 === 0) {
              // Truncated and rewritten in place: the scan may read it empty or half written.
              await writeFile(pathOf(i), newSource(i));
            }
          }
          await sleep(50);
        }
      })();
    },
  });
  await mutating;
  record('2,000 files, half deleted during the scan', run);
  const { result } = run;
  const inPlace = new Set(
    Array.from({ length: FILES }, (_, i) => i)
      .filter((i) => i % 8 === 4)
      .map(pathOf),
  );
  // A half-written read may draw one diagnostic (a syntax error, say); of any other file that is there, nothing.
  for (const d of result.diagnostics.filter((x) => x.severity !== 'info' && inPlace.has(x.path ?? '')))
    expect(diagnosticsFor(result, d.path ?? '')).toHaveLength(1);
  for (const d of result.diagnostics.filter((x) => x.severity !== 'info' && !inPlace.has(x.path ?? ''))) {
    expect(deleted.has(d.path ?? ''), `${d.path}: ${d.message}`).toBe(true);
    expect(d.message).toMatch(/ENOENT/);
    expect(diagnosticsFor(result, d.path ?? '')).toHaveLength(1);
  }
  const modules = new Map(result.modules.map((m) => [m.path, m]));
  for (let i = 0; i < FILES; i += 2) {
    const module = modules.get(pathOf(i));
    expect(module, pathOf(i)).toBeDefined();
    const names = module!.symbols.map((s) => s.qualname).join(' ');
    // Whichever text the parse read: the old one, or the new one with its extra function; a file
    // rewritten in place may also have been read part-way through its rewrite.
    if (i % 8 !== 4) expect([`K${i} K${i}.old`, `K${i} K${i}.new extra_${i}`]).toContain(names);
  }
  for (const module of result.modules) {
    if (!deleted.has(module.path) || module.symbols.length > 0) continue;
    // Listed by the walk, gone before its parse: reported once (checked above).
    expect(diagnosticsFor(result, module.path)).toHaveLength(1);
  }
}, 180_000);
