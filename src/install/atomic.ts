/**
 * File operations on an environment, each one atomic: a temp file beside the destination, fsync,
 * then rename. The temp name starts with '.' and ends in `.patchkit-tmp`, so site.py never treats a
 * half-written `.pth` as a path file. Every finished operation is one numbered step: with
 * PATCHKIT_TEST_CRASH_AFTER=<n> the process SIGKILLs itself after step n, which is how the lifecycle
 * tests prove that an install or uninstall killed at any point leaves a working interpreter.
 */
import { open, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let stepCount = 0;

/** Marks the end of one filesystem step (the crash hook for tests; a no-op otherwise). */
export const step = (): void => {
  stepCount += 1;
  const crashAfter = Number(process.env.PATCHKIT_TEST_CRASH_AFTER ?? '0');
  if (crashAfter > 0 && stepCount === crashAfter) process.kill(process.pid, 'SIGKILL');
};

const TEMP_SUFFIX = '.patchkit-tmp';

export const tempPathFor = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}${TEMP_SUFFIX}`);

export const writeFileAtomic = async (path: string, data: Uint8Array, mode = 0o644): Promise<void> => {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  } finally {
    await handle.close().catch(() => undefined);
  }
  step();
  await rename(temp, path);
  step();
};

/** Removes a file; a file that is already gone is fine (an earlier run may have been killed). */
export const removeFile = async (path: string): Promise<boolean> => {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  step();
  return true;
};

/** Removes a directory only when it is empty (a `__pycache__` shared with other modules stays). */
export const removeDirIfEmpty = async (path: string): Promise<boolean> => {
  try {
    await rmdir(path);
  } catch {
    return false;
  }
  step();
  return true;
};

/** Temp files left by a killed run for these destination names (any pid). */
export const sweepTemps = async (dir: string, names: string[]): Promise<string[]> => {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const prefixes = names.map((n) => `.${n}.`);
  const stale = entries.filter((e) => e.endsWith(TEMP_SUFFIX) && prefixes.some((p) => e.startsWith(p)));
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
};
