/**
 * Writes a rendered bundle to `<out>/<name>/`: into a temporary sibling first, then one rename, so a
 * failure (or Ctrl-C) never leaves a half-written bundle. An existing directory is replaced only with force.
 * A failure to write (a full disk, `--out` naming a file, a path too long) is an EnvironmentError, and
 * the directories this call created for `--out` are removed again: a refused run writes nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { asEnvironmentError } from '../util/fs-error.js';

const writeInto = async (out: string, name: string, files: Map<string, string>, force: boolean) => {
  const dir = resolve(out, name);
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const temp = resolve(out, `.${name}.patchkit-tmp-${stamp}`);
  const old = resolve(out, `.${name}.patchkit-old-${stamp}`);
  try {
    await mkdir(temp);
    for (const [file, contents] of files) {
      if (file.includes('/') || file.includes('\\') || file.startsWith('.'))
        throw new Error(`bad bundle file name ${file}`);
      await writeFile(join(temp, file), contents, 'utf8');
    }
    if (force && existsSync(dir)) await rename(dir, old);
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) await rename(old, dir);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
  return dir;
};

export const writeBundle = async (
  out: string,
  name: string,
  files: Map<string, string>,
  options: { force?: boolean } = {},
): Promise<string> => {
  const dir = resolve(out, name);
  if (existsSync(dir) && !options.force) {
    throw new ValidationError(`${dir} already exists`, 'pass --force to replace it, or choose another --out');
  }
  let created: string | undefined;
  try {
    created = await mkdir(resolve(out), { recursive: true });
    return await writeInto(out, name, files, Boolean(options.force));
  } catch (error) {
    if (created) await rm(created, { recursive: true, force: true }).catch(() => undefined);
    throw asEnvironmentError(error, `cannot write the bundle to ${dir}`) ?? error;
  }
};
