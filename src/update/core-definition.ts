/**
 * Finds the user's version of a replaced definition in the core: inside its module's block (between
 * the `patchkit: definitions in <module>` markers), under the `class` lines of its enclosing classes,
 * the `def`/`class` line of its name at upstream's indentation, with the decorators right above it,
 * through the last line before the next statement at that indentation or less.
 */
import { BLOCK_END, BLOCK_START } from '../generate/validate.js';
import { splitHeader } from '../install/signature.js';

export interface CoreSpan {
  /** 0-based line indexes into the core's lines: [start, end). */
  start: number;
  end: number;
  text: string;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? '';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isBlank = (line: string) => line.trim() === '';

/**
 * `upstream` is the definition's text as upstream has it (its first line gives the indentation); null
 * for a definition the patch adds, found at whatever indentation its `def`/`class` line has.
 */
export const findDefinition = (
  core: string,
  module: string,
  qualname: string,
  upstream: string | null,
): CoreSpan | null => {
  const lines = core.split('\n');
  const open = lines.indexOf(`${BLOCK_START}${module} >>>`);
  const close = lines.indexOf(`${BLOCK_END}${module} <<<`, open + 1);
  if (open < 0 || close < 0) return null;
  const parts = qualname.split('.');
  const name = parts.pop() ?? qualname;
  const given = upstream === null ? null : indentOf(upstream.split('\n')[0]);
  let from = open + 1;
  // The enclosing classes' `class X:` lines, in order, each after the one before.
  for (const owner of parts) {
    const re = new RegExp(`^[ \\t]*class\\s+${escape(owner)}\\b`);
    const at = lines.findIndex((l, i) => i >= from && i < close && re.test(l));
    if (at < 0) return null;
    from = at + 1;
  }
  const head = new RegExp(
    `^${given === null ? '[ \\t]*' : escape(given)}(?:async\\s+)?(?:def|class)\\s+${escape(name)}\\b`,
  );
  const defLine = lines.findIndex((l, i) => i >= from && i < close && head.test(l));
  if (defLine < 0) return null;
  const indent = given ?? indentOf(lines[defLine]);
  let start = defLine;
  while (start - 1 >= from && lines[start - 1].startsWith(`${indent}@`)) start--;
  const headerLines = splitHeader(lines.slice(defLine, close).join('\n')).header.split('\n').length;
  let end = defLine + headerLines;
  for (; end < close; end++) {
    const l = lines[end];
    // Blank and comment lines, and conflict markers update wrote, do not end a definition.
    if (isBlank(l) || l.trimStart().startsWith('#') || /^(<{7}|={7}|>{7})( |$)/.test(l)) continue;
    if (indentOf(l).length <= indent.length) break;
  }
  while (end > defLine + 1 && isBlank(lines[end - 1])) end--;
  return { start, end, text: `${lines.slice(start, end).join('\n')}\n` };
};

/** The core with lines [start, end) replaced by `text` (which ends with a line break). */
export const spliceCore = (core: string, span: CoreSpan, text: string): string => {
  const lines = core.split('\n');
  const replacement = text.replace(/\n$/, '').split('\n');
  return [...lines.slice(0, span.start), ...replacement, ...lines.slice(span.end)].join('\n');
};
