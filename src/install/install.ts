/**
 * `install` as a sequence of atomic steps, ordered so that a process killed between any two of them
 * leaves an interpreter that starts cleanly and an install the next run can finish or remove:
 *   1. the dist-info: patchkit.json (identity) and an intent RECORD listing every file about to be written;
 *   2. the modules: loader, core and injector (nothing imports them yet);
 *   3. their bytecode, compiled by the target interpreter;
 *   4. the `.pth` and `.start` — only now does any interpreter start import the injector;
 *   5. files of a previous install that the new one does not have;
 *   6. the final RECORD (with the .pyc hashes).
 * The whole sequence runs under the site dir's lock (lock.ts). A step that fails — a full disk, an
 * interpreter that dies while compiling — is rolled back before the error is reported (rollback below).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { lookupDirs, installDir, ensureWritable, type TargetEnv } from './target.js';
import { distInfoStem, type LoadedBundle } from './bundle.js';
import { removeDirIfEmpty, writeFileAtomic } from './atomic.js';
import { byteCompile, checkSyntax } from './compile.js';
import { findConflicts } from './conflicts.js';
import { distInfoDirsFor, findInstalled, sweepLeftovers, type InstalledBundle } from './installed.js';
import { entryFor, formatRecord, type RecordEntry } from './record.js';
import { removeEntries } from './remove.js';
import { metadataText } from '../wheel/metadata.js';
import { MANIFEST_FILE, bundleFileNames } from '../generate/manifest.js';
import { asEnvironmentError } from '../util/fs-error.js';
import { withSiteLock } from './lock.js';

export interface InstallOutcome {
  name: string;
  distribution: string;
  version: string;
  python: string;
  siteDir: string;
  distInfo: string;
  /** Site-dir relative paths written, in order. */
  written: string[];
  compiled: string[];
  /** Files of a previous install that were removed (or replaced by --force). */
  removed: string[];
  replacedVersions: string[];
  forced: { path: string; why: string }[];
  /** Other site dirs of this interpreter that also hold the bundle (the first on sys.path wins). */
  alsoIn: string[];
}

export const installBundle = async (
  bundle: LoadedBundle,
  env: TargetEnv,
  options: { user?: boolean; force?: boolean },
): Promise<InstallOutcome> => {
  const siteDir = await installDir(env.facts, Boolean(options.user));
  try {
    await ensureWritable(siteDir, env.facts, Boolean(options.user));
    return await withSiteLock(env.python, [siteDir], () => installLocked(bundle, env, siteDir, options));
  } catch (error) {
    throw asEnvironmentError(error, `cannot install ${bundle.manifest.name} into ${siteDir}`) ?? error;
  }
};

/**
 * Undoes a failed install. Nothing of an older version touched yet (the failure came while writing the
 * new dist-info): only the new dist-info goes, and the older version stays installed. Otherwise the
 * loader and core may already be half new, half old, so every file of the bundle goes, start-up hooks
 * first: no interpreter runs a mixed bundle. Returns a sentence for the error message.
 */
const rollback = async (
  siteDir: string,
  name: string,
  distInfo: string,
  written: RecordEntry[],
  old: InstalledBundle[],
  hadPycache: boolean,
): Promise<string> => {
  const touchedOld =
    old.some((b) => b.distInfo === distInfo) || written.some((e) => !e.path.startsWith(`${distInfo}/`));
  if (old.length > 0 && !touchedOld) {
    await removeEntries(siteDir, written);
    await removeDirIfEmpty(join(siteDir, distInfo));
    return `the installed version ${old.map((b) => b.version).join(', ')} is unchanged`;
  }
  // A compile step that died half-way wrote .pyc files it never reported.
  const stems = Object.values(bundleFileNames(name))
    .filter((f) => f.endsWith('.py'))
    .map((f) => `${f.slice(0, -3)}.`);
  const pycs = (await readdir(join(siteDir, '__pycache__')).catch((): string[] => []))
    .filter((f) => f.endsWith('.pyc') && stems.some((s) => f.startsWith(s)))
    .map((f) => ({ path: `__pycache__/${f}`, hash: null, size: null }));
  await removeEntries(siteDir, [...written, ...pycs, ...old.flatMap((b) => b.entries)]);
  await removeDirIfEmpty(join(siteDir, distInfo));
  // py_compile creates __pycache__ before it finds the disk full.
  if (!hadPycache) await removeDirIfEmpty(join(siteDir, '__pycache__'));
  await sweepLeftovers(siteDir, name, Object.values(bundleFileNames(name)));
  return old.length > 0
    ? `${name} was removed (the previous version ${old.map((b) => b.version).join(', ')} too): install again once the cause is fixed`
    : 'nothing was left behind';
};

const installLocked = async (
  bundle: LoadedBundle,
  env: TargetEnv,
  siteDir: string,
  options: { user?: boolean; force?: boolean },
): Promise<InstallOutcome> => {
  const { facts, python } = env;
  const name = bundle.manifest.name;
  const distInfo = `${distInfoStem(name)}-${bundle.version}.dist-info`;
  const distDir = join(siteDir, distInfo);
  await sweepLeftovers(
    siteDir,
    name,
    bundle.files.map((f) => f.name),
  );

  await checkSyntax(
    python,
    bundle.files.filter((f) => f.name.endsWith('.py')).map((f) => join(bundle.dir, f.name)),
  );
  const meta = new Map<string, Uint8Array>([
    [`${distInfo}/${MANIFEST_FILE}`, bundle.manifestBytes],
    [`${distInfo}/METADATA`, Buffer.from(metadataText(bundle))],
    [`${distInfo}/INSTALLER`, Buffer.from('patchkit\n')],
  ]);
  const payload = new Map<string, Uint8Array>(bundle.files.map((f) => [f.name, f.data]));
  const old = await findInstalled(siteDir, name);
  const conflicts = await findConflicts(siteDir, payload, old, await distInfoDirsFor(siteDir, name));
  if (conflicts.length > 0 && !options.force) {
    throw new EnvironmentError(
      `not installing ${name} into ${siteDir}:\n${conflicts.map((c) => `  ${c.path}: ${c.why}`).join('\n')}`,
      'pass --force to replace them (patchkit will then own and later remove them)',
    );
  }

  const entries: RecordEntry[] = [...meta, ...payload].map(([path, data]) => entryFor(path, data));
  const recordPath = `${distInfo}/RECORD`;
  const newPaths = new Set([...entries.map((e) => e.path), recordPath]);
  // Old entries of the same dist-info stay listed until step 5 removes them: a kill before then
  // must not orphan them.
  const sameDir = old.filter((b) => b.distInfo === distInfo).flatMap((b) => b.entries);
  const intent = [
    ...entries,
    ...sameDir.filter((e) => !newPaths.has(e.path)),
    { path: recordPath, hash: null, size: null },
  ];

  const written: string[] = [];
  // What this run put on disk (temp files aside), for the rollback: paths with their content.
  const putDown: RecordEntry[] = [];
  const write = async (path: string, data: Uint8Array) => {
    putDown.push({ path, hash: null, size: null });
    await writeFileAtomic(join(siteDir, path), data);
    // RECORD is written twice (the intent first, the final list last): reported once.
    if (!written.includes(path)) written.push(path);
  };
  let compiled: RecordEntry[] = [];
  let removed: string[] = [];
  const hadPycache = existsSync(join(siteDir, '__pycache__'));
  try {
    await mkdir(distDir, { recursive: true });
    await write(`${distInfo}/${MANIFEST_FILE}`, bundle.manifestBytes);
    await write(recordPath, Buffer.from(formatRecord(intent)));
    for (const [path, data] of meta) if (!path.endsWith(MANIFEST_FILE)) await write(path, data);
    // The modules (loader, core, injector) and their bytecode before the hooks that import them.
    for (const f of bundle.files) if (f.role !== 'pth' && f.role !== 'start') await write(f.name, f.data);

    const pycs = await byteCompile(
      python,
      bundle.files.filter((f) => f.name.endsWith('.py')).map((f) => join(siteDir, f.name)),
    );
    compiled = [];
    for (const pyc of pycs) compiled.push(entryFor(relative(siteDir, pyc).split('\\').join('/'), await readFile(pyc)));

    for (const f of bundle.files) if (f.role === 'pth' || f.role === 'start') await write(f.name, f.data);

    const keep = new Set([...newPaths, ...compiled.map((e) => e.path)]);
    removed = await removeEntries(
      siteDir,
      old.flatMap((b) => b.entries),
      keep,
    );
    await write(
      recordPath,
      Buffer.from(formatRecord([...entries, ...compiled, { path: recordPath, hash: null, size: null }])),
    );
  } catch (error) {
    const failure = asEnvironmentError(error, `cannot install ${name} into ${siteDir}`);
    if (!failure) throw error;
    let outcome: string;
    try {
      outcome = await rollback(siteDir, name, distInfo, [...putDown, ...compiled], old, hadPycache);
    } catch (undo) {
      outcome = `undoing it failed too (${(undo as Error).message}): run patchkit uninstall ${name}`;
    }
    throw new EnvironmentError(`${failure.message}; ${outcome}`, failure.hint);
  }

  const alsoIn: string[] = [];
  for (const dir of lookupDirs(facts))
    if (dir !== siteDir && (await findInstalled(dir, name)).length > 0) alsoIn.push(dir);
  return {
    name,
    distribution: bundle.distribution,
    version: bundle.version,
    python,
    siteDir,
    distInfo,
    written,
    compiled: compiled.map((e) => e.path),
    removed,
    replacedVersions: old.filter((b) => b.distInfo !== distInfo).map((b) => b.version),
    forced: options.force ? conflicts : [],
    alsoIn,
  };
};
