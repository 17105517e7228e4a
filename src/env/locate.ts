/**
 * Finds a target's files the way the import system would, without importing anything: each part
 * of a dotted name is looked up in its parent's directories (PathFinder on the reconstructed
 * search path for the top level), and an import-hook editable finder answers only where
 * PathFinder finds nothing, as it sits after PathFinder on sys.meta_path. `find_spec('a.b')`
 * would import `a`; walking directories does not.
 */
import { statSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { InterpreterError, TargetNotFoundError } from '../errors.js';
import { findDistribution } from './distribution.js';
import type { EditableMapping } from './editable.js';
import { isImportName, isPathTarget, locatePath } from './locate-path.js';
import type { InterpreterFacts, LocatedTarget, ModuleFile } from './model.js';
import { findIn, stubFor, type Found } from './module-finder.js';
import { searchPath, type SearchEntry } from './search-path.js';
import { closestNames } from './suggest.js';
import { walkModules } from './walk.js';

const HINT = 'pass --python <exe> of the environment that has it, or activate its venv';

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const within = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** What an editable finder answers for `dotted`, or null. */
const fromEditable = (mappings: EditableMapping[], dotted: string, suffixes: string[]): Found | null => {
  const hit = mappings.find((m) => m.name === dotted && !m.namespace);
  if (!hit) return null;
  if (isDir(hit.path)) return { kind: 'package', dirs: [hit.path], entry: dirname(hit.path) };
  const ext = suffixes.find((s) => hit.path.endsWith(s));
  const name = dotted.split('.').pop() ?? dotted;
  const file: ModuleFile = ext
    ? { name: dotted, path: hit.path, kind: 'extension', ...withStub(dirname(hit.path), name) }
    : { name: dotted, path: hit.path, kind: 'source' };
  return { kind: 'module', file, entry: dirname(hit.path) };
};

const withStub = (dir: string, name: string) => {
  const stub = stubFor(dir, name, false);
  return stub ? { stub } : {};
};

/** setuptools NAMESPACES portions join a namespace package (its path hook sits last on sys.path). */
const withEditableNamespace = (found: Found | null, mappings: EditableMapping[], dotted: string): Found | null => {
  if (found && found.kind !== 'namespace') return found;
  const extra = mappings.filter((m) => m.namespace && m.name === dotted && isDir(m.path)).map((m) => m.path);
  if (extra.length === 0) return found;
  const dirs = [...(found?.dirs ?? []), ...extra.filter((d) => !found?.dirs.includes(d))];
  return { kind: 'namespace', dirs, entry: found?.entry ?? dirname(extra[0]) };
};

const viaOf = (
  found: Found,
  entry: SearchEntry | undefined,
  editable: EditableMapping | null,
  facts: InterpreterFacts,
) => {
  if (editable) return `editable (${editable.tool} finder ${editable.finder})`;
  if (!entry) return 'sys.path';
  if (entry.origin === 'site') return 'site-packages';
  if (entry.origin === 'pth') return `.pth path entry (${entry.pth})`;
  const path = found.kind === 'module' ? found.file.path : found.dirs[0];
  return within(path, facts.stdlib) || within(path, facts.platstdlib) ? 'stdlib' : 'sys.path (PYTHONPATH)';
};

export const locateTarget = async (
  target: string,
  facts: InterpreterFacts | null,
  options: { cwd: string },
): Promise<LocatedTarget> => {
  if (isPathTarget(target, options.cwd)) return locatePath(target, options.cwd, facts?.extensionSuffixes ?? null);
  if (!isImportName(target))
    throw new TargetNotFoundError(
      `not an import name or path: ${JSON.stringify(target)}`,
      'give an import name (sglang.srt) or a path to a directory or .py file',
    );
  if (!facts) throw new InterpreterError(`finding ${target} needs an interpreter`, HINT);

  const { entries, editables } = searchPath(facts);
  const suffixes = facts.extensionSuffixes;
  const parts = target.split('.');
  const diagnostics: string[] = [];

  let found = withEditableNamespace(
    findIn(
      entries.map((e) => e.path),
      parts[0],
      parts[0],
      suffixes,
    ),
    editables,
    parts[0],
  );
  let editable: EditableMapping | null = null;
  if (!found) {
    found = fromEditable(editables, parts[0], suffixes);
    if (found) editable = editables.find((m) => m.name === parts[0] && !m.namespace) ?? null;
  } else {
    const shadowed = editables.find((m) => m.name === parts[0] && !m.namespace);
    if (shadowed)
      diagnostics.push(
        `${parts[0]}: found on sys.path before the editable install of ${shadowed.finder}, as Python would`,
      );
  }
  if (!found) {
    const close = closestNames(
      entries.map((e) => e.path),
      parts[0],
    );
    throw new TargetNotFoundError(
      `${parts[0]} is not installed for ${facts.executable} (Python ${facts.version})` +
        (close.length ? `; closest: ${close.join(', ')}` : ''),
      HINT,
    );
  }
  const entry = entries.find((e) => e.path === found?.entry);
  const via = viaOf(found, entry, editable, facts);

  // Submodules: the parent's directories (its __path__), then an editable finder for the dotted name.
  for (let i = 1; i < parts.length; i++) {
    const dotted = parts.slice(0, i + 1).join('.');
    const parent: Found = found;
    if (parent.kind === 'module')
      throw new TargetNotFoundError(
        `${parts.slice(0, i).join('.')} is a module (${parent.file.path}), not a package: it has no ${parts[i]}`,
        `scan ${parts.slice(0, i).join('.')} itself`,
      );
    const next = withEditableNamespace(findIn(parent.dirs, parts[i], dotted, suffixes), editables, dotted);
    const resolved = next ?? fromEditable(editables, dotted, suffixes);
    if (!resolved) {
      const close = closestNames(parent.dirs, parts[i]);
      throw new TargetNotFoundError(
        `${parts.slice(0, i).join('.')} (${parent.dirs.join(', ')}) has no module ${parts[i]}` +
          (close.length ? `; closest: ${close.join(', ')}` : ''),
        `check the name with: patchkit scan ${parts.slice(0, i).join('.')}`,
      );
    }
    found = resolved;
  }

  let files: ModuleFile[];
  let root: string;
  if (found.kind === 'module') {
    files = [found.file];
    root = found.file.path;
  } else {
    // The oracle names files relative to the root's parent; the root itself then stands for the
    // full dotted target (an editable MAPPING may point `pkg` at a directory named `lib`).
    const lists = await Promise.all(
      found.dirs.map(async (d) => (await walkModules(d, suffixes)).map((f) => renamed(f, basename(d), target))),
    );
    files = lists.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    root = found.dirs[0];
    if (found.kind === 'namespace')
      diagnostics.push(
        `${target} is a namespace package (PEP 420) in ${found.dirs.length} portion(s): ${found.dirs.join(', ')}`,
      );
  }
  const portions = found.kind === 'module' ? [dirname(root)] : found.dirs;
  return {
    name: target,
    topLevel: parts[0],
    root,
    files,
    portions,
    distribution: via === 'stdlib' ? null : findDistribution(facts.siteDirs, parts),
    via,
    diagnostics,
  };
};

/** `lib.x` → `pkg.x` when directory `lib` is where package `pkg` lives. */
const renamed = (file: ModuleFile, rootName: string, dotted: string): ModuleFile => {
  const rest = file.name === rootName ? '' : file.name.slice(rootName.length);
  return { ...file, name: dotted + rest };
};
