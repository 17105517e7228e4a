/**
 * Python literals for generated code: every string reaches Python as an ASCII-only, single-quoted
 * literal with everything else escaped (repr-like), so no input can end the literal or the line.
 */

export type PyValue = string | number | boolean | null | PyValue[];

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

export const pyStr = (text: string): string => {
  let out = "'";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}'`;
};

/** One-line literal: strings, integers, booleans, None, and arrays as tuples. */
export const pyValue = (value: PyValue): string => {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return pyStr(value);
  if (value.length === 1) return `(${pyValue(value[0])},)`;
  return `(${value.map(pyValue).join(', ')})`;
};

/** A tuple with one element per line (for tables in generated modules). */
export const pyTupleLines = (items: string[], indent = '    '): string =>
  items.length === 0 ? '()' : `(\n${items.map((item) => `${indent}${item},\n`).join('')})`;

/** A dict `{key: expression}` with one entry per line; keys are encoded, values are code already built. */
export const pyDictLines = (entries: [string, string][], indent = '    '): string =>
  entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `${indent}${pyStr(k)}: ${v},\n`).join('')}}`;
