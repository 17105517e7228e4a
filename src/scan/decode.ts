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
  if (['latin-1', 'latin1', 'iso-latin-1', 'l1', 'iso8859-1', 'iso-8859-1'].includes(n)) return 'latin1';
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
    text = new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch (error) {
    const unknown = error instanceof RangeError;
    problem = unknown
      ? `unknown source encoding ${JSON.stringify(cookie)}; read as latin-1`
      : `not valid ${encoding}; undecodable bytes replaced`;
    text = new TextDecoder(unknown ? 'latin1' : encoding).decode(body);
  }
  return { text: normaliseNewlines(text), encoding, problem };
};
