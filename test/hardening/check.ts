/**
 * Shared checks of the hardening tests: generated Python really compiles (py_compile, and ast.parse
 * with feature_version 3.8), the .pth line does what site.py is meant to do with it, and a site dir
 * never holds a start-up hook without its loader or a bundle whose RECORD lists missing files.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PYTHON } from '../helpers/python.js';

/** A stack trace on stderr means an error escaped as a bug instead of a message. */
export const STACK = /\n\s+at .+:\d+|TypeError|ReferenceError|node:internal/;

const CHECK = String.raw`
import ast, json, site, sys, os, subprocess
d, name = sys.argv[1], sys.argv[2]
out = {"py": [], "pth": None, "hooked": None}
for f in sorted(os.listdir(d)):
    if f.endswith(".py"):
        p = os.path.join(d, f)
        r = subprocess.run([sys.executable, "-m", "py_compile", p], capture_output=True, text=True)
        src = open(p, encoding="utf-8").read()
        try:
            ast.parse(src, filename=p, feature_version=(3, 8))
            parsed = True
        except SyntaxError as e:
            parsed = "%s:%s %s" % (f, e.lineno, e.msg)
        out["py"].append([f, r.returncode == 0 or r.stderr, parsed])
pth = os.path.join(d, name + "_patch_injector.pth")
text = open(pth, encoding="ascii", newline="").read()
# site.py runs a .pth line only when it starts with "import" and a space or tab, one line at a time.
out["pth"] = text.count("\n") == 1 and text.endswith("\n") and "\r" not in text and text.startswith(("import ", "import\t"))
# What site.py does with a site dir: read every .pth, run its import lines. The bundle's finder (the
# injector's stub or the loader's own) must end up on sys.meta_path, with nothing on stderr.
probe = "import site, sys; site.addsitedir(sys.argv[1]); l = sys.argv[2] + '_patch_loader'; print(any(getattr(f, 'patchkit', None) == l or type(f).__module__ == l for f in sys.meta_path))"
r = subprocess.run([sys.executable, "-c", probe, d, name], capture_output=True, text=True)
out["hooked"] = [r.stdout.strip(), r.stderr]
print(json.dumps(out))
`;

export interface GeneratedCheck {
  py: [string, true | string, true | string][];
  pth: boolean;
  hooked: [string, string];
}

/** Compiles every .py of a bundle dir and runs its .pth the way site.py does. */
export const checkGenerated = async (dir: string, name: string, python = PYTHON): Promise<GeneratedCheck> => {
  const r = await execa(python, ['-c', CHECK, dir, name], { stdin: 'ignore' });
  return JSON.parse(r.stdout) as GeneratedCheck;
};

/** The expectations every accepted bundle must meet. */
export const expectedGenerated = (name: string, pyFiles: string[]): GeneratedCheck => ({
  py: pyFiles.sort().map((f) => [f, true, true] as [string, true, true]),
  pth: true,
  hooked: ['True', ''],
});

export const hashOf = (data: Buffer) => `sha256=${createHash('sha256').update(data).digest('base64url')}`;

/**
 * The invariants of a site dir after any run, finished or not:
 * - never a `.pth`/`.start` hook without the loader it imports (and the core the loader needs);
 * - every patchkit dist-info has a RECORD, and each entry it lists is present with its hash (.pyc
 *   aside): never a half-installed or half-removed bundle;
 * - no temp file of an atomic write survives.
 * Returns a list of violations (empty when all hold). `settled: false` (just after a kill) skips the
 * RECORD and temp-file checks: an install killed mid-way leaves an intent RECORD and maybe a temp
 * file, which the next run finishes or sweeps.
 */
export const siteViolations = async (site: string, options: { settled?: boolean } = {}): Promise<string[]> => {
  const bad: string[] = [];
  const entries = await readdir(site);
  for (const e of entries) {
    const hook = /^(.+)_patch_injector\.(pth|start)$/.exec(e);
    if (hook) {
      for (const part of ['loader', 'core'])
        if (!existsSync(join(site, `${hook[1]}_patch_${part}.py`)))
          bad.push(`${e} without ${hook[1]}_patch_${part}.py`);
    }
    if (options.settled !== false && e.endsWith('.patchkit-tmp')) bad.push(`temp file ${e}`);
    if (options.settled !== false && /_patch-.*\.dist-info$/.test(e)) {
      const record = await readFile(join(site, e, 'RECORD'), 'utf8').catch(() => null);
      if (record === null) {
        bad.push(`${e} without RECORD`);
        continue;
      }
      for (const line of record.split('\n').filter(Boolean)) {
        const [path, hash] = line.split(',');
        if (!hash || path.endsWith('.pyc')) continue;
        const data = await readFile(join(site, path)).catch(() => null);
        if (data === null) bad.push(`${e}: ${path} missing`);
        else if (hashOf(data) !== hash) bad.push(`${e}: ${path} does not match its hash`);
      }
    }
  }
  return bad;
};
