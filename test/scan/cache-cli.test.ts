/** The persistent cache, the CLI's text view, filters and exit codes. */
import { appendFile, cp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanPackageRun } from '../../src/scan/index.js';
import { patchkit } from '../helpers/cli.js';
import { tempDir } from '../helpers/python.js';

const fixture = fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url));

describe('cache', () => {
  it('re-parses only files whose size or mtime changed; --no-cache parses everything', async () => {
    const work = await tempDir();
    const pkg = join(work, 'hazardpkg');
    await cp(fixture, pkg, { recursive: true });
    const env = { ...process.env, PATCHKIT_CACHE_DIR: join(work, 'cache') };
    const first = await scanPackageRun({ target: pkg, cwd: work, env });
    expect(first.parsed).toBe(first.result.modules.length);
    const warm = await scanPackageRun({ target: pkg, cwd: work, env });
    expect(warm.parsed).toBe(0);
    expect(warm.result).toEqual(first.result);
    await appendFile(join(pkg, 'lazy.py'), '\ndef added():\n    pass\n');
    await utimes(join(pkg, 'lazy.py'), new Date(), new Date(Date.now() + 5000));
    const changed = await scanPackageRun({ target: pkg, cwd: work, env });
    expect(changed.parsed).toBe(1);
    expect(changed.result.modules.find((m) => m.name === 'hazardpkg.lazy')!.symbols.map((s) => s.qualname)).toContain(
      'added',
    );
    const bypass = await scanPackageRun({ target: pkg, cwd: work, env, cache: false });
    expect(bypass.parsed).toBe(first.parsed);
  });
});

describe('cache by content', () => {
  it('another copy of the package (a new venv, a release) parses only the files whose bytes differ', async () => {
    const work = await tempDir();
    const env = { ...process.env, PATCHKIT_CACHE_DIR: join(work, 'cache') };
    const first = join(work, 'v1', 'hazardpkg');
    const second = join(work, 'v2', 'hazardpkg');
    await cp(fixture, first, { recursive: true });
    await cp(fixture, second, { recursive: true });
    await appendFile(join(second, 'lazy.py'), '\ndef in_the_next_release():\n    pass\n');
    const cold = await scanPackageRun({ target: first, cwd: work, env });
    expect(cold.parsed).toBe(cold.result.modules.length);
    const next = await scanPackageRun({ target: second, cwd: work, env });
    expect(next.parsed).toBe(1);
    const fresh = await scanPackageRun({ target: second, cwd: work, env, cache: false });
    expect(next.result).toEqual(fresh.result);
    // An edit in place: its size and mtime moved, so it is read, hashed and, being new bytes, parsed.
    await writeFile(join(second, 'lazy.py'), 'def rewritten():\n    pass\n');
    const edited = await scanPackageRun({ target: second, cwd: work, env });
    expect(edited.parsed).toBe(1);
    expect(edited.result.modules.find((m) => m.name === 'hazardpkg.lazy')!.symbols.map((s) => s.qualname)).toEqual([
      'rewritten',
    ]);
  });
});

describe('result cache (scan --json)', () => {
  it('a warm --json prints the cold output byte for byte, and never a stale one after an edit', async () => {
    const work = await tempDir();
    const pkg = join(work, 'hazardpkg');
    await cp(fixture, pkg, { recursive: true });
    const env = { ...process.env, PATCHKIT_CACHE_DIR: join(work, 'cache') };
    const cold = await patchkit(['scan', pkg, '--json', '--no-cache'], { env });
    const fill = await patchkit(['scan', pkg, '--json'], { env });
    expect((await readdir(join(work, 'cache'))).filter((f) => f.endsWith('.result.json'))).toHaveLength(1);
    const warm = await patchkit(['scan', pkg, '--json'], { env });
    expect(fill.stdout).toBe(cold.stdout);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.stderr).toBe(cold.stderr);
    // The warm run is the kept text itself (a marker planted after its key line comes out as it is).
    const kept = join(
      work,
      'cache',
      (await readdir(join(work, 'cache'))).find((f) => f.endsWith('.result.json'))!,
    );
    const [keyLine] = (await readFile(kept, 'utf8')).split('\n', 1);
    await writeFile(kept, `${keyLine}\n{"planted": true}\n`);
    expect((await patchkit(['scan', pkg, '--json'], { env })).stdout).toBe('{"planted": true}'); // execa strips the final newline
    await appendFile(join(pkg, 'lazy.py'), '\ndef added_later():\n    pass\n');
    await utimes(join(pkg, 'lazy.py'), new Date(), new Date(Date.now() + 5000));
    const edited = await patchkit(['scan', pkg, '--json'], { env });
    expect(edited.stdout).toContain('"qualname": "added_later"');
    const grep = await patchkit(['scan', pkg, '--json', '--grep', 'added_later'], { env });
    expect(JSON.parse(grep.stdout).modules.map((m: { name: string }) => m.name)).toEqual(['hazardpkg.lazy']);
  });
});

describe('scan CLI', () => {
  it('prints the outline, hides private names unless --private, filters with --grep', async () => {
    const shown = await patchkit(['scan', fixture, '--no-cache']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('hazardpkg.core  ');
    expect(shown.stdout).toMatch(/ {4}async def agen\(self\) {2}:97 {2}\[async, generator\]/);
    expect(shown.stdout).not.toContain('def _(x: int)');
    const priv = await patchkit(['scan', fixture, '--private']);
    expect(priv.stdout).toContain('def _(x: int)');
    const grep = await patchkit(['scan', fixture, '--grep', 'Kinds\\.c']);
    expect(grep.stdout.split('\n').filter((l) => l.includes(' def '))).toEqual([
      '    def cm(cls)  :76  [classmethod]',
      '    async def coro(self)  :91  [async]',
    ]);
  });

  it('keeps stderr free of progress when not a TTY, and exits 2 on a bad --grep', async () => {
    const ok = await patchkit(['scan', 'json']);
    expect(ok.stderr).toBe('');
    const bad = await patchkit(['scan', 'json', '--grep', '(']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^patchkit scan: --grep is not a valid regular expression/);
  });

  it('the README command works', async () => {
    const result = await patchkit(['scan', 'json']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^json /);
    expect(result.stdout).toContain('class JSONDecoder');
  });
});
