/**
 * Property: for random strings in every field that reaches generated code (bundle name, module,
 * qualname, sentinel, signature), buildModel either refuses with a ValidationError — and then Python
 * agrees the string is unusable — or render emits Python that compiles, parses for 3.8, and carries the
 * string back unchanged (read with ast from the loader's _TARGETS and the core's _Target table).
 * Python is the oracle: `isidentifier()`, `keyword.iskeyword`, NFKC-stable.
 */
import { execa } from 'execa';
import fc from 'fast-check';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { buildModel, type BundleInput } from '../../src/generate/model.js';
import { render } from '../../src/generate/render.js';
import { loadTemplates } from '../../src/generate/templates.js';
import { PYTHON, tempDir } from '../helpers/python.js';
import { FIXTURE_INPUT } from '../generate/fixture-model.js';

/** Characters that stress each rule: quotes, escapes, line breaks, NUL, non-ASCII letters, NFKC folds. */
const ALPHABET = [
  'a',
  'Z',
  '_',
  '1',
  '.',
  "'",
  '"',
  '\\',
  '\n',
  '\r',
  '\u2028',
  '\0',
  ' ',
  ':',
  '/',
  'é',
  'e\u0301',
  'ﬁ',
  '𝑥',
  '℘',
  '·',
  'ー',
  'ǅ',
  'Ω',
  'Ω',
  '\ud800',
  '__PATCHKIT_',
  'class',
  'match',
  '__',
  '#',
  '😀',
];
const piece = fc.constantFrom(...ALPHABET);
const text = fc.array(piece, { minLength: 0, maxLength: 6 }).map((parts) => parts.join(''));

type Field = 'name' | 'module' | 'qualname' | 'sentinel' | 'signature';
const FIELDS: Field[] = ['name', 'module', 'qualname', 'sentinel', 'signature'];

const inputWith = (field: Field, value: string): BundleInput => {
  const base = FIXTURE_INPUT.targets[0];
  if (field === 'name') return { ...FIXTURE_INPUT, name: value, targets: [base] };
  const target = { ...base, bindingSites: [], [field]: value };
  return { ...FIXTURE_INPUT, targets: [target] };
};

const ORACLE = String.raw`
import ast, json, keyword, sys, unicodedata, os
cases = json.load(sys.stdin)
def ident(s):
    return s.isidentifier() and not keyword.iskeyword(s) and unicodedata.normalize("NFKC", s) == s
def dotted(s):
    return 0 < len(s) <= 512 and all(ident(p) for p in s.split(".")) and "__PATCHKIT" not in s
def usable(field, s):
    if field == "name":
        return s.isascii() and ident(s) and len(s) <= 64 and not s.startswith("__") and s.strip("_") != "" and "__PATCHKIT" not in s
    if field == "signature":
        bad = set("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029") | set(map(chr, range(0, 9))) | set(map(chr, range(14, 32))) | {"\x7f"}
        return not any(c in bad or 0xD800 <= ord(c) <= 0xDFFF for c in s) and "__PATCHKIT" not in s
    return dotted(s)
def literal(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return node.value
problems = []
for c in cases:
    field, value, d = c["field"], c["value"], c["dir"]
    want = usable(field, value)
    if want != (d is not None):
        problems.append([field, value, "python says usable=%s, patchkit accepted=%s" % (want, d is not None)])
        continue
    if d is None:
        continue
    for f in sorted(os.listdir(d)):
        if not f.endswith(".py"):
            continue
        src = open(os.path.join(d, f), encoding="utf-8").read()
        try:
            compile(src, f, "exec", dont_inherit=True)
            tree = ast.parse(src, feature_version=(3, 8))
        except SyntaxError as e:
            problems.append([field, value, "%s: %s" % (f, e)])
            continue
        if f.endswith("_patch_loader.py"):
            targets = ast.literal_eval(literal(tree, "_TARGETS"))
            key, module, sentinel, qualname = targets[0][:4]
            got = {"module": module, "sentinel": sentinel, "qualname": qualname}
            if key != module + ":" + qualname:
                problems.append([field, value, "loader key %r" % key])
            if field in got and got[field] != value:
                problems.append([field, value, "loader carries %r" % got[field]])
        if f.endswith("_patch_core.py"):
            table = literal(tree, "TARGETS")
            key = ast.literal_eval(table.keys[0]) if table is not None else None
            if key is None:
                problems.append([field, value, "no TARGETS table in the core"])
            elif field in ("module", "qualname"):
                got = key.split(":", 1)[0 if field == "module" else 1]
                if got != value:
                    problems.append([field, value, "core carries %r" % got])
            if field == "signature" and not any(l.strip().startswith("# Target:") and value in l for l in src.split("\n")):
                problems.append([field, value, "signature not on one # Target: line"])
    pth = [f for f in os.listdir(d) if f.endswith(".pth")][0]
    text = open(os.path.join(d, pth), encoding="ascii").read()
    if text.count("\n") != 1 or not text.startswith("import "):
        problems.append([field, value, ".pth is not one import line"])
print(json.dumps({"problems": problems, "accepted": sum(c["dir"] is not None for c in cases)}))
`;

let root: string;
beforeAll(async () => {
  root = await tempDir('patchkit-prop-');
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('validator + renderer over random strings', () => {
  it(
    'refuses exactly what Python cannot use, and round-trips everything it accepts',
    { timeout: 120_000 },
    async () => {
      const templates = await loadTemplates();
      const samples = fc.sample(fc.tuple(fc.constantFrom(...FIELDS), text), { numRuns: 1500, seed: 20_251_125 });
      const cases: { field: Field; value: string; dir: string | null }[] = [];
      let n = 0;
      for (const [field, value] of samples) {
        let files: Map<string, string> | null = null;
        try {
          files = render(buildModel(inputWith(field, value)), templates);
        } catch (error) {
          // Only a ValidationError may come out: anything else is a renderer bug.
          expect(error, `${field} ${JSON.stringify(value)}`).toBeInstanceOf(ValidationError);
        }
        let dir: string | null = null;
        if (files) {
          dir = join(root, String((n += 1)));
          await mkdir(dir);
          for (const [f, body] of files) await writeFile(join(dir, f), body);
        }
        cases.push({ field, value, dir });
      }
      const r = await execa(PYTHON, ['-c', ORACLE], { input: JSON.stringify(cases) });
      const { problems, accepted } = JSON.parse(r.stdout) as { problems: string[][]; accepted: number };
      console.log(
        `${cases.length} random inputs: ${accepted} accepted and checked, ${cases.length - accepted} refused`,
      );
      expect(problems).toEqual([]);
      // The sample must exercise both sides, or the property proves nothing.
      expect(accepted).toBeGreaterThan(100);
      expect(cases.length - accepted).toBeGreaterThan(100);
    },
  );
});
