/**
 * `update --drop <key>`: the reviewer's decision that a target is no longer wanted (upstream removed
 * what it patched, or made the fix itself). The target leaves the manifest, its entry leaves the
 * core's TARGETS, and what the loader would run for it leaves its block — a replaced or added
 * definition (with the `class` context lines nothing else stands under), or the module code as
 * patchkit wrote it. A wrapper's factory is user code that nothing runs once its entry is gone: it
 * stays, and the report says so.
 */
import { ValidationError } from '../errors.js';
import { pyStr } from '../generate/literal.js';
import type { ManifestTarget } from '../generate/manifest.js';
import { BLOCK_END, BLOCK_START } from '../generate/validate.js';
import { findDefinition } from './core-definition.js';

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0].length ?? 0;
const isBlank = (line: string) => line.trim() === '';

/** Context lines (`class X:`, `if True:` as blocks.ts writes them) with nothing indented under them are removed. */
const withoutEmptyContexts = (lines: string[]): string[] => {
  let out = lines;
  for (let changed = true; changed;) {
    changed = false;
    let inBlock = false;
    for (let i = 0; i < out.length; i++) {
      const line = out[i];
      if (line.startsWith(BLOCK_START)) inBlock = true;
      else if (line.startsWith(BLOCK_END)) inBlock = false;
      if (!inBlock || !/^[ \t]*(class [A-Za-z_][A-Za-z0-9_]*:|if True:.*)$/.test(line)) continue;
      let next = i + 1;
      while (next < out.length && isBlank(out[next])) next++;
      if (next < out.length && indentOf(out[next]) > indentOf(line) && !out[next].startsWith(BLOCK_END)) continue;
      out = [...out.slice(0, i), ...out.slice(i + 1)];
      changed = true;
      break;
    }
  }
  return out;
};

/** Three or more blank lines in a row (left where a definition was) become two. */
const squeezeBlanks = (lines: string[]): string[] =>
  lines.filter((l, i) => !(isBlank(l) && i >= 2 && isBlank(lines[i - 1]) && isBlank(lines[i - 2])));

export interface Dropped {
  core: string;
  note: string;
}

export const dropTarget = (core: string, t: ManifestTarget): Dropped => {
  const key = `${t.module}:${t.qualname}`;
  const entry = `    ${pyStr(key)}: `;
  let lines = core.split('\n');
  const at = lines.findIndex((l) => l.startsWith(entry));
  if (at < 0) throw new ValidationError(`the core's TARGETS has no entry for ${key}: remove the target by hand`);
  lines.splice(at, 1);
  const how = t.how ?? 'wrap';
  let note = 'dropped';
  if (how === 'replace' || how === 'add') {
    const span = findDefinition(lines.join('\n'), t.module, t.qualname, t.upstream ?? null);
    if (!span)
      throw new ValidationError(
        `the definition of ${key} is not in the core's block for ${t.module}`,
        'remove it from the block by hand, then drop the target again',
      );
    lines.splice(span.start, span.end - span.start);
    lines = squeezeBlanks(withoutEmptyContexts(lines));
    note = 'dropped, with its definition in the core';
  } else if (how === 'module-code' && t.code) {
    const text = lines.join('\n');
    const open = `${BLOCK_START}${t.module} >>>\n`;
    const start = text.indexOf(`${open}${t.code}`);
    if (start < 0)
      throw new ValidationError(
        `the module code of ${t.module} in the core is not as patchkit wrote it`,
        'remove it from the block by hand, then drop the target again',
      );
    const from = start + open.length;
    lines = squeezeBlanks((text.slice(0, from) + text.slice(from + t.code.length)).split('\n'));
    note = 'dropped, with its module code in the core';
  } else if (how === 'wrap') note = 'dropped; its wrapper factory stays in the core, unused';
  return { core: lines.join('\n'), note };
};
