/**
 * Every string that reaches generated code goes through here first. The literal encoder would keep
 * Python safe anyway; validation keeps the bundle meaningful (a module name must be importable) and
 * fails before anything is written.
 */
import { ValidationError } from '../errors.js';

/** Hard keywords of Python 3.8–3.14 (soft keywords such as `match`/`type` are valid names). */
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

export const isIdentifier = (text: string): boolean => IDENTIFIER.test(text) && !KEYWORDS.has(text);

const dotted = (text: string): boolean => text.length > 0 && text.split('.').every(isIdentifier);

/** The bundle name: becomes file names, module names and (upper-cased) environment variable prefixes. */
export const validateName = (name: string): string => {
  if (!isIdentifier(name) || name.length > 64) {
    throw new ValidationError(
      `bundle name ${JSON.stringify(name)} is not a Python identifier (ASCII letters, digits, _; not a keyword; at most 64 characters)`,
    );
  }
  if (name.startsWith('__') || /^_+$/.test(name) || name.includes('__PATCHKIT')) {
    throw new ValidationError(
      `bundle name ${JSON.stringify(name)} must not start with "__"`,
      'pick a plain name like "myhook"',
    );
  }
  return name;
};

export const validateModule = (module: string, what = 'module'): string => {
  if (!dotted(module) || module.length > 512 || module.includes('__PATCHKIT')) {
    throw new ValidationError(`${what} ${JSON.stringify(module)} is not a dotted Python module name`);
  }
  return module;
};

export const validateQualname = (qualname: string): string => {
  if (!dotted(qualname) || qualname.length > 512 || qualname.includes('__PATCHKIT')) {
    throw new ValidationError(
      `qualname ${JSON.stringify(qualname)} is not a dotted sequence of Python identifiers (nested functions cannot be patched)`,
    );
  }
  return qualname;
};

/** Text that lands in a comment or docstring: one line, printable. */
export const validateCommentText = (text: string, what: string): string => {
  if (LINE_BREAK.test(text) || /[\0-\x08\x0e-\x1f\x7f]/.test(text) || text.includes('"""') || text.length > 2000) {
    throw new ValidationError(
      `${what} ${JSON.stringify(text)} cannot go into a comment (line breaks or control characters)`,
    );
  }
  return text;
};

export const validateHash = (hash: string, what: string): string => {
  if (!/^[0-9a-f]{16}$/.test(hash)) throw new ValidationError(`${what} ${JSON.stringify(hash)} is not 16 hex digits`);
  return hash;
};

export const validateDistribution = (name: string, version: string | null): void => {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/.test(name)) {
    throw new ValidationError(`distribution name ${JSON.stringify(name)} is not a valid distribution name`);
  }
  if (version !== null && !/^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,127}$/.test(version)) {
    throw new ValidationError(`distribution version ${JSON.stringify(version)} is not a version`);
  }
};

export const validateLine = (line: number, what: string): number => {
  if (!Number.isSafeInteger(line) || line < 1) throw new ValidationError(`${what} ${line} is not a line number`);
  return line;
};

export const validateOneOf = <T extends string>(value: string, allowed: readonly T[], what: string): T => {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${what} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
};
