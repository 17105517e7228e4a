/**
 * Just enough of Python's literal syntax to read what installers generate with `repr()`:
 * string literals (quotes, escapes, r/b/u prefixes, adjacent-literal concatenation), decimal
 * integers, and dicts, lists and tuples of them (the tuples as arrays). Used to read editable finders' MAPPING without executing the finder —
 * anything that is not a plain literal makes the reader give up (null) rather than guess.
 */

export type Literal = string | number | Literal[] | { [key: string]: Literal };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

class Reader {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  /** Whitespace, newlines inside brackets, and `#` comments. */
  skip(): void {
    for (;;) {
      const m = /^(?:[ \t\r\n\f]+|#[^\n]*|\\\r?\n)/.exec(this.text.slice(this.pos, this.pos + 4096));
      if (!m) return;
      this.pos += m[0].length;
    }
  }

  value(): Literal | null {
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') return this.dict();
    if (c === '[' || c === '(') return this.list(c === '[' ? ']' : ')');
    const int = /^-?(?:0|[1-9][0-9]*)(?![0-9A-Za-z_.])/.exec(this.text.slice(this.pos, this.pos + 32));
    if (int) {
      this.pos += int[0].length;
      return Number(int[0]);
    }
    return this.strings();
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  strings(): string | null {
    let out: string | null = null;
    for (;;) {
      this.skip();
      const prefix = /^([rRbBuU]{0,2})(['"])/.exec(this.text.slice(this.pos, this.pos + 3));
      if (!prefix) return out;
      this.pos += prefix[0].length;
      const one = this.string(prefix[2], /r/i.test(prefix[1]));
      if (one === null) return null;
      out = (out ?? '') + one;
    }
  }

  string(quote: string, raw: boolean): string | null {
    const triple = this.text.startsWith(quote.repeat(2), this.pos);
    const end = triple ? quote.repeat(3) : quote;
    if (triple) this.pos += 2;
    let out = '';
    while (this.pos < this.text.length) {
      if (this.text.startsWith(end, this.pos)) {
        this.pos += end.length;
        return out;
      }
      const c = this.text[this.pos];
      if (c === '\n' && !triple) return null;
      if (c !== '\\') {
        out += c;
        this.pos += 1;
        continue;
      }
      const next = this.text[this.pos + 1] ?? '';
      if (raw) {
        out += c + next;
        this.pos += 2;
        continue;
      }
      const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(
        this.text.slice(this.pos + 1, this.pos + 10),
      );
      if (hex) {
        out += String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3], 16));
        this.pos += 1 + hex[0].length;
      } else if (next in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[next];
        this.pos += 2;
      } else {
        out += c + next; // unknown escapes stay as written, like Python
        this.pos += 2;
      }
    }
    return null;
  }

  dict(): Record<string, Literal> | null {
    this.pos += 1;
    const out: Record<string, Literal> = {};
    for (;;) {
      this.skip();
      if (this.text[this.pos] === '}') {
        this.pos += 1;
        return out;
      }
      const key = this.strings();
      this.skip();
      if (key === null || this.text[this.pos] !== ':') return null;
      this.pos += 1;
      const value = this.value();
      if (value === null) return null;
      out[key] = value;
      this.skip();
      if (this.text[this.pos] === ',') this.pos += 1;
      else if (this.text[this.pos] !== '}') return null;
    }
  }

  list(close: string): Literal[] | null {
    this.pos += 1;
    const out: Literal[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === close) {
        this.pos += 1;
        return out;
      }
      const value = this.value();
      if (value === null) return null;
      out.push(value);
      this.skip();
      if (this.text[this.pos] === ',') this.pos += 1;
      else if (this.text[this.pos] !== close) return null;
    }
  }
}

/** Parses the literal that starts at `start` (after skipping blanks); null when it is not a plain literal. */
export const readLiteral = (text: string, start = 0): Literal | null => new Reader(text, start).value();

/**
 * The literal assigned to a module-level name: `NAME = {...}` or `NAME: dict[str, str] = {...}`.
 * Only a line-initial assignment counts, so a mention in a comment or string does not.
 */
export const readAssignment = (source: string, name: string): Literal | null => {
  const m = new RegExp(`^${name}[ \\t]*(?::[^=\\n]*)?=[ \\t]*`, 'm').exec(source);
  return m ? readLiteral(source, m.index + m[0].length) : null;
};

/** Every call `<callee>(<literal>, <literal>, …)` in a source, with its leading literal arguments. */
export const readCalls = (source: string, callee: RegExp): Literal[][] => {
  const calls: Literal[][] = [];
  const pattern = new RegExp(`(?:${callee.source})\\s*\\(`, `${callee.flags.replace('g', '')}g`);
  for (const m of source.matchAll(pattern)) {
    const reader = new Reader(source, (m.index ?? 0) + m[0].length);
    const args: Literal[] = [];
    for (;;) {
      const value = reader.value();
      if (value === null) break;
      args.push(value);
      reader.skip();
      if (source[reader.pos] !== ',') break;
      reader.pos += 1;
    }
    calls.push(args);
  }
  return calls;
};

export const isStringMap = (value: Literal | null): value is Record<string, string> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');
