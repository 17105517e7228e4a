/**
 * planFromDiff: a unified diff → a DiffPlan. Parse the diff, match each file to the module the
 * interpreter would import (its stdlib and site-packages alike), apply the hunks in memory with
 * exact context, read before and after with tree-sitter, and classify every change. Nothing is
 * imported, nothing is written; any hunk that does not apply is a ValidationError (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { queryInterpreter, resolveInterpreter } from '../env/interpreter.js';
import { decodeSource } from '../scan/decode.js';
import { applyHunks, type HunkName } from './apply.js';
import { classifyModule, type LocatedHunk } from './classify.js';
import { matchInstalled, matchNew, moduleIndex } from './match.js';
import { parseUnifiedDiff, type DiffHunk, type FileDiff } from './parse.js';
import type { Change, DiffPlan, ModulePlan, PlanOptions, PlannedHunk } from './plan.js';
import { startupModules } from './startup-modules.js';
import { diffParser, readUnits } from './units.js';

const readInstalled = (path: string, shown: string): string => {
  const decoded = decodeSource(readFileSync(path));
  if (decoded.problem)
    throw new ValidationError(`${shown}: the installed ${path} cannot be read as source: ${decoded.problem}`);
  return decoded.text;
};

/** Old and new line numbers each hunk removes and adds, from where it was applied. */
const locate = (hunks: DiffHunk[], offsets: number[], indices: number[]): LocatedHunk[] => {
  let delta = 0;
  return hunks.map((hunk, i) => {
    const oldAt = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + offsets[i];
    let oldLine = oldAt + 1;
    let newLine = oldAt + delta + 1;
    const removed = new Set<number>();
    const added = new Set<number>();
    for (const line of hunk.lines) {
      if (line[0] === ' ') {
        oldLine++;
        newLine++;
      } else if (line[0] === '-') removed.add(oldLine++);
      else added.add(newLine++);
    }
    delta += hunk.newLines - hunk.oldLines;
    return { index: indices[i], removed, added };
  });
};

/** The first causes, and how many more: a rewritten module has dozens. */
const REASONS_SHOWN = 6;
const reasonText = (reasons: string[]) =>
  reasons.length <= REASONS_SHOWN
    ? reasons.join('; ')
    : `${reasons.slice(0, REASONS_SHOWN).join('; ')}; and ${reasons.length - REASONS_SHOWN} more`;

const isBlankOrComment = (line: string) => /^\s*(#.*)?$/.test(line.slice(1));

export const planDiff = async (options: PlanOptions): Promise<DiffPlan> => {
  const env = options.env ?? process.env;
  const files = parseUnifiedDiff(options.diff);
  if (files.length === 0)
    throw new ValidationError(
      'the diff has no file sections',
      'give a unified diff (git diff, git format-patch, diff -u)',
    );
  if (options.strip !== undefined && (!Number.isInteger(options.strip) || options.strip < 0))
    throw new ValidationError(`--strip must be a whole number, not ${options.strip}`);
  const executable = resolveInterpreter({ python: options.python, cwd: options.cwd, env });
  const facts = await queryInterpreter(executable, env);
  const index = moduleIndex(facts);
  const startup = await startupModules(executable);
  const parser = await diffParser();

  const warnings: string[] = [];
  const hunks: PlannedHunk[] = [];
  const modules: ModulePlan[] = [];
  const seen = new Map<string, string>();

  const register = (file: FileDiff, shown: string, module: string): number[] =>
    file.hunks.map((hunk) => {
      const planned: PlannedHunk = {
        index: hunks.length,
        file: shown,
        module,
        header: hunk.header,
        oldStart: hunk.oldStart,
        oldLines: hunk.oldLines,
        newStart: hunk.newStart,
        newLines: hunk.newLines,
        lines: hunk.lines,
        mechanisms: [],
        appliedOldStart: hunk.oldStart,
      };
      hunks.push(planned);
      return planned.index;
    });
  const nameOf =
    (shown: string, indices: number[]) =>
    (i: number): HunkName => ({ file: shown, number: i + 1, index: indices[i] });
  const claim = (module: string, shown: string) => {
    const earlier = seen.get(module);
    if (earlier !== undefined)
      throw new ValidationError(
        `${shown}: module ${module} is also changed by ${earlier} earlier in the diff (a patch series?)`,
        'give one diff per module: git diff <base>..<tip> instead of the series',
      );
    seen.set(module, shown);
  };

  for (const file of files) {
    const shown = file.newPath ?? file.oldPath ?? '';
    if (![file.oldPath, file.newPath].some((p) => p?.endsWith('.py'))) {
      warnings.push(`${shown}: not a Python module (.py): skipped`);
      continue;
    }
    if (file.binary) throw new ValidationError(`${shown}: a binary change of a Python file cannot be applied`);

    if (file.status === 'added' || file.status === 'renamed' || file.status === 'copied') {
      const target = matchNew(index, file.newPath ?? '', options.strip);
      if (existsSync(join(target.siteDir, target.relpath)))
        throw new ValidationError(
          `${shown}: the diff creates ${target.relpath}, but ${join(target.siteDir, target.relpath)} is installed`,
        );
      let base = '';
      if (file.status !== 'added') {
        const from = matchInstalled(index, file.oldPath ?? '', options.strip);
        base = readInstalled(from.match.path, shown);
        warnings.push(
          `${shown}: ${file.status} from ${from.match.module}; the installed ${from.match.module} stays importable` +
            (file.status === 'renamed' ? ' (a bundle does not delete installed files)' : ''),
        );
      }
      claim(target.module, shown);
      const indices = register(file, shown, target.module);
      const applied = applyHunks(base, file.hunks, nameOf(shown, indices));
      indices.forEach((h, i) => {
        hunks[h].mechanisms = ['new-file'];
        hunks[h].appliedOldStart = file.hunks[i].oldStart + applied.offsets[i];
      });
      modules.push({
        module: target.module,
        path: null,
        alreadyImported: false,
        importedNames: [],
        changes: [
          {
            mechanism: 'new-file',
            module: target.module,
            relpath: target.relpath,
            source: applied.text,
            hunks: indices,
          },
        ],
      });
      continue;
    }

    const { match, warning } = matchInstalled(index, file.oldPath ?? file.newPath ?? '', options.strip);
    if (warning) warnings.push(warning);
    claim(match.module, shown);
    const before = readInstalled(match.path, shown);
    const indices = register(file, shown, match.module);
    const applied = applyHunks(before, file.hunks, nameOf(shown, indices));
    indices.forEach((h, i) => {
      hunks[h].appliedOldStart = file.hunks[i].oldStart + applied.offsets[i];
      if (applied.offsets[i] !== 0)
        warnings.push(
          `${shown}: hunk ${i + 1} ${JSON.stringify(file.hunks[i].header)} applied ${Math.abs(applied.offsets[i])} line(s) ${applied.offsets[i] > 0 ? 'later' : 'earlier'} than its header says (exact context)`,
        );
    });
    if (file.status === 'deleted') {
      warnings.push(
        `${shown}: the diff deletes ${match.module}; it stays installed and importable (a bundle does not delete installed files)`,
      );
      modules.push({
        module: match.module,
        path: match.path,
        alreadyImported: startup.has(match.module),
        changes: [],
        importedNames: [],
      });
      continue;
    }

    const oldUnits = readUnits(parser, before);
    const newUnits = readUnits(parser, applied.text);
    if (newUnits.errorLines.length > 0 && oldUnits.errorLines.length === 0)
      throw new ValidationError(
        `${shown}: the patched ${match.module} does not parse (line ${newUnits.errorLines[0]})`,
        'the diff was made against other sources; regenerate it against the installed ones',
      );
    if (oldUnits.errorLines.length > 0)
      warnings.push(
        `${shown}: tree-sitter finds syntax it cannot read in the installed file (line ${oldUnits.errorLines[0]}): check the plan of this module by hand`,
      );
    const located = locate(file.hunks, applied.offsets, indices);
    const classified = classifyModule(match.module, oldUnits, newUnits, located);

    // Lines no change claims must be comments or blank lines; anything else goes into the overlay.
    const unclaimed = located.filter((h) => !classified.mechanisms.has(h.index));
    const overlay = classified.overlay ?? { reasons: [], hunks: [] };
    for (const h of unclaimed) {
      const planned = hunks[h.index];
      if (classified.mainGuardOnly.includes(h.index)) {
        warnings.push(
          `${shown}: hunk ${planned.index} ${JSON.stringify(planned.header)} changes only the module's \`if __name__ == "__main__":\` block, which does not run on import: nothing to do at run time`,
        );
        continue;
      }
      if (planned.lines.every((l) => l[0] === ' ' || isBlankOrComment(l))) {
        warnings.push(
          `${shown}: hunk ${planned.index} ${JSON.stringify(planned.header)} changes only comments or blank lines: nothing to do at run time`,
        );
        continue;
      }
      overlay.reasons.push(`hunk ${planned.index} changes lines outside any definition or statement`);
      overlay.hunks.push(h.index);
      classified.mechanisms.set(h.index, ['overlay']);
    }
    overlay.hunks.sort((a, b) => a - b);

    // The overlay applies only its own hunks: that text has to parse as well.
    let definitions = classified.definitions;
    let moduleCode = classified.moduleCode;
    if (overlay.hunks.length > 0 && overlay.hunks.length < indices.length) {
      const subset = indices.map((h, i) => ({ h, hunk: file.hunks[i] })).filter(({ h }) => overlay.hunks.includes(h));
      const partial = applyHunks(
        before,
        subset.map(({ h, hunk }) => ({ ...hunk, oldStart: hunks[h].appliedOldStart })),
        (i) => ({ file: shown, number: indices.indexOf(subset[i].h) + 1, index: subset[i].h }),
      );
      if (readUnits(parser, partial.text).errorLines.length > 0) {
        overlay.reasons.push('its hunks alone do not parse, so it takes all of the module');
        overlay.hunks = [...indices];
        for (const h of indices) classified.mechanisms.set(h, ['overlay']);
        definitions = [];
        moduleCode = null;
      }
    }
    for (const [h, mechanisms] of classified.mechanisms) hunks[h].mechanisms = mechanisms;

    const alreadyImported = startup.has(match.module);
    const changes: Change[] = [];
    if (overlay.hunks.length > 0) {
      changes.push({
        mechanism: 'overlay',
        module: match.module,
        path: match.path,
        reason: reasonText(overlay.reasons),
        hunks: overlay.hunks,
      });
      if (alreadyImported)
        warnings.push(
          `${match.module} needs an overlay (${overlay.reasons[0]}), but it is imported at interpreter start-up, before the bundle's loader runs: hunks ${overlay.hunks.join(', ')} cannot be applied`,
        );
    }
    if (moduleCode) changes.push(moduleCode);
    changes.push(
      ...[...definitions].sort(
        (a, b) =>
          (a.line ?? a.upstreamLine ?? 0) - (b.line ?? b.upstreamLine ?? 0) || (a.mechanism < b.mechanism ? -1 : 1),
      ),
    );
    warnings.push(...classified.warnings.map((w) => `${shown}: ${w}`));
    modules.push({
      module: match.module,
      path: match.path,
      alreadyImported,
      changes,
      importedNames: newUnits.moduleImports,
    });
  }
  return { modules, hunks, warnings };
};
