/** Rendering is pure and pinned: golden files, every Python file compiles for 3.8–3.14, no token survives. */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fill, TemplateError } from '../../src/generate/fill.js';
import { buildModel } from '../../src/generate/model.js';
import { FIXTURE_INPUT } from './fixture-model.js';
import { render } from '../../src/generate/render.js';
import { loadTemplates, TEMPLATE_DIR } from '../../src/generate/templates.js';
import { PYTHON } from '../helpers/python.js';

const GOLDEN = fileURLToPath(new URL('../golden/fixture/', import.meta.url));

const pyFiles = (files: Map<string, string>) =>
  [...files].filter(([name]) => name.endsWith('.py') || name.endsWith('.pth'));

describe('render', () => {
  it('matches the golden files byte for byte, and renders the same bytes twice', async () => {
    const templates = await loadTemplates();
    const files = render(buildModel(FIXTURE_INPUT), templates);
    expect(render(buildModel(structuredClone(FIXTURE_INPUT)), templates)).toEqual(files);
    if (process.env.UPDATE_GOLDEN === '1') {
      await mkdir(GOLDEN, { recursive: true });
      for (const [name, text] of files) await writeFile(join(GOLDEN, name), text);
    }
    expect((await readdir(GOLDEN)).sort()).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(text, name).toBe(await readFile(join(GOLDEN, name), 'utf8'));
  });

  it('every generated and template Python file compiles (py_compile) and parses with feature_version 3.8 … 3.14', async () => {
    const files = render(buildModel({ ...FIXTURE_INPUT, body: 'trace' }), await loadTemplates());
    const sources: Record<string, string> = Object.fromEntries(pyFiles(files));
    for (const [name, text] of pyFiles(render(buildModel(FIXTURE_INPUT), await loadTemplates())))
      sources[`pt-${name}`] = text;
    const dir = fileURLToPath(TEMPLATE_DIR);
    for (const name of [
      'patch_loader.py',
      'patch_core.py',
      'patch_injector.py',
      'test_patch.py',
      'patch_injector.pth',
      'patch_injector.start',
    ]) {
      sources[`template-${name}`] = await readFile(join(dir, name), 'utf8');
    }
    for (const name of await readdir(join(dir, 'wrappers')))
      sources[`wrapper-${name}`] = await readFile(join(dir, 'wrappers', name), 'utf8');
    const script = `
import ast, json, sys, py_compile, tempfile, os
sources = json.load(sys.stdin)
bad = []
for name, text in sorted(sources.items()):
    for minor in range(8, 15):
        try:
            ast.parse(text, name, feature_version=(3, minor))
        except SyntaxError as e:
            bad.append("%s 3.%d: %s" % (name, minor, e))
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(text)
    try:
        py_compile.compile(f.name, doraise=True)
    except py_compile.PyCompileError as e:
        bad.append("%s: %s" % (name, e))
    os.unlink(f.name)
print(json.dumps([len(sources), bad]))`;
    const r = await execa(PYTHON, ['-c', script], {
      input: JSON.stringify(sources),
      env: { PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(JSON.parse(r.stdout)).toEqual([Object.keys(sources).length, []]);
    expect(Object.keys(sources).length).toBeGreaterThan(15);
  });

  it('fails when a placeholder is unknown or would remain', () => {
    expect(() => fill('x = __PATCHKIT_NOPE__', {}, 't')).toThrow(TemplateError);
    expect(() => fill('x = __PATCHKIT_A__', { A: '__PATCHKIT_B__' }, 't')).toThrow(/left after rendering/);
    expect(fill('import __PATCHKIT_NAME___patch_loader', { NAME: 'n' }, 't')).toBe('import n_patch_loader');
  });

  it('the generated .pth is one import line and the .start one entry point', () => {
    return loadTemplates().then((templates) => {
      const files = render(buildModel(FIXTURE_INPUT), templates);
      // One line that site.py executes (it starts with "import "): the injector module, nothing else.
      expect(files.get('fixture_patch_injector.pth')).toBe('import fixture_patch_injector\n');
      // The injector watches exactly the fixture's modules and names the loader it hands over to.
      const injector = files.get('fixture_patch_injector.py') ?? '';
      expect(injector).toContain("_WATCH = frozenset({'fixture_patch_core', 'pkg', 'pkg.cli', 'pkg.mod'})\n");
      expect(injector).toContain("patchkit = 'fixture_patch_loader'\n");
      expect(injector).toContain('os.environ.get("FIXTURE_PATCH_DISABLE")');
      expect(files.get('fixture_patch_injector.start')).toBe('fixture_patch_injector:hook\n');
      expect(existsSync(GOLDEN)).toBe(true);
    });
  });
});
