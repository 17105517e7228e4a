/** A directory or one-file module given by path: found without any interpreter. */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TargetNotFoundError } from '../errors.js';
import type { LocatedTarget } from './model.js';
import { moduleNameFor, targetNameFor, walkModules } from './walk.js';

const EXTENSION_SUFFIXES = ['.abi3.so', '.so', '.pyd'];

export const locatePath = async (target: string, cwd: string): Promise<LocatedTarget> => {
  const root = resolve(cwd, target);
  const info = await stat(root).catch(() => null);
  if (!info)
    throw new TargetNotFoundError(
      `no such file or directory: ${root}`,
      'give an import name, or a path to a package directory or a .py file',
    );
  const name = targetNameFor(root);
  const files = info.isDirectory()
    ? await walkModules(root, EXTENSION_SUFFIXES)
    : [{ name: moduleNameFor(dirname(root), root), path: root, kind: 'source' as const }];
  if (files.length === 0) throw new TargetNotFoundError(`no Python files under ${root}`);
  return { name, topLevel: name, root, files, portions: [root], distribution: null, via: 'path', diagnostics: [] };
};
