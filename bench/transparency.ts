/**
 * Transparency harness: `npm run transparency -- json textwrap shlex`. For each stdlib module, wraps
 * every def of the module (and of its submodules) with trace wrappers, installs the bundle in a
 * throw-away venv, runs CPython's own `python -m test test_<module>` with and without the bundle, and
 * fails unless both runs agree and the trace shows the wrappers ran. Exit 0 ok, 1 difference.
 * It drives the built CLI (bin/patchkit.js: scan, new, install), as a user would; nothing here is
 * part of the published package.
 */
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/patchkit.js', import.meta.url));

/** The parts of `scan --json` and of a bundle's patchkit.json that the harness reads. */
interface ScanJson {
  modules: { name: string; kind: string; symbols: { kind: string; runtime: boolean }[] }[];
}
interface Manifest {
  targets: unknown[];
}

interface Outcome {
  module: string;
  ok: boolean;
  lines: string[];
}

const summary = (output: string): string => {
  const result = /^Result: .*$/m.exec(output)?.[0] ?? '(no result line)';
  const counts = /^Total tests: .*$/m.exec(output)?.[0] ?? /^\d+ tests? OK\.?$/m.exec(output)?.[0] ?? '';
  return `${result} ${counts}`.trim();
};

const check = async (module: string, base: string): Promise<Outcome> => {
  const work = await mkdtemp(join(tmpdir(), `patchkit-transparency-${module}-`));
  try {
    const venv = join(work, 'venv');
    await execa(base, ['-m', 'venv', '--without-pip', venv]);
    const python = join(venv, 'bin', 'python');
    const patchkit = (args: string[]) =>
      execa(process.execPath, [bin, ...args], { cwd: work, env: { PATCHKIT_CACHE_DIR: join(work, 'cache') } });
    const scan = JSON.parse(
      (await patchkit(['scan', module, '--python', python, '--json', '--no-cache'])).stdout,
    ) as ScanJson;
    const target = scan.modules
      .filter((m) => m.kind === 'source' && m.symbols.some((s) => s.kind !== 'class' && s.runtime))
      .map((m) => `${m.name}:*`);
    const name = `t_${module.replace(/\W/g, '_')}`;
    await patchkit([
      'new',
      name,
      '--out',
      work,
      '--python',
      python,
      '--body',
      'trace',
      ...target.flatMap((t) => ['--target', t]),
    ]);
    const dir = join(work, name);
    await patchkit(['install', dir, '--python', python]);
    const manifest = JSON.parse(await readFile(join(dir, 'patchkit.json'), 'utf8')) as Manifest;
    // The kill switch and trace variables start with the bundle name upper-cased, as `patchkit new` prints.
    const prefix = name.toUpperCase();
    const trace = join(work, 'trace.jsonl');
    const args = ['-m', 'test', `test_${module}`];
    const plain = await execa(python, args, { reject: false, all: true, env: { [`${prefix}_PATCH_DISABLE`]: '1' } });
    const patched = await execa(python, args, { reject: false, all: true, env: { [`${prefix}_PATCH_TRACE`]: trace } });
    const calls = (await readFile(trace, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const ran = new Set(calls.map((line) => (JSON.parse(line) as { target: string }).target));
    const same = plain.exitCode === patched.exitCode && summary(plain.all ?? '') === summary(patched.all ?? '');
    const ok = same && calls.length > 0;
    return {
      module,
      ok,
      lines: [
        `${ok ? 'ok  ' : 'FAIL'} ${module}: ${manifest.targets.length} targets wrapped, ${ran.size} ran, ${calls.length} traced calls`,
        `     unpatched: exit ${plain.exitCode}, ${summary(plain.all ?? '')}`,
        `     patched:   exit ${patched.exitCode}, ${summary(patched.all ?? '')}`,
        ...(ok
          ? []
          : (patched.all ?? '')
              .split('\n')
              .slice(-15)
              .map((line) => `     | ${line}`)),
      ],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};

const main = async () => {
  const modules = process.argv.slice(2);
  if (modules.length === 0) {
    process.stderr.write('usage: npm run transparency -- <stdlib module>...\n');
    process.exit(2);
  }
  const base = process.env.PATCHKIT_PYTHON ?? 'python3';
  let failed = 0;
  for (const module of modules) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(module)) throw new Error(`not a module name: ${module}`);
    const outcome = await check(module, base);
    process.stdout.write(`${outcome.lines.join('\n')}\n`);
    if (!outcome.ok) failed++;
  }
  process.exitCode = failed ? 1 : 0;
};

await main();
