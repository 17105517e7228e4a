/**
 * Finds a target's files the way PathFinder would, without importing anything: an import name,
 * a dotted subpackage (only its subtree), a one-file module, an extension module (with its .pyi),
 * or a PEP 420 namespace package spread over several entries.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TargetNotFoundError } from '../errors.js';
import { findDistribution } from './distribution.js';
import type { InterpreterFacts, LocatedTarget, ModuleFile } from './model.js';
import { searchPath } from './search-path.js';
import { walkModules } from './walk.js';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

type Found =
  | { kind: 'package'; dirs: string[]; base: string }
  | { kind: 'namespace'; dirs: string[]; base: string }
  | { kind: 'module'; file: ModuleFile; base: string };

/** One name in a list of directories: package beats module beats namespace portion, per entry, in order. */
const findIn = (dirs: string[], name: string, suffixes: string[], dotted: string): Found | null => {
  const portions: string[] = [];
  let base = '';
  for (const entry of dirs) {
    const pkg = join(entry, name);
    if (isFile(join(pkg, '__init__.py'))) return { kind: 'package', dirs: [pkg], base: entry };
    const ext = suffixes.map((s) => join(entry, `${name}${s}`)).find(isFile);
    if (ext) {
      const stub = join(entry, `${name}.pyi`);
      return {
        kind: 'module',
        file: { name: dotted, path: ext, kind: 'extension', ...(isFile(stub) ? { stub } : {}) },
        base: entry,
      };
    }
    if (isFile(join(entry, `${name}.py`)))
      return { kind: 'module', file: { name: dotted, path: join(entry, `${name}.py`), kind: 'source' }, base: entry };
    if (isDir(pkg)) {
      portions.push(pkg);
      base ||= entry;
    }
  }
  return portions.length ? { kind: 'namespace', dirs: portions, base } : null;
};

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
};

const closestNames = (entries: string[], name: string): string[] => {
  const names = new Set<string>();
  for (const entry of entries) {
    try {
      for (const n of readdirSync(entry)) {
        const stem = n.replace(/\.(py|pyi)$/, '').replace(/\..*\.so$|\.so$/, '');
        if (/^[A-Za-z_]\w*$/.test(stem)) names.add(stem);
      }
    } catch {
      // unreadable entry: skip
    }
  }
  return [...names].sort((a, b) => distance(a, name) - distance(b, name) || (a < b ? -1 : 1)).slice(0, 3);
};

export const locateTarget = async (
  target: string,
  facts: InterpreterFacts,
  _options: { cwd: string },
): Promise<LocatedTarget> => {
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(target)) {
    throw new TargetNotFoundError(
      `not an import name or path: ${JSON.stringify(target)}`,
      'give an import name (sglang.srt), or a path to a directory or .py file',
    );
  }
  const { entries, editables } = searchPath(facts);
  const parts = target.split('.');
  let found = findIn(entries, parts[0], facts.extensionSuffixes, parts[0]);
  let via = found ? (entries.indexOf(found.base) < facts.baseSysPath.length ? 'stdlib' : 'site-packages') : '';
  if ((!found || found.kind === 'namespace') && editables.has(parts[0])) {
    const source = editables.get(parts[0])!;
    found = isDir(source)
      ? { kind: 'package', dirs: [source], base: dirname(source) }
      : { kind: 'module', file: { name: parts[0], path: source, kind: 'source' }, base: dirname(source) };
    via = 'editable (import-hook finder)';
  }
  for (let i = 1; found && i < parts.length; i++) {
    if (found.kind === 'module') {
      found = null;
      break;
    }
    const next = findIn(found.dirs, parts[i], facts.extensionSuffixes, parts.slice(0, i + 1).join('.'));
    found = next ? { ...next, base: found.base } : null;
  }
  if (!found) {
    const close = closestNames(entries, parts[0]);
    throw new TargetNotFoundError(
      `${target} is not installed for ${facts.executable} (Python ${facts.version})${close.length ? `; closest: ${close.join(', ')}` : ''}`,
      'pass --python <exe> for another environment, or activate the venv that has it',
    );
  }
  let files: ModuleFile[];
  let root: string;
  if (found.kind === 'module') {
    files = [found.file];
    root = found.file.path;
  } else {
    // Names relative to the search-path entry, so a dotted subpackage keeps its full dotted names.
    const lists = await Promise.all(
      found.dirs.map((d) => walkModules(d, facts.extensionSuffixes, ancestor(d, parts.length))),
    );
    files = lists.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    root = found.dirs[0];
  }
  return {
    name: target,
    topLevel: parts[0],
    root,
    files,
    portions: found.kind === 'module' ? [dirname(root)] : found.dirs,
    distribution: via === 'stdlib' ? null : findDistribution(facts.siteDirs, parts[0]),
    via,
    diagnostics: [],
  };
};

const ancestor = (dir: string, levels: number): string => {
  let base = dir;
  for (let i = 0; i < levels; i++) base = dirname(base);
  return base;
};
