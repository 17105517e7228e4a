/**
 * Risk flags for one executable start-up line, by its text alone (nothing is run or imported). The
 * categories follow what the litellm 1.82.8 `.pth` did: start processes, decode and exec a payload,
 * reach the network, read credentials. Reading one environment variable by name is normal
 * (setuptools' distutils-precedence.pth does it); walking the whole environment is flagged.
 */
import { isInjectorLine } from './injector-line.js';

export type FlagCode = 'spawns-processes' | 'decodes-or-execs-payload' | 'network' | 'credentials';

export interface Flag {
  code: FlagCode;
  /** The words that triggered it. */
  evidence: string[];
}

const RULES: { code: FlagCode; pattern: RegExp }[] = [
  {
    code: 'spawns-processes',
    pattern:
      /\b(subprocess|Popen|os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|os\.fork\w*|posix_spawn\w*|pty\.spawn|multiprocessing)\b/g,
  },
  {
    code: 'decodes-or-execs-payload',
    pattern:
      /\b(base64|b64decode|b32decode|a85decode|exec|eval|compile|marshal|zlib|lzma|bz2|gzip|codecs|fromhex|pickle|rot13)\b/g,
  },
  {
    code: 'network',
    pattern:
      /\b(socket|urllib\d?|urlopen|http\.client|httplib|http|requests|httpx|aiohttp|ftplib|smtplib|telnetlib)\b|\w+:\/\//g,
  },
  {
    code: 'credentials',
    pattern:
      /(\.ssh\b|\.aws\b|\.kube\b|\.netrc\b|\.pypirc\b|\.docker\b|\.gnupg\b|\.git-credentials|id_rsa|id_ed25519|keyring|token|secret|passw(or)?d|credential|api[_-]?key|environ\b(?!\s*(\.get\s*\(|\[|\.setdefault\s*\()))/gi,
  },
];

/** Lines this long are not hand-written start-up code (litellm's was 34 KB). */
const LONG_LINE = 400;

export const flagLine = (text: string): Flag[] => {
  if (isInjectorLine(text)) return []; // patchkit's own stub line: names only, by construction
  const flags: Flag[] = [];
  for (const { code, pattern } of RULES) {
    const evidence = [...new Set([...text.matchAll(pattern)].map((m) => m[0]))];
    if (code === 'decodes-or-execs-payload' && text.length > LONG_LINE) evidence.push(`${text.length}-character line`);
    if (evidence.length > 0) flags.push({ code, evidence: evidence.slice(0, 8) });
  }
  return flags;
};
