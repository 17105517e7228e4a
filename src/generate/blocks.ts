/**
 * The core's blocks of definitions: for each module, the text the loader compiles as if it stood in
 * that module's file. A definition keeps upstream's lines byte for byte (string literals included), so
 * it sits under `class` lines with upstream's indentation; a class that upstream indents (inside an
 * `if` at module level) is opened by `if True:`, which the loader looks through.
 */
import type { ContextClass } from './manifest.js';
import type { ModelBlock } from './model.js';
import { BLOCK_END, BLOCK_START } from './validate.js';

const sameClasses = (a: ContextClass[], b: ContextClass[]) =>
  a.length === b.length && a.every((c, i) => c.name === b[i].name && c.indent === b[i].indent);

/** The `class X:` lines that open `classes` (and `if True:` where the outermost is indented). */
const contextLines = (classes: ContextClass[]): string[] => {
  const lines: string[] = [];
  if (classes.length > 0 && classes[0].indent !== '') lines.push('if True:  # upstream defines it inside a block');
  for (const c of classes) lines.push(`${c.indent}class ${c.name}:`);
  return lines;
};

export const renderBlock = (block: ModelBlock): string => {
  const out: string[] = [`${BLOCK_START}${block.module} >>>`];
  for (const code of block.code) out.push(code.replace(/\n$/, ''), '');
  let open: ContextClass[] | null = null;
  for (const d of block.definitions) {
    if (open === null || !sameClasses(open, d.classes) || d.classes.length === 0) {
      if (open !== null) out.push('', ''); // two blank lines between top-level statements, as PEP 8 has it
      out.push(...contextLines(d.classes));
      open = d.classes;
    } else out.push('');
    out.push(d.source.replace(/\n$/, ''));
  }
  out.push(`${BLOCK_END}${block.module} <<<`);
  return `${out.join('\n')}\n`;
};

export const renderBlocks = (blocks: ModelBlock[]): string => blocks.map(renderBlock).join('\n\n');
