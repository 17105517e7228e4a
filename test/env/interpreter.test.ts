/**
 * The facts patchkit asks an interpreter for under -S, checked against what the same interpreter
 * really does at start-up (plain `python -c 'print(sys.path)'`, only ever in environments these
 * tests build or the machine's own), for python3, Debian's /usr/bin/python3 and venvs of both (the
 * Debian cases skip, saying so, where there is no Debian interpreter).
 */
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterpreterError } from '../../src/errors.js';
import { queryInterpreter, resolveInterpreter } from '../../src/env/interpreter.js';
import { searchPath } from '../../src/env/search-path.js';
import { needsDebianPython, skipUnmet } from '../helpers/needs.js';
import { makeVenv, PYTHON, runPython, SYSTEM_PYTHON, tempDir, type Venv } from '../helpers/python.js';

const NO_DEBIAN = skipUnmet("Debian's /usr/bin/python3 and its venvs", needsDebianPython());
let work: string;
let userBase: string;
const venvs: Record<string, Venv> = {};

/** sys.path as the interpreter builds it with its site module, minus '' and entries that do not exist. */
const realSysPath = async (python: string, env: Record<string, string>) => {
  const r = await runPython(python, ['-c', 'import sys, json; print(json.dumps(sys.path))'], {
    ...(process.env as Record<string, string>),
    ...env,
  });
  return (JSON.parse(r.stdout) as string[]).filter((p) => p !== '' && existsSync(p));
};

/** `python3.X`: the user site's directory name for this interpreter's version. */
const versionDir = async (python: string) =>
  (await runPython(python, ['-S', '-c', 'import sys; print("python%d.%d" % sys.version_info[:2])'])).stdout.trim();
const userSiteOf = (versionInfo: number[]) =>
  join(userBase, 'lib', `python${versionInfo[0]}.${versionInfo[1]}`, 'site-packages');

beforeAll(async () => {
  work = await tempDir();
  // A user site that exists, for each interpreter's version, so its place in the order is visible.
  userBase = join(work, 'userbase');
  for (const python of NO_DEBIAN ? [PYTHON] : [PYTHON, SYSTEM_PYTHON])
    await mkdir(join(userBase, 'lib', await versionDir(python), 'site-packages'), { recursive: true });
  venvs.plain = await makeVenv();
  venvs.system = await makeVenv({ systemSite: true });
  if (!NO_DEBIAN) {
    venvs.debian = await makeVenv({ python: SYSTEM_PYTHON });
    venvs.debianSystem = await makeVenv({ python: SYSTEM_PYTHON, systemSite: true });
  }
});

afterAll(async () => {
  await Promise.all(Object.values(venvs).map((v) => v.remove()));
  await rm(work, { recursive: true, force: true });
});

describe('queryInterpreter', () => {
  interface Case {
    label: string;
    python: string;
    venv: Venv | null;
    system: boolean;
  }
  const machineCases = (): Case[] => [
    { label: 'python3', python: PYTHON, venv: null, system: true },
    { label: 'venv', python: venvs.plain.python, venv: venvs.plain, system: false },
    { label: 'venv --system-site-packages', python: venvs.system.python, venv: venvs.system, system: true },
  ];
  const debianCases = (): Case[] => [
    { label: 'Debian /usr/bin/python3', python: SYSTEM_PYTHON, venv: null, system: true },
    { label: 'Debian venv', python: venvs.debian.python, venv: venvs.debian, system: false },
    { label: 'Debian venv --system-site', python: venvs.debianSystem.python, venv: venvs.debianSystem, system: true },
  ];

  const rebuildsSysPath = async (cases: Case[]) => {
    const env = { PYTHONUSERBASE: userBase };
    for (const c of cases) {
      const facts = await queryInterpreter(c.python, { ...process.env, ...env });
      const ours = searchPath(facts)
        .entries.map((e) => e.path)
        .filter((p) => existsSync(p));
      expect(ours, c.label).toEqual(await realSysPath(c.python, env));
      expect(facts.venv, c.label).toBe(c.venv?.dir ?? null);
      expect(facts.includeSystemSitePackages, c.label).toBe(c.system);
      // The user site is on the path exactly when site.py enables it: never in an isolated venv.
      expect(facts.siteDirs.includes(userSiteOf(facts.versionInfo)), c.label).toBe(c.system);
      if (c.venv) {
        expect(facts.purelib, c.label).toBe(c.venv.sitePackages);
        expect(facts.siteDirs[0], c.label).toBe(c.venv.sitePackages); // site.venv() runs before the user site
        expect(facts.prefix, c.label).toBe(c.venv.dir);
      } else {
        expect(facts.siteDirs[0], c.label).toBe(facts.userSite); // user site first outside a venv
      }
    }
  };

  it('rebuilds the exact sys.path of python3 and its venvs, user site included, from -S facts', () =>
    rebuildsSysPath(machineCases()));

  it.skipIf(NO_DEBIAN)("rebuilds the exact sys.path of Debian's /usr/bin/python3 and its venvs", () =>
    rebuildsSysPath(debianCases()),
  );

  it.skipIf(NO_DEBIAN)("reports Debian's layout: posix_local purelib and the three dist-packages", async () => {
    const facts = await queryInterpreter(SYSTEM_PYTHON, { ...process.env, PYTHONNOUSERSITE: '1' });
    const [major, minor] = facts.versionInfo;
    const version = `${major}.${minor}`;
    expect(facts.purelib).toBe(`/usr/local/lib/python${version}/dist-packages`);
    expect(facts.userSiteEnabled).toBe(false);
    expect(facts.siteDirs.filter((d) => d.startsWith('/usr/lib'))).toEqual([
      '/usr/lib/python3/dist-packages',
      ...(existsSync(`/usr/lib/python${version}/dist-packages`) ? [`/usr/lib/python${version}/dist-packages`] : []),
    ]);
    expect(facts.stdlib).toBe(`/usr/lib/python${version}`);
    expect(facts.extensionSuffixes[0]).toMatch(new RegExp(`^\\.cpython-${major}${minor}-.*\\.so$`));
  });

  it('never runs a .pth import line, nor a json.py on PYTHONPATH', async () => {
    const venv = await makeVenv();
    const marker = join(work, 'pth-ran');
    const shadow = join(work, 'shadow');
    try {
      await writeFile(
        join(venv.sitePackages, 'zz_marker.pth'),
        `import os; open(${JSON.stringify(marker)}, "w").close()\n`,
      );
      await mkdir(shadow, { recursive: true });
      await writeFile(join(shadow, 'json.py'), `open(${JSON.stringify(marker)}, "w").close()\n`);
      const facts = await queryInterpreter(venv.python, { ...process.env, PYTHONPATH: shadow });
      expect(facts.baseSysPath).toContain(shadow);
      expect(facts.siteDirs).toEqual([venv.sitePackages]);
      expect(existsSync(marker)).toBe(false);
      // The same .pth does run when the interpreter starts normally: the check above can fail.
      await runPython(venv.python, ['-c', 'pass']);
      expect(existsSync(marker)).toBe(true);
    } finally {
      await venv.remove();
    }
  });

  it('says which site.py processes hidden .pth files (3.11.7 still does)', async () => {
    const facts = await queryInterpreter(PYTHON);
    const [major, minor] = facts.versionInfo;
    if (major === 3 && minor >= 13) expect(facts.pthSkipsHidden).toBe(true);
    if (facts.version === '3.11.7') expect(facts.pthSkipsHidden).toBe(false);
  });

  it('fails with an InterpreterError for something that is not Python', async () => {
    const fake = join(work, 'not-python');
    await writeFile(fake, '#!/bin/sh\necho hello\n');
    await chmod(fake, 0o755);
    await expect(queryInterpreter(fake)).rejects.toThrow(/did not answer like CPython/);
  });
});

describe('resolveInterpreter', () => {
  it('prefers --python, then $VIRTUAL_ENV, then $CONDA_PREFIX, then python3 on PATH', async () => {
    const bin = join(work, 'pathbin');
    await mkdir(bin, { recursive: true });
    await symlink(venvs.plain.python, join(bin, 'python3')).catch(() => undefined);
    const cwd = work;
    const env = { PATH: `relative/dir:${bin}`, VIRTUAL_ENV: venvs.plain.dir, CONDA_PREFIX: venvs.system.dir };
    expect(resolveInterpreter({ python: venvs.system.python, env, cwd })).toBe(venvs.system.python);
    expect(resolveInterpreter({ python: 'python3', env, cwd })).toBe(join(bin, 'python3'));
    expect(resolveInterpreter({ python: './pathbin/python3', env, cwd })).toBe(join(bin, 'python3'));
    expect(resolveInterpreter({ env, cwd })).toBe(join(venvs.plain.dir, 'bin', 'python'));
    expect(resolveInterpreter({ env: { ...env, VIRTUAL_ENV: '' }, cwd })).toBe(join(venvs.system.dir, 'bin', 'python'));
    expect(resolveInterpreter({ env: { PATH: bin }, cwd })).toBe(join(bin, 'python3'));
  });

  it('says what to do when the interpreter is missing or not executable', async () => {
    const notExec = join(work, 'python-not-exec');
    await writeFile(notExec, '');
    const cwd = work;
    const attempts: Array<[() => string, RegExp]> = [
      [() => resolveInterpreter({ python: '/nonexistent/python3', env: {}, cwd }), /interpreter not found/],
      [() => resolveInterpreter({ python: notExec, env: {}, cwd }), /not an executable file/],
      [() => resolveInterpreter({ env: { VIRTUAL_ENV: join(work, 'gone') }, cwd }), /\$VIRTUAL_ENV/],
      [() => resolveInterpreter({ env: { PATH: join(work, 'empty') }, cwd }), /no python3 on PATH/],
    ];
    for (const [attempt, message] of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InterpreterError);
      expect((error as InterpreterError).message).toMatch(message);
      expect((error as InterpreterError).hint).toMatch(/--python|activate/);
    }
  });
});
