/**
 * Transparency harness: `npm run transparency -- json textwrap shlex`. For each stdlib module, wraps
 * every def of the module (and of its submodules) with trace wrappers, installs the bundle in a
 * throw-away venv, runs CPython's own `python -m test test_<module>` with and without the bundle, and
 * fails unless both runs agree and the trace shows the wrappers ran. Exit 0 ok, 1 difference.
 */
import { execa } from 'execa';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as generate } from '../commands/new.js';
import { pthRuntimeFiles } from '../generate/manifest.js';
import { scanPackage } from '../scan/index.js';

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

const sitePackages = async (python: string) =>
  (await execa(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'])).stdout.trim();

const check = async (module: string, base: string): Promise<Outcome> => {
  const work = await mkdtemp(join(tmpdir(), `patchkit-transparency-${module}-`));
  try {
    const venv = join(work, 'venv');
    await execa(base, ['-m', 'venv', '--without-pip', venv]);
    const python = join(venv, 'bin', 'python');
    const scan = await scanPackage({ target: module, python, cwd: work, cache: false });
    const target = scan.modules
      .filter((m) => m.kind === 'source' && m.symbols.some((s) => s.kind !== 'class' && s.runtime))
      .map((m) => `${m.name}:*`);
    const name = `t_${module.replace(/\W/g, '_')}`;
    const bundle = await generate({ cwd: work, out: work, name, target, python, body: 'trace', cache: false });
    const site = await sitePackages(python);
    for (const file of pthRuntimeFiles(bundle.model.files)) {
      await copyFile(join(bundle.dir, file), join(site, file));
    }
    const prefix = bundle.model.envPrefix;
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
        `${ok ? 'ok  ' : 'FAIL'} ${module}: ${bundle.model.targets.length} targets wrapped, ${ran.size} ran, ${calls.length} traced calls`,
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
