/**
 * The version a source tree declares, read as text (nothing run): `[project] version` in
 * pyproject.toml, else a `version.txt`/`VERSION` file, else `__version__ = "..."` in a version module.
 * A version computed at build time (setuptools-scm, `dynamic = ["version"]`) is not in the tree: null.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const read = (path: string) => readFile(path, 'utf8').catch(() => null);

const fromPyproject = (text: string): string | null => {
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) section = header[1].trim();
    const m = /^\s*version\s*=\s*["']([^"']+)["']/.exec(line);
    if (m && (section === 'project' || section === 'tool.poetry')) return m[1];
  }
  return null;
};

const VERSION_ASSIGNMENT = /^(?:__version__|version)\s*(?::\s*str\s*)?=\s*["']([^"']+)["']/m;

export const sourceVersion = async (dir: string): Promise<string | null> => {
  const roots = [dir, join(dir, '..')];
  for (const root of roots) {
    const pyproject = await read(join(root, 'pyproject.toml'));
    const v = pyproject && fromPyproject(pyproject);
    if (v) return v;
    for (const name of ['version.txt', 'VERSION']) {
      const text = (await read(join(root, name)))?.trim();
      if (text && /^[0-9A-Za-z.+!-]+$/.test(text)) return text;
    }
  }
  return null;
};

/** `__version__` in the package's own version module (`pkg/version.py`, `pkg/_version.py`, `pkg/__init__.py`). */
export const packageVersion = async (packageDir: string): Promise<string | null> => {
  for (const name of ['version.py', '_version.py', '__init__.py']) {
    const text = await read(join(packageDir, name));
    const m = text && VERSION_ASSIGNMENT.exec(text);
    if (m) return m[1];
  }
  return null;
};
