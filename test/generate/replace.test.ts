/**
 * `--body replace` in real interpreters (3.8 … 3.13 where present): the core receives each target's
 * own source, the test edits it as a user would, and the edited definitions must behave exactly as if
 * upstream's file held them — module globals, super() and __class__, private names, decorators that
 * hold the function, `from x import f` copies, a class-body alias, async and generator bodies,
 * descriptors, tracebacks and inspect.getsource — with code objects equal to those compiled from the
 * source-patched file.
 */
import { execa } from 'execa';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleFileNames, pthRuntimeFiles } from '../../src/generate/manifest.js';
import { patchkit } from '../helpers/cli.js';
import { makeVenv, tempDir, PYTHON } from '../helpers/python.js';

const SITE = fileURLToPath(new URL('../fixtures/replace/site/', import.meta.url));
const PYENV = process.env.PYENV_ROOT ?? '/root/.pyenv';
const VERSIONS = ['3.8.18', '3.9.18', '3.10.13', '3.11.7', '3.12.1', '3.13.0'];
const pythons = VERSIONS.map((v) => `${PYENV}/versions/${v}/bin/python`);

const TARGETS = [
  'scale',
  'handler',
  'decorated',
  'cached',
  'fetch',
  'count',
  'boom',
  'total',
  'Child.greet',
  'Child.plain',
  'Child.reveal',
  'Child.who',
  'Child.make',
  'Child.unit',
  'Child.size',
  'Child._call_impl',
  'Child.Inner.deep',
  'Child.__hidden',
].map((q) => `rpkg.mod:${q}`);

/** The user's edits: [upstream line, edited line], applied to the core and to a copy of upstream's file alike. */
const EDITS: [string, string][] = [
  ['    return x * factor\n', '    return x * factor * SCALE\n'],
  ['    return x + 1\n\n\n@logged', '    return x + 100\n\n\n@logged'],
  ['def decorated(x):\n    return x\n', 'def decorated(x):\n    return -x\n'],
  ['    return x * 3\n', '    return x * 4\n'],
  ['async def fetch(x):\n    return x + 1\n', 'async def fetch(x):\n    return x + 100\n'],
  ['        yield i\n', '        yield i * 10\n'],
  ['    raise ValueError("boom")\n', '    raise ValueError("boom, edited")\n'],
  ['values, 0)\n', 'values, 100)\n'],
  ['        return "child+" + super().greet()\n', '        return "child2+" + super().greet()\n'],
  ['        return "plain"\n', '        return "plain+" + super().greet()\n'],
  ['        return self.__secret\n', '        return self.__secret + "!"\n'],
  ['        return __class__.__name__\n', '        return __class__.__name__ + "?"\n'],
  ['        return cls()\n', '        return ("made", cls())\n'],
  ['        return "cm"\n', '        return "mm"\n'],
  ['        return 1\n', '        return 2\n'],
  ['    def _call_impl(self, x):\n        return x\n', '    def _call_impl(self, x):\n        return x * 2\n'],
  ['            return "deep"\n', '            return "deeper"\n'],
  ['        return "hidden method"\n', '        return "hidden method, edited"\n'],
];

const edit = (text: string): string => {
  let out = text;
  for (const [from, to] of EDITS) {
    if (!out.includes(from)) throw new Error(`edit not found: ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
};

/** Runs in the venv: behaviour, the report, and code objects against the source-patched file. */
const CHECK = String.raw`
import asyncio, inspect, json, sys, traceback, types
import rpkg.mod as m, rpkg.user as u
import rep_patch_loader as L

def same_code(a, b, path):
    """Equal but for file names and line numbers (co_qualname included where it exists)."""
    for field in ("co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars", "co_flags",
                  "co_argcount", "co_kwonlyargcount", "co_posonlyargcount", "co_name", "co_qualname"):
        if getattr(a, field, None) != getattr(b, field, None):
            return path + "." + field
    if len(a.co_consts) != len(b.co_consts):
        return path + ".co_consts"
    for i, (x, y) in enumerate(zip(a.co_consts, b.co_consts)):
        if isinstance(x, types.CodeType) and isinstance(y, types.CodeType):
            why = same_code(x, y, path + "[%d]" % i)
            if why:
                return why
        elif x != y or type(x) is not type(y):
            return path + ".co_consts[%d]" % i
    return None

def code_in(code, qualname):
    parts = qualname.split(".")
    for part in parts:
        code = next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == part)
    return code

def live(qualname):
    obj = m
    for part in qualname.split("."):
        if isinstance(obj, type) and part.startswith("__") and not part.endswith("__"):
            part = "_" + obj.__name__.lstrip("_") + part  # a class body stores __x as _Class__x
        obj = obj.__dict__[part]
    if isinstance(obj, (classmethod, staticmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    while not isinstance(obj, types.FunctionType) or obj.__code__.co_name != qualname.split(".")[-1]:
        obj = obj.__wrapped__
    return obj.__code__

patched = compile(open(sys.argv[1]).read(), sys.argv[1], "exec", dont_inherit=True)
targets = sys.argv[2].split(",")
try:
    m.boom()
except ValueError:
    tb = traceback.format_exc()
child = m.Child()
out = {
    "states": sorted(set(v["state"] for v in L.report().values())),
    "reasons": {k: v["reason"] for k, v in L.report().items()},
    "scale": m.scale(2), "copy": u.use(2), "registry": m.REGISTRY["handler"](1), "handler": m.handler(1),
    "decorated": list(m.decorated(3)), "cached": m.cached(2), "fetch": asyncio.run(m.fetch(1)),
    "iscoroutine": inspect.iscoroutinefunction(m.fetch), "count": list(m.count(3)),
    "greet": child.greet(), "plain": child.plain(), "reveal": child.reveal(), "who": child.who(),
    "make": m.Child.make()[0], "make_kind": type(m.Child.__dict__["make"]).__name__,
    "unit": m.Child.unit(), "size": child.size, "alias": child(3), "direct": child._call_impl(3),
    "deep": m.Child.Inner().deep(), "total": m.total([1, 2]), "hidden": child.call_hidden(),
    "traceback": "boom, edited" in tb and "rep_patch_core.py" in tb,
    "getsource": "SCALE" in inspect.getsource(m.scale),
    "meta": [m.scale.__name__, m.scale.__qualname__, m.scale.__module__, m.Child.greet.__qualname__],
    "code": {q: same_code(live(q), code_in(patched, q), q) for q in targets},
}
print(json.dumps(out))
`;

const EXPECTED = {
  states: ['applied'],
  scale: 40,
  copy: 40,
  registry: 101,
  handler: 101,
  decorated: ['logged', -3],
  cached: 8,
  fetch: 101,
  iscoroutine: true,
  count: [0, 10, 20],
  greet: 'child2+base',
  plain: 'plain+base',
  reveal: 'hidden!',
  who: 'Child?',
  make: 'made',
  make_kind: 'classmethod',
  unit: 'mm',
  size: 2,
  alias: 6,
  direct: 6,
  deep: 'deeper',
  total: 103,
  hidden: 'hidden method, edited',
  traceback: true,
  getsource: true,
  meta: ['scale', 'scale', 'rpkg.mod', 'Child.greet'],
};

interface Made {
  python: string;
  dir: string;
  site: string;
  cleanup: () => Promise<void>;
}

const makeReplaceBundle = async (python: string, args: string[]): Promise<Made & { code: number; err: string }> => {
  const venv = await makeVenv({ python });
  await cp(SITE, venv.sitePackages, { recursive: true });
  const out = await tempDir('patchkit-replace-');
  const r = await patchkit(['new', 'rep', ...args, '--python', venv.python, '--out', out]);
  return {
    python: venv.python,
    dir: join(out, 'rep'),
    site: venv.sitePackages,
    code: r.exitCode,
    err: r.stderr,
    cleanup: async () => {
      await venv.remove();
      await rm(out, { recursive: true, force: true });
    },
  };
};

const copyRuntime = async (made: Made) => {
  const files = pthRuntimeFiles(bundleFileNames('rep'));
  for (const file of files) await cp(join(made.dir, file), join(made.site, file));
};

describe.each(pythons)('--body replace on %s', (python) => {
  it.skipIf(!existsSync(python))(
    'edited definitions behave as the source-patched file, code objects equal',
    async () => {
      const made = await makeReplaceBundle(python, [...TARGETS.flatMap((t) => ['--target', t]), '--body', 'replace']);
      try {
        expect(made.code, made.err).toBe(0);
        const corePath = join(made.dir, 'rep_patch_core.py');
        const core = await readFile(corePath, 'utf8');
        // The core holds upstream's own text, ready to edit.
        expect(core).toContain('    def reveal(self):\n        return self.__secret\n');
        await writeFile(corePath, edit(core));
        await copyRuntime(made);
        const upstream = await readFile(join(made.site, 'rpkg/mod.py'), 'utf8');
        const patchedFile = join(made.dir, 'patched_mod.py');
        await writeFile(patchedFile, edit(upstream));
        const script = join(made.dir, 'check.py');
        await writeFile(script, CHECK);
        const qualnames = TARGETS.map((t) => t.split(':')[1]);
        const r = await execa(made.python, [script, patchedFile, qualnames.join(',')], { reject: false });
        expect(r.stderr).toBe('');
        const got = JSON.parse(String(r.stdout)) as Record<string, unknown> & {
          reasons: Record<string, string>;
          code: Record<string, string | null>;
        };
        expect(got).toMatchObject(EXPECTED);
        expect(Object.values(got.code).filter(Boolean)).toEqual([]);
        // Which mechanism was used is said per target: in place, except where the code needs a new closure.
        expect(got.reasons['rpkg.mod:Child.greet']).toBe('code replaced in place');
        expect(got.reasons['rpkg.mod:Child.plain']).toMatch(/^new object \(it uses other closure variables/);
        const unit = await execa(made.python, ['-m', 'unittest', 'test_rep_patch'], { cwd: made.dir, reject: false });
        expect(unit.exitCode, String(unit.stderr)).toBe(0);
      } finally {
        await made.cleanup();
      }
    },
    120_000,
  );
});

describe('--body replace choices', () => {
  it('("replace", "object") re-runs the decorators on a new function and re-points copies', async () => {
    const made = await makeReplaceBundle(PYTHON, [
      '--target',
      'rpkg.mod:decorated',
      '--target',
      'rpkg.mod:scale',
      '--body',
      'replace',
    ]);
    try {
      expect(made.code, made.err).toBe(0);
      const corePath = join(made.dir, 'rep_patch_core.py');
      let core = await readFile(corePath, 'utf8');
      core = core
        .replace("'rpkg.mod:decorated': ('replace', 'code')", "'rpkg.mod:decorated': ('replace', 'object')")
        .replace("'rpkg.mod:scale': ('replace', 'code')", "'rpkg.mod:scale': ('replace', 'object')")
        .replace('    return x\n', '    return -x\n')
        .replace('    return x * factor\n', '    return x * factor + 1\n');
      await writeFile(corePath, core);
      await copyRuntime(made);
      const r = await execa(
        made.python,
        [
          '-c',
          'import json, rpkg.mod as m, rpkg.user as u, rep_patch_loader as L\n' +
            'print(json.dumps([list(m.decorated(3)), m.scale(2), u.use(2), {k: v["reason"] for k, v in L.report().items()}]))',
        ],
        { reject: false },
      );
      expect(r.stderr).toBe('');
      expect(JSON.parse(String(r.stdout))).toEqual([
        ['logged', -3],
        5,
        5,
        { 'rpkg.mod:decorated': 'new object', 'rpkg.mod:scale': 'new object' },
      ]);
    } finally {
      await made.cleanup();
    }
  });

  it('policy require: a target that cannot be applied makes the sentinel import fail, every time', async () => {
    const made = await makeReplaceBundle(PYTHON, ['--target', 'rpkg.mod:Child.who', '--body', 'replace']);
    try {
      expect(made.code, made.err).toBe(0);
      const manifest = JSON.parse(await readFile(join(made.dir, 'patchkit.json'), 'utf8')) as { policy: string };
      expect(manifest.policy).toBe('require');
      await copyRuntime(made);
      // The package changes under the bundle: the method is gone.
      const mod = join(made.site, 'rpkg/mod.py');
      await writeFile(mod, (await readFile(mod, 'utf8')).replace('    def who(self):', '    def whom(self):'));
      const code =
        'import sys\nfor attempt in (1, 2):\n    try:\n        import rpkg.mod\n        print("imported")\n' +
        '    except ImportError as e:\n        print(type(e).__name__, "rpkg.mod" in sys.modules)\n';
      const r = await execa(made.python, ['-c', code], { reject: false });
      expect(String(r.stdout).split('\n')).toEqual(['PatchRequiredError False', 'PatchRequiredError False']);
      const off = await execa(made.python, ['-c', code], { reject: false, env: { REP_PATCH_DISABLE: '1' } });
      expect(String(off.stdout).trim().split('\n')).toEqual(['imported', 'imported']);
    } finally {
      await made.cleanup();
    }
  });

  it('new --force never overwrites a core the user edited: exit 2, nothing written', async () => {
    const made = await makeReplaceBundle(PYTHON, ['--target', 'rpkg.mod:scale', '--body', 'replace']);
    try {
      expect(made.code, made.err).toBe(0);
      const corePath = join(made.dir, 'rep_patch_core.py');
      const edited = (await readFile(corePath, 'utf8')).replace('x * factor', 'x * factor * 2');
      await writeFile(corePath, edited);
      const out = join(made.dir, '..');
      const again = await patchkit([
        'new',
        'rep',
        '--target',
        'rpkg.mod:scale',
        '--python',
        made.python,
        '--out',
        out,
        '--force',
      ]);
      expect(again.exitCode).toBe(2);
      expect(again.stderr).toContain('rep_patch_core.py was edited since patchkit generated it; nothing was written');
      expect(await readFile(corePath, 'utf8')).toBe(edited);
      // An unedited core is regenerated as before.
      const fresh = await makeReplaceBundle(PYTHON, ['--target', 'rpkg.mod:scale']);
      try {
        const redo = await patchkit([
          'new',
          'rep',
          '--target',
          'rpkg.mod:scale',
          '--python',
          fresh.python,
          '--out',
          join(fresh.dir, '..'),
          '--force',
        ]);
        expect(redo.exitCode, redo.stderr).toBe(0);
      } finally {
        await fresh.cleanup();
      }
    } finally {
      await made.cleanup();
    }
  });
});
