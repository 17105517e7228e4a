/**
 * A definition's own source, as `--body replace` puts it into the core: upstream's lines byte for
 * byte (decoded as CPython decodes the file), and the classes it stands in, with their indentation,
 * so that the loader compiles it exactly where upstream has it.
 */
import { ValidationError } from '../errors.js';
import { decodeSource } from '../scan/decode.js';
import type { ContextClass } from './manifest.js';
import type { Resolved } from './resolve.js';

/** Lines start..end (1-based, inclusive) of the file as text, each ending with a line break. */
export const definitionText = (file: Buffer, start: number, end: number): string =>
  `${decodeSource(file)
    .text.split('\n')
    .slice(start - 1, end)
    .join('\n')}\n`;

/** The enclosing classes of a method, outermost first: the class symbols whose lines hold it. */
export const contextClasses = (r: Resolved, file: Buffer): ContextClass[] => {
  const lines = decodeSource(file).text.split('\n');
  const parts = r.symbol.qualname.split('.');
  const out: ContextClass[] = [];
  for (let i = 1; i < parts.length; i++) {
    const qualname = parts.slice(0, i).join('.');
    const owner = r.module.symbols.find(
      (s) => s.kind === 'class' && s.qualname === qualname && s.line <= r.symbol.line && s.endLine >= r.symbol.endLine,
    );
    if (!owner) {
      throw new ValidationError(
        `${r.module.name}:${r.symbol.qualname}: its class ${qualname} was not found around line ${r.symbol.line}`,
      );
    }
    out.push({ name: parts[i - 1], indent: /^[ \t]*/.exec(lines[owner.line - 1] ?? '')?.[0] ?? '' });
  }
  return out;
};

/** What a replacement cannot reproduce exactly is refused before anything is written. */
export const refuseReplacing = (r: Resolved): void => {
  if (r.symbol.overloads?.length)
    throw new ValidationError(
      `${r.module.name}:${r.symbol.qualname} has @overload stubs; replace the implementation by hand or wrap it`,
    );
};
