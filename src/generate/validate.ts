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

/** ASCII only: the bundle name reaches the `.pth` line (read in the locale's encoding) and env var names. */
const ASCII_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * PEP 3131 identifiers, for module names and qualnames: generated code carries them in escaped ASCII
 * literals, or raw in comments and docstrings of the UTF-8 source, so any identifier Python accepts is
 * safe to emit — but only in NFKC form: Python folds `ﬁx` to `fix` when it parses a def, so the raw
 * spelling is not the name found at run time.
 */
const UNICODE_IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
/** Templates use `__PATCHKIT_X__` placeholders; text holding one cannot be substituted into them. */
const PLACEHOLDER = '__PATCHKIT';

/** JSON-quoted and cut to 80 characters: a 10k-character input must not make a 10k-character message. */
export const quoted = (text: string): string => {
  const chars = Array.from(text);
  return chars.length <= 80
    ? JSON.stringify(text)
    : `${JSON.stringify(chars.slice(0, 60).join(''))}… (${chars.length} characters)`;
};

export const isIdentifier = (text: string): boolean =>
  UNICODE_IDENTIFIER.test(text) && text.normalize('NFKC') === text && !KEYWORDS.has(text);

/** Why `text` is not an identifier patchkit can target, or null. */
const identifierProblem = (text: string): string | null => {
  if (KEYWORDS.has(text)) return `${quoted(text)} is a Python keyword`;
  if (!UNICODE_IDENTIFIER.test(text)) return null;
  const folded = text.normalize('NFKC');
  if (folded !== text)
    return `${quoted(text)} is not in NFKC form: Python reads it as ${quoted(folded)}, so it cannot be matched at run time`;
  return null;
};

/** A ValidationError for a dotted name, naming the part that is wrong. */
const dottedError = (text: string, what: string, expected: string): ValidationError => {
  const reason = text
    .split('.')
    .map(identifierProblem)
    .find((p) => p !== null);
  return new ValidationError(
    reason ? `${what} ${quoted(text)} cannot be targeted: ${reason}` : `${what} ${quoted(text)} is not ${expected}`,
  );
};

const dotted = (text: string): boolean => text.length > 0 && text.split('.').every(isIdentifier);

/** The bundle name: becomes file names, module names and (upper-cased) environment variable prefixes. */
export const validateName = (name: string): string => {
  if (!ASCII_IDENTIFIER.test(name) || KEYWORDS.has(name) || name.length > 64) {
    const why = KEYWORDS.has(name)
      ? 'it is a Python keyword'
      : name.length > 64
        ? `it has ${Array.from(name).length} characters, at most 64 are allowed`
        : UNICODE_IDENTIFIER.test(name)
          ? 'only ASCII letters, digits and _ are allowed: it names the .pth import line, which site.py reads in the locale encoding, and environment variables'
          : 'only ASCII letters, digits and _ are allowed, not starting with a digit';
    throw new ValidationError(`bundle name ${quoted(name)} is not a Python identifier usable as a bundle name: ${why}`);
  }
  if (name.startsWith('__') || /^_+$/.test(name) || name.includes(PLACEHOLDER)) {
    throw new ValidationError(
      `bundle name ${quoted(name)} must not start with "__"`,
      'pick a plain name like "myhook"',
    );
  }
  return name;
};

export const validateModule = (module: string, what = 'module'): string => {
  if (module.length > 512) throw new ValidationError(`${what} ${quoted(module)} is longer than 512 characters`);
  if (!dotted(module) || module.includes(PLACEHOLDER)) throw dottedError(module, what, 'a dotted Python module name');
  return module;
};

export const validateQualname = (qualname: string): string => {
  if (qualname.length > 512) throw new ValidationError(`qualname ${quoted(qualname)} is longer than 512 characters`);
  if (!dotted(qualname) || qualname.includes(PLACEHOLDER)) {
    throw dottedError(
      qualname,
      'qualname',
      'a dotted sequence of Python identifiers (nested functions cannot be patched)',
    );
  }
  return qualname;
};

/**
 * Text that lands in a `#` comment: one line for Python's tokenizer and for every editor (no line or
 * paragraph separators, no control characters). Quotes and backslashes are harmless in a comment.
 */
export const validateCommentText = (text: string, what: string): string => {
  // A lone surrogate cannot be written as UTF-8: the file would hold U+FFFD instead of the text.
  if (LINE_BREAK.test(text) || /[\0-\x08\x0e-\x1f\x7f]|[\ud800-\udfff]/u.test(text) || text.length > 100_000) {
    throw new ValidationError(`${what} ${quoted(text)} cannot go into a comment (line breaks or control characters)`);
  }
  if (text.includes(PLACEHOLDER))
    throw new ValidationError(`${what} ${quoted(text)} holds "${PLACEHOLDER}", patchkit's template placeholder prefix`);
  return text;
};

/** The marker lines that delimit a module's block of definitions in the core (the loader splits on them). */
export const BLOCK_START = '# >>> patchkit: definitions in ';
export const BLOCK_END = '# <<< patchkit: definitions in ';

/**
 * Python source copied into a block of the core (upstream's definition, or a diff's new text): it is
 * code by nature, so it is checked for what would break the file rather than escaped — no marker line
 * that would end or open a block early, no NUL or lone surrogate (the file is written as UTF-8), and
 * every line ends with a newline.
 */
export const validateBlockText = (text: string, what: string): string => {
  // With the u flag a surrogate class matches only lone surrogates (a pair is one code point).
  if (/\0|[\ud800-\udfff]/u.test(text)) throw new ValidationError(`${what} holds a NUL character or a lone surrogate`);
  if (!text.endsWith('\n')) throw new ValidationError(`${what} does not end with a line break`);
  for (const line of text.split('\n')) {
    if (line.startsWith(BLOCK_START) || line.startsWith(BLOCK_END))
      throw new ValidationError(`${what} holds a patchkit block marker line: ${quoted(line)}`);
  }
  return text;
};

export const validateHash = (hash: string, what: string): string => {
  if (!/^[0-9a-f]{16}$/.test(hash)) throw new ValidationError(`${what} ${quoted(hash)} is not 16 hex digits`);
  return hash;
};

export const validateDistribution = (name: string, version: string | null): void => {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/.test(name) || name.includes(PLACEHOLDER)) {
    throw new ValidationError(`distribution name ${quoted(name)} is not a valid distribution name`);
  }
  if (version !== null && (!/^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,127}$/.test(version) || version.includes(PLACEHOLDER))) {
    throw new ValidationError(`distribution version ${quoted(version)} is not a version`);
  }
};

export const validateLine = (line: number, what: string): number => {
  if (!Number.isSafeInteger(line) || line < 1) throw new ValidationError(`${what} ${line} is not a line number`);
  return line;
};

export const validateOneOf = <T extends string>(value: string, allowed: readonly T[], what: string): T => {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${what} ${quoted(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
};
