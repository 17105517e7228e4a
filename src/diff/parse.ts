/**
 * Unified diffs as `git diff`, `git format-patch` (a mail whose diff follows the message) and
 * `diff -u` write them, parsed into files and hunks. Written here rather than taken from jsdiff:
 * its `parsePatch` drops the hunk's section text (`@@ … @@ def load_model(self):`), which the plan
 * shows for every hunk, and reads a format-patch signature (`-- ` then the git version) as a hunk
 * line. Hunks are read by their counts, as `git apply` does, so what follows the last one (a mail
 * signature, the next patch of a series) is never taken for part of it.
 */
import { ValidationError } from '../errors.js';

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ section` line as written. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Body lines with their ' ', '-' or '+' prefix, without newline; `\ No newline` markers are not kept. */
  lines: string[];
  /** The last old (new) line of the file has no newline: a `\ No newline at end of file` followed it. */
  oldNoNewline: boolean;
  newNoNewline: boolean;
  /** 1-based line of the header in the diff text, for messages. */
  diffLine: number;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

export interface FileDiff {
  /** Paths as the diff spells them (prefixes such as `a/` kept); null for /dev/null. */
  oldPath: string | null;
  newPath: string | null;
  status: FileStatus;
  /** `Binary files … differ` or a `GIT binary patch`: no hunks to apply. */
  binary: boolean;
  hunks: DiffHunk[];
  /** 1-based line where this file's section starts. */
  diffLine: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
const GIT_HEADER = /^diff --git /;
const EXTENDED =
  /^(old mode|new mode|deleted file mode|new file mode|similarity index|dissimilarity index|rename from|rename to|copy from|copy to|index) ?(.*)$/;

/** git writes a path with unusual bytes as a C string: "a/caf\303\251.py". */
const unquote = (text: string): string => {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return Buffer.from(bytes).toString('utf8');
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const next = text[++i] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = text.slice(i, i + 3);
      bytes.push(parseInt(octal, 8));
      i += octal.length - 1;
    } else if (next in simple) bytes.push(simple[next]);
    else throw new ValidationError(`bad escape in quoted diff path ${text}`);
  }
  throw new ValidationError(`unterminated quoted diff path ${text}`);
};

/** `--- a/x.py\t2024-01-01 …` → `a/x.py`; `/dev/null` → null. */
const headerPath = (rest: string): string | null => {
  const path = rest.startsWith('"') ? unquote(rest.trimEnd()) : rest.split('\t')[0].trimEnd();
  return path === '/dev/null' ? null : path;
};

/** `diff --git a/x b/y`, for sections without ---/+++ lines (a pure rename or mode change). */
const gitHeaderPaths = (line: string): [string | null, string | null] => {
  const rest = line.slice('diff --git '.length);
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    return end < 0 ? [null, null] : [unquote(rest.slice(0, end + 1)), unquote(rest.slice(end + 2))];
  }
  // Equal halves (`a/p b/p`) are the usual case; otherwise split before the last ` b/`.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3))
    return [rest.slice(0, half), rest.slice(half + 1)];
  const split = rest.lastIndexOf(' b/');
  return split < 0 ? [null, null] : [rest.slice(0, split), rest.slice(split + 1)];
};

/** Splits on \n and drops one \r before it: a diff saved with CRLF endings reads as written with LF. */
const splitLines = (text: string): string[] => {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

const readHunk = (lines: string[], at: number, match: RegExpExecArray): { hunk: DiffHunk; next: number } => {
  const oldLines = match[2] === undefined ? 1 : Number(match[2]);
  const newLines = match[4] === undefined ? 1 : Number(match[4]);
  const hunk: DiffHunk = {
    header: lines[at],
    oldStart: Number(match[1]),
    oldLines,
    newStart: Number(match[3]),
    newLines,
    lines: [],
    oldNoNewline: false,
    newNoNewline: false,
    diffLine: at + 1,
  };
  let oldSeen = 0;
  let newSeen = 0;
  let i = at + 1;
  const where = () => `diff line ${i + 1} (hunk ${JSON.stringify(hunk.header)} at diff line ${at + 1})`;
  while (oldSeen < oldLines || newSeen < newLines) {
    if (i >= lines.length)
      throw new ValidationError(
        `the diff ends inside a hunk: ${JSON.stringify(hunk.header)} (diff line ${at + 1}) expects ` +
          `${oldLines} old and ${newLines} new lines, found ${oldSeen} and ${newSeen}`,
        'the diff is truncated or was edited by hand; regenerate it',
      );
    const line = lines[i];
    // An empty line is blank context: editors and mailers strip the lone space of one.
    const tag = line === '' ? ' ' : line[0];
    const body = line === '' ? ' ' : line;
    if (tag === ' ') {
      oldSeen++;
      newSeen++;
    } else if (tag === '-') oldSeen++;
    else if (tag === '+') newSeen++;
    else if (tag === '\\') {
      i++;
      markNoNewline(hunk);
      continue;
    } else throw new ValidationError(`unexpected line in a hunk at ${where()}: ${JSON.stringify(line.slice(0, 80))}`);
    if (oldSeen > oldLines || newSeen > newLines)
      throw new ValidationError(`hunk body longer than its header says at ${where()}`);
    hunk.lines.push(body);
    i++;
  }
  if (lines[i]?.startsWith('\\')) {
    markNoNewline(hunk);
    i++;
  }
  return { hunk, next: i };
};

/** `\ No newline at end of file` applies to the line just before it. */
const markNoNewline = (hunk: DiffHunk) => {
  const last = hunk.lines[hunk.lines.length - 1];
  if (last === undefined) throw new ValidationError(`"\\ No newline" marker before any line in ${hunk.header}`);
  if (last[0] !== '+') hunk.oldNoNewline = true;
  if (last[0] !== '-') hunk.newNoNewline = true;
};

const statusOf = (headers: Map<string, string>, oldPath: string | null, newPath: string | null): FileStatus => {
  if (headers.has('new file mode') || (oldPath === null && newPath !== null)) return 'added';
  if (headers.has('deleted file mode') || (newPath === null && oldPath !== null)) return 'deleted';
  if (headers.has('rename from')) return 'renamed';
  if (headers.has('copy from')) return 'copied';
  return 'modified';
};

/** Every file section of a unified diff, in order. Text outside sections (mail, diffstat) is skipped. */
export const parseUnifiedDiff = (text: string): FileDiff[] => {
  const lines = splitLines(text);
  const files: FileDiff[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const isGit = GIT_HEADER.test(line);
    // A plain `diff -u` section needs ---, +++ and @@ in a row: a commit message may hold a `--- ` line.
    const isPlain =
      line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') && HUNK.test(lines[i + 2] ?? '') === true;
    if (!isGit && !isPlain) {
      i++;
      continue;
    }
    const start = i;
    const headers = new Map<string, string>();
    let [oldPath, newPath]: [string | null, string | null] = [null, null];
    let binary = false;
    if (isGit) {
      [oldPath, newPath] = gitHeaderPaths(line);
      i++;
      for (; i < lines.length; i++) {
        const extended = EXTENDED.exec(lines[i]);
        if (extended) headers.set(extended[1], extended[2]);
        else if (/^Binary files .* differ$/.test(lines[i]) || lines[i] === 'GIT binary patch') binary = true;
        else break;
      }
      if (headers.has('rename from')) oldPath = unquote(headers.get('rename from') ?? '');
      if (headers.has('rename to')) newPath = unquote(headers.get('rename to') ?? '');
      if (headers.has('copy from')) oldPath = unquote(headers.get('copy from') ?? '');
      if (headers.has('copy to')) newPath = unquote(headers.get('copy to') ?? '');
      if (headers.has('new file mode')) oldPath = null;
      if (headers.has('deleted file mode')) newPath = null;
    }
    if (lines[i]?.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      oldPath = headerPath(lines[i].slice(4));
      newPath = headerPath(lines[i + 1].slice(4));
      i += 2;
    }
    const hunks: DiffHunk[] = [];
    for (;;) {
      const match = HUNK.exec(lines[i] ?? '');
      if (!match) break;
      const read = readHunk(lines, i, match);
      hunks.push(read.hunk);
      i = read.next;
    }
    if (oldPath === null && newPath === null)
      throw new ValidationError(`diff line ${start + 1}: a file section without a path`, 'check the diff format');
    files.push({ oldPath, newPath, status: statusOf(headers, oldPath, newPath), binary, hunks, diffLine: start + 1 });
  }
  return files;
};
