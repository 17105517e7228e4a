/**
 * A directory or one-file module given by path: found without any interpreter. Module names are
 * the oracle's (relative to the root's parent), so `patchkit scan ./src/mypkg` names `mypkg.x`.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TargetNotFoundError } from '../errors.js';
import type { LocatedTarget, ModuleFile } from './model.js';
import { moduleNameFor, targetNameFor, walkModules } from './walk.js';

const DOTTED_NAME = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

/**
 * A path rather than an import name: it has a separator, is `.`/`..`, ends in `.py`/`.pyi`, or is no
 * import name at all yet exists. `json` stays an import name even when ./json exists.
 */
export const isPathTarget = (target: string, cwd: string): boolean =>
  target.includes('/') ||
  target.includes('\\') ||
  target === '.' ||
  target === '..' ||
  /\.pyi?$/.test(target) ||
  (!DOTTED_NAME.test(target) && existsSync(resolve(cwd, target)));

export const isImportName = (target: string) => DOTTED_NAME.test(target);

/** `extensionSuffixes`: the interpreter's, when one is known; otherwise any CPython-tagged .so/.pyd. */
export const locatePath = async (
  target: string,
  cwd: string,
  extensionSuffixes: string[] | null = null,
): Promise<LocatedTarget> => {
  const root = resolve(cwd, target);
  const info = await stat(root).catch(() => null);
  if (!info)
    throw new TargetNotFoundError(
      `no such file or directory: ${root}`,
      'give an import name, or a path to a package directory or a .py file',
    );
  const name = targetNameFor(root);
  let files: ModuleFile[];
  if (info.isDirectory()) files = await walkModules(root, extensionSuffixes);
  else if (/\.pyi?$/.test(root))
    files = [
      { name: moduleNameFor(dirname(root), root), path: root, kind: root.endsWith('.py') ? 'source' : 'stub-only' },
    ];
  else
    throw new TargetNotFoundError(`not a .py file or a directory: ${root}`, 'give a package directory or a .py file');
  if (files.length === 0)
    throw new TargetNotFoundError(`no Python files under ${root}`, 'give the directory that holds the package sources');
  return {
    name,
    topLevel: name,
    root,
    files,
    portions: [info.isDirectory() ? root : dirname(root)],
    distribution: null,
    via: 'path',
    diagnostics: [],
  };
};
