/**
 * `patchkit update <bundle> [--python <exe> | --source <dir>] [--dry-run] [--json]`: brings a bundle to
 * the version installed (or in a source tree). Wrappers are re-resolved (manifest only: the user's
 * wrapper code is not touched); a replaced definition gets upstream's change three-way merged into
 * the user's version in the core; module code and overlay hunks of a `--from-diff` bundle are carried
 * onto the new source (src/update/whole-module.ts); everything patchkit generates (loader, injector,
 * overlay, test, README, manifest) is rendered again by this patchkit. The core changes only inside
 * merged definitions and module code, and where `--drop` removes a target. Nothing is imported;
 * `--dry-run` returns the same diffs and writes nothing.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import type { ParserKind } from '../parser/adapter.js';
import { loadBundle } from '../install/bundle.js';
import { compareAll, scanNow, textOf } from './check.js';
import { locate, type Found, type TargetDrift } from '../install/drift.js';
import type { ManifestHunk, ManifestTarget } from '../generate/manifest.js';
import { overlayHunksOf } from '../install/overlay-drift.js';
import { decodeSource } from '../scan/decode.js';
import { updateModuleCode, updateOverlay } from '../update/whole-module.js';
import { MANIFEST_FILE } from '../generate/manifest.js';
import { buildModel, toManifest, type ModuleCode, type TargetInput } from '../generate/model.js';
import { render, sha256 } from '../generate/render.js';
import { loadTemplates } from '../generate/templates.js';
import { sourceHash } from '../generate/source-hash.js';
import { contextClasses } from '../generate/definition-source.js';
import type { Resolved } from '../generate/resolve.js';
import type { ScanResult } from '../scan/model.js';
import { findDefinition, spliceCore } from '../update/core-definition.js';
import { dropTarget } from '../update/drop.js';
import { mergeDefinition } from '../update/merge.js';
import { unifiedDiff } from '../util/unified-diff.js';
import { PATCHKIT_VERSION } from '../version.js';
import { importedNamesOf } from './new.js';

export interface UpdateOptions {
  cwd: string;
  bundle: string;
  python?: string;
  source?: string;
  dryRun?: boolean;
  /** Targets (`module:qualname`) to remove from the bundle. */
  drop?: string[];
  json?: boolean;
  cache?: boolean;
  parser?: ParserKind | 'auto';
}

/** What update did to one target. */
export type UpdateAction =
  | 'current' // nothing changed upstream
  | 're-resolved' // a wrapper: the manifest follows upstream, the wrapper code is as it was
  | 'merged' // a replacement: upstream's change merged cleanly into the user's version
  | 'conflict' // a replacement: conflict markers written into the core
  | 'missing' // the target is gone upstream: nothing to update it to
  | 'kept' // cannot be updated (a kind change, an added definition upstream now has): left as it was
  | 'dropped'; // removed from the bundle, as --drop asked

export interface TargetUpdate {
  key: string;
  how: string;
  status: TargetDrift['status'];
  action: UpdateAction;
  note?: string;
  closest?: string[];
}

export interface UpdateResult {
  dir: string;
  name: string;
  package: string;
  oldVersion: string | null;
  newVersion: string | null;
  dryRun: boolean;
  targets: TargetUpdate[];
  /** Every bundle file the update changes, with a unified diff of it. */
  files: { file: string; diff: string }[];
  conflicts: string[];
  /** Targets left as they were: missing upstream, or changed in a way update cannot carry. */
  unresolved: string[];
}

/** The manifest entry that follows upstream: where the definition is now and what it says. */
const followed = async (t: ManifestTarget, found: Found, newText: string): Promise<ManifestTarget> => {
  const s = found.symbol;
  const startLine = Math.min(s.line, ...s.decorators.map((d) => d.line));
  const file = await readFile(found.module.path);
  return {
    ...t,
    module: found.module.name,
    signature: s.signature,
    fingerprint: s.fingerprint,
    line: s.line,
    startLine,
    endLine: s.endLine,
    sourceHash: sourceHash(file, startLine, s.endLine),
    upstream: newText,
  };
};

export const run = async (options: UpdateOptions): Promise<UpdateResult> => {
  if (options.python && options.source) throw new ValidationError('give --python or --source, not both');
  const bundle = await loadBundle(options.bundle, options.cwd);
  const { manifest } = bundle;
  const drop = new Set(options.drop ?? []);
  const keys = new Set(manifest.targets.map((t) => `${t.module}:${t.qualname}`));
  const unknown = [...drop].filter((k) => !keys.has(k));
  if (unknown.length > 0)
    throw new ValidationError(
      `--drop ${unknown.join(', ')}: not a target of ${manifest.name}`,
      'see `patchkit check` for its targets',
    );
  if (drop.size === keys.size)
    throw new ValidationError(
      `--drop names every target of ${manifest.name}`,
      'a bundle with nothing to patch is no bundle: `patchkit uninstall` it and delete its directory',
    );
  const { scan, version } = await scanNow(options, manifest);
  const drifts = await compareAll(manifest, scan, bundle.dir);
  const coreFile = bundle.files.find((f) => f.role === 'core');
  if (!coreFile) throw new ValidationError(`${bundle.dir} has no core`);
  const oldCore = coreFile.data.toString('utf8');
  let core = oldCore;
  const labels = {
    mine: `${coreFile.name} (your version)`,
    theirs: `upstream ${version ?? 'now'}`,
  };

  const targets: TargetUpdate[] = [];
  const inputs: TargetInput[] = [];
  const moduleCode: ModuleCode[] = [];
  const overlayFile = bundle.files.find((f) => f.role === 'overlay')?.data.toString('utf8') ?? null;
  const conflicts: string[] = [];
  const unresolved: string[] = [];
  for (const [i, t] of manifest.targets.entries()) {
    const drift = drifts[i];
    const how = t.how ?? 'wrap';
    const found = locate(t, scan);
    const newText = await textOf(found);
    const report = (action: UpdateAction, extra: Partial<TargetUpdate> = {}) =>
      targets.push({ key: drift.key, how, status: drift.status, action, ...extra });
    const keep = (action: UpdateAction, note: string, extra: Partial<TargetUpdate> = {}) => {
      unresolved.push(drift.key);
      report(action, { note, ...extra });
      inputs.push({ ...t, ...(how === 'replace' || how === 'add' ? sourceOf(core, t) : {}) });
    };
    if (drop.has(drift.key)) {
      const dropped = dropTarget(core, t);
      core = dropped.core;
      report('dropped', { note: dropped.note });
      continue;
    }
    if (how === 'new-module') {
      moduleCode.push({ module: t.module, source: t.code ?? '' });
      if (drift.status === 'exists') keep('kept', drift.note ?? `upstream now has a module ${t.module}`);
      else {
        report('current');
        inputs.push(t);
      }
      continue;
    }
    if (how === 'module-code' || how === 'overlay') {
      if (how === 'module-code') moduleCode.push({ module: t.module, source: t.code ?? '' });
      const module = scan.modules.find((m) => m.name === t.module && m.kind === 'source');
      const hunks = t.hunks ?? (how === 'overlay' ? overlayFileHunks(overlayFile, t.module) : null);
      if (!module || !hunks) {
        keep(
          module ? 'kept' : 'missing',
          module ? `the bundle keeps no hunks for its ${how}` : `module ${t.module} is gone`,
        );
        continue;
      }
      const source = decodeSource(await readFile(module.path)).text.replace(/\r\n?/g, '\n');
      const done =
        how === 'overlay' ? updateOverlay(t, hunks, source) : updateModuleCode({ ...t, hunks }, source, core, labels);
      if (done.core !== undefined) core = done.core;
      inputs.push(done.target);
      // Module code's conflicts are marked in the core; an overlay's are not written anywhere.
      if (done.action === 'conflict' && how === 'module-code') conflicts.push(drift.key);
      if ((done.action === 'conflict' && how === 'overlay') || done.action === 'kept') unresolved.push(drift.key);
      report(done.action, done.note ? { note: done.note } : {});
      continue;
    }
    if (how === 'add') {
      if (drift.status === 'exists') keep('kept', 'upstream now defines it: drop the addition or rename it');
      else {
        report('current');
        inputs.push({ ...t, ...sourceOf(core, t) });
      }
      continue;
    }
    if (!found || newText === null) {
      keep('missing', drift.gone ?? 'gone upstream', { closest: drift.closest });
      continue;
    }
    if (drift.status === 'kind') {
      keep('kept', `it is now a ${found.symbol.kind}: a wrapper for a ${t.kind} does not fit`);
      continue;
    }
    if (how !== 'replace' && how !== 'remove' && how !== 'wrap') throw new Error(`unexpected target kind ${how}`);
    // The core's TARGETS (and a replacement's block) name the module: re-keying them is the user's edit.
    if (found.module.name !== t.module) {
      keep('kept', `it moved to ${found.module.name}: TARGETS in the core names ${t.module}; re-target it by hand`);
      continue;
    }
    const next = await followed(t, found, newText);
    const same = JSON.stringify(next) === JSON.stringify(t);
    if (how !== 'replace') {
      report(same ? 'current' : 're-resolved');
      inputs.push(next);
      continue;
    }
    const span = findDefinition(core, t.module, t.qualname, t.upstream ?? newText);
    if (!span) {
      keep('kept', `its definition was not found in the core's block for ${t.module}`);
      continue;
    }
    const merged =
      t.upstream == null ? { text: span.text, conflicts: 0 } : mergeDefinition(span.text, t.upstream, newText, labels);
    if (merged.text !== span.text) core = spliceCore(core, span, merged.text);
    const classes = contextClasses(
      { module: found.module, symbol: found.symbol, result: scan },
      await readFile(found.module.path),
    );
    inputs.push({ ...next, source: merged.text, classes });
    if (merged.conflicts > 0) {
      conflicts.push(drift.key);
      report('conflict', { note: `${merged.conflicts} conflict(s) marked in ${coreFile.name}` });
    } else report(same ? 'current' : newText === t.upstream ? 're-resolved' : 'merged');
  }

  const model = buildModel({
    name: manifest.name,
    body: manifest.body,
    policy: manifest.policy,
    package: manifest.package,
    distribution: manifest.distribution
      ? { name: manifest.distribution.name, version: version ?? manifest.distribution.version }
      : scan.package.distribution
        ? { name: scan.package.distribution, version }
        : null,
    patchkitVersion: PATCHKIT_VERSION,
    targets: inputs,
    moduleCode,
    importedNames: await importedNamesOf(blockModulesOf(inputs, scan)),
  });
  const rendered = render(model, await loadTemplates());
  rendered.set(model.files.core, core);
  // The core's record says whether its user edited it (`new --force` refuses to overwrite an edited
  // core): an unedited core stays unedited through update; an edited one keeps its old record.
  const edited = manifest.coreSha256 !== sha256(oldCore);
  const record = edited ? manifest.coreSha256 : sha256(core);
  rendered.set(model.files.manifest, `${JSON.stringify(toManifest(model, record), null, 2)}\n`);
  const files: { file: string; diff: string }[] = [];
  for (const [file, text] of rendered) {
    const before = await readFile(join(bundle.dir, file), 'utf8').catch(() => '');
    if (before === text) continue;
    files.push({ file, diff: unifiedDiff(before, text, { old: `a/${file}`, new: `b/${file}` }) });
  }
  // A file the bundle no longer has (the overlay module, once its last target is dropped).
  const gone = bundle.files.filter((f) => f.role === 'overlay' && !rendered.has(f.name));
  for (const f of gone)
    files.push({
      file: f.name,
      diff: unifiedDiff(f.data.toString('utf8'), '', { old: `a/${f.name}`, new: '/dev/null' }),
    });
  if (!options.dryRun) {
    // Each file through a temporary sibling and one rename; the manifest last, so an interrupted
    // update leaves a bundle whose manifest still describes the old state.
    const order = files.map((f) => f.file).sort((a, b) => Number(a === MANIFEST_FILE) - Number(b === MANIFEST_FILE));
    for (const file of order) {
      if (!rendered.has(file)) continue;
      const temp = join(bundle.dir, `.${file}.patchkit-update-${process.pid}`);
      await writeFile(temp, rendered.get(file) ?? '', 'utf8');
      await rename(temp, join(bundle.dir, file));
    }
    for (const f of gone) await rm(join(bundle.dir, f.name), { force: true });
  }
  return {
    dir: bundle.dir,
    name: manifest.name,
    package: manifest.package,
    oldVersion: manifest.distribution?.version ?? null,
    newVersion: model.distribution?.version ?? null,
    dryRun: Boolean(options.dryRun),
    targets,
    files,
    conflicts,
    unresolved,
  };
};

/** The scanned modules the core has blocks for: their import-bound names go into the loader again. */
const blockModulesOf = (inputs: TargetInput[], scan: ScanResult): Resolved[] => {
  const modules = new Set(inputs.filter((t) => t.source !== undefined || t.how === 'module-code').map((t) => t.module));
  return scan.modules
    .filter((m) => modules.has(m.name) && m.kind === 'source' && m.symbols.length > 0)
    .map((m) => ({ module: m, symbol: m.symbols[0], result: scan }));
};

/** An overlay's hunks from the overlay module, for bundles whose manifest does not keep them. */
const overlayFileHunks = (overlay: string | null, module: string): ManifestHunk[] | null => {
  const read = overlay === null ? null : overlayHunksOf(overlay, module);
  return read
    ? read.hunks.map((h, i) => ({
        index: read.indices[i],
        oldStart: h.oldStart,
        oldLines: h.oldLines,
        newStart: h.newStart,
        newLines: h.newLines,
        lines: h.lines,
      }))
    : null;
};

/** For a target update leaves alone: its block text as the core has it, so the rendered model keeps it. */
const sourceOf = (core: string, t: ManifestTarget): Partial<TargetInput> => {
  // Only which modules have blocks matters here (the core itself is not rendered again).
  // (A definition the user renamed in the core is then not found: its block is still the module's.)
  const span = findDefinition(core, t.module, t.qualname, t.upstream ?? null);
  return { source: span?.text ?? t.upstream ?? '', classes: [] };
};
