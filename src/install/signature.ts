/**
 * Signatures compared as parsed, not as written: the text is split into Python tokens (string
 * literals whole, comments dropped, whitespace ignored) and a trailing comma of the parameter list
 * itself is dropped, so `(a,  # first\n b = 1,\n)` and `(a, b=1)` are the same signature while a new
 * parameter, kind marker (`*`, `/`), default or annotation is a different one.
 */
import { stripComments } from '../scan/text.js';

const TOKEN =
  /[rRbBuUfF]{0,2}(?:'''[\s\S]*?'''|"""[\s\S]*?"""|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")|\w+|\*\*|->|[^\s\w]/g;

export const signatureTokens = (signature: string): string[] => {
  const text = stripComments(signature);
  const tokens: string[] = [];
  let depth = 0;
  for (const m of text.matchAll(new RegExp(TOKEN.source, 'g'))) {
    const token = m[0];
    if (token === '(' || token === '[' || token === '{') depth++;
    if (token === ')' || token === ']' || token === '}') {
      // The comma before the list's own closing bracket is formatting; one inside a default is a tuple.
      if (depth === 1 && tokens[tokens.length - 1] === ',') tokens.pop();
      depth--;
    }
    tokens.push(token);
  }
  return tokens;
};

/** The signature as one canonical string: equal exactly when the parsed parameters are. */
export const canonicalSignature = (signature: string): string => signatureTokens(signature).join(' ');

export const sameSignature = (a: string, b: string): boolean => canonicalSignature(a) === canonicalSignature(b);

/**
 * A definition's text split at the colon that ends its `def`/`class` header (decorators are part of
 * the header): what a formatting-only edit of the signature touches, and the body it leaves alone.
 */
export const splitHeader = (text: string): { header: string; body: string } => {
  const re = new RegExp(TOKEN.source, 'g');
  const clean = stripComments(text);
  let depth = 0;
  let seenDef = false;
  for (const m of clean.matchAll(re)) {
    const token = m[0];
    if (token === 'def' || token === 'class') seenDef = true;
    if (token === '(' || token === '[' || token === '{') depth++;
    if (token === ')' || token === ']' || token === '}') depth--;
    if (seenDef && depth === 0 && token === ':') {
      // Comments were removed from `clean` only: find the same colon in the original by counting lines.
      const line = clean.slice(0, m.index).split('\n').length;
      const lines = text.split('\n');
      return { header: lines.slice(0, line).join('\n'), body: lines.slice(line).join('\n') };
    }
  }
  return { header: text, body: '' };
};
