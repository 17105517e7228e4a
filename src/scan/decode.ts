/**
 * Source bytes → text the way CPython reads them: a UTF-8 BOM, or a PEP 263 coding cookie on
 * one of the first two lines, else UTF-8. tree-sitter ignores cookies, so decoding happens here.
 * Line endings are normalised to \n so that tree-sitter rows equal CPython's line numbers
 * (CPython counts \r\n and a lone \r as one line break).
 */

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export interface Decoded {
  text: string;
  encoding: string;
  problem: string | null;
}

/** Python codec names that WHATWG labels spell differently. */
const normaliseCodec = (name: string): string => {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (n === 'utf8' || n.startsWith('utf-8')) return 'utf-8';
  if (['latin-1', 'latin1', 'iso-latin-1', 'l1', 'iso8859-1', 'iso-8859-1', '8859', 'cp819'].includes(n))
    return 'latin1';
  if (['ascii', 'us-ascii', '646', 'us'].includes(n)) return 'ascii';
  if (n.startsWith('iso8859-')) return `iso-8859-${n.slice(8)}`;
  if (n === 'cp1252' || n === 'windows-1252') return 'windows-1252';
  return n;
};

const findCookie = (bytes: Uint8Array): string | null => {
  let lineStart = 0;
  for (let lineNo = 0; lineNo < 2 && lineStart < bytes.length; lineNo++) {
    let end = bytes.indexOf(0x0a, lineStart);
    if (end < 0) end = bytes.length;
    const line = Buffer.from(bytes.subarray(lineStart, Math.min(end, lineStart + 200))).toString('latin1');
    const match = COOKIE.exec(line);
    if (match) return match[1];
    // PEP 263: the cookie may sit on line 2 only if line 1 is a comment or blank.
    if (!/^[ \t\f]*(#.*)?\r?$/.test(line)) return null;
    lineStart = end + 1;
  }
  return null;
};

const normaliseNewlines = (text: string) => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/** cp1252's 0x80–0x9F; Python leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined (U+FFFD here). */
const CP1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

const decodeCp1252 = (body: Uint8Array, fatal: boolean): string => {
  const latin = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  return latin.replace(/[\u0080-\u009f]/g, (ch) => {
    const mapped = CP1252_HIGH[ch.charCodeAt(0) - 0x80];
    if (fatal && mapped === '\ufffd')
      throw new TypeError(`byte 0x${ch.charCodeAt(0).toString(16)} is undefined in cp1252`);
    return mapped;
  });
};

/**
 * WHATWG's TextDecoder reads the labels `latin1`/`iso-8859-1` and `ascii` as windows-1252 (0x80 → €,
 * and never an error), and Node 20's windows-1252 is really ISO-8859-1 (0x80 → U+0080). Python's
 * codecs are true ISO-8859-1, cp1252 and strict 7-bit ASCII: those three are decoded here.
 */
const decodeWith = (encoding: string, body: Uint8Array, fatal: boolean): string => {
  if (encoding === 'latin1') return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  if (encoding === 'windows-1252') return decodeCp1252(body, fatal);
  if (encoding === 'ascii') {
    const bad = fatal ? body.findIndex((b) => b > 0x7f) : -1;
    if (bad >= 0) throw new TypeError(`byte 0x${body[bad].toString(16)} at offset ${bad} is not ASCII`);
    return new TextDecoder('utf-8').decode(body);
  }
  return new TextDecoder(encoding, { fatal }).decode(body);
};

export const decodeSource = (bytes: Uint8Array): Decoded => {
  let body = bytes;
  let bom = false;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    bom = true;
  }
  const cookie = bom ? null : findCookie(body);
  const encoding = cookie ? normaliseCodec(cookie) : 'utf-8';
  let problem: string | null = body.includes(0) ? 'source contains NUL bytes (CPython refuses to compile it)' : null;
  let text: string;
  try {
    text = decodeWith(encoding, body, true);
  } catch (error) {
    // RangeError: a label TextDecoder does not know (CPython may still: cp037, mac-roman …).
    const unknown = error instanceof RangeError;
    problem = unknown
      ? `unknown or unsupported source encoding ${JSON.stringify(cookie)}; read as latin-1`
      : `not valid ${encoding}; undecodable bytes replaced`;
    text = decodeWith(unknown ? 'latin1' : encoding, body, false);
  }
  return { text: normaliseNewlines(text), encoding, problem };
};
