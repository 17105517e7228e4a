/** The diff parser and the exact-context applier on the shapes real diffs take. */
import { describe, expect, it } from 'vitest';
import { applyHunks } from '../../src/diff/apply.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import { ValidationError } from '../../src/errors.js';

const MAIL = `From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH] Fix it

--- a line in the message that is not a diff header
---
 pkg/x.py | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/pkg/x.py b/pkg/x.py
index 1111111..2222222 100644
--- a/pkg/x.py
+++ b/pkg/x.py
@@ -1,3 +1,3 @@ def f():
 a

-b
+c
-- 
2.39.2

`;

const name = (i: number) => ({ file: 'x.py', number: i + 1, index: i });

describe('parseUnifiedDiff', () => {
  it('reads a format-patch mail: the message is skipped, an empty line is blank context, the signature is not a hunk line', () => {
    const [file] = parseUnifiedDiff(MAIL);
    expect(file).toMatchObject({ oldPath: 'a/pkg/x.py', newPath: 'b/pkg/x.py', status: 'modified', binary: false });
    expect(file.hunks).toEqual([
      {
        header: '@@ -1,3 +1,3 @@ def f():',
        oldStart: 1,
        oldLines: 3,
        newStart: 1,
        newLines: 3,
        lines: [' a', ' ', '-b', '+c'],
        oldNoNewline: false,
        newNoNewline: false,
        diffLine: 15,
      },
    ]);
  });

  it('reads CRLF diffs as LF, and "\\ No newline at end of file" on either side', () => {
    const diff = '--- a/x.py\r\n+++ b/x.py\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n\\ No newline at end of file\r\n+c\r\n';
    const [file] = parseUnifiedDiff(diff);
    expect(file.hunks[0]).toMatchObject({ lines: [' a', '-b', '+c'], oldNoNewline: true, newNoNewline: false });
    expect(applyHunks('a\nb', file.hunks, name).text).toBe('a\nc\n');
    const both = parseUnifiedDiff(
      '--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n',
    );
    expect(both[0].hunks[0]).toMatchObject({ oldNoNewline: true, newNoNewline: true });
    expect(applyHunks('a', both[0].hunks, name).text).toBe('b');
    // The hunk says the file ends with a newline; it does not: not exact.
    expect(() =>
      applyHunks('a\nb', parseUnifiedDiff('--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n')[0].hunks, name),
    ).toThrow(/ends without a newline there/);
  });

  it('reads git renames, copies, new and deleted files, binary changes and quoted paths', () => {
    const diff = [
      'diff --git a/old.py b/new.py',
      'similarity index 90%',
      'rename from old.py',
      'rename to new.py',
      'index 1111111..2222222 100644',
      '--- a/old.py',
      '+++ b/new.py',
      '@@ -1 +1 @@',
      '-x = 1',
      '+x = 2',
      'diff --git a/moved.py b/there.py',
      'similarity index 100%',
      'rename from moved.py',
      'rename to there.py',
      'diff --git a/n.py b/n.py',
      'new file mode 100644',
      'index 0000000..3333333',
      '--- /dev/null',
      '+++ b/n.py',
      '@@ -0,0 +1 @@',
      '+y = 1',
      'diff --git a/d.py b/d.py',
      'deleted file mode 100644',
      '--- a/d.py',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-z = 1',
      'diff --git a/img.png b/img.png',
      'Binary files a/img.png and b/img.png differ',
      'diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"',
      '--- "a/caf\\303\\251.py"',
      '+++ "b/caf\\303\\251.py"',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '',
    ].join('\n');
    expect(parseUnifiedDiff(diff).map((f) => [f.status, f.oldPath, f.newPath, f.binary, f.hunks.length])).toEqual([
      ['renamed', 'a/old.py', 'b/new.py', false, 1],
      ['renamed', 'moved.py', 'there.py', false, 0],
      ['added', null, 'b/n.py', false, 1],
      ['deleted', 'a/d.py', null, false, 1],
      ['modified', 'a/img.png', 'b/img.png', true, 0],
      ['modified', 'a/café.py', 'b/café.py', false, 1],
    ]);
    expect(applyHunks('', parseUnifiedDiff(diff)[2].hunks, name).text).toBe('y = 1\n');
  });

  it('refuses a truncated hunk and a body longer than its header, with the diff line', () => {
    expect(() => parseUnifiedDiff('--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n a\n-b\n')).toThrow(
      /the diff ends inside a hunk: "@@ -1,3 \+1,3 @@" \(diff line 3\) expects 3 old and 3 new lines, found 2 and 1/,
    );
    expect(() => parseUnifiedDiff('--- a/x.py\n+++ b/x.py\n@@ -1,1 +1,2 @@\n a\n-b\n+c\n')).toThrow(ValidationError);
  });
});

describe('applyHunks (exact context)', () => {
  const source = ['def f():', '    return 1', '', 'def g():', '    return 2', ''].join('\n');
  const hunk = (oldStart: number) =>
    parseUnifiedDiff(
      `--- a/x.py\n+++ b/x.py\n@@ -${oldStart},2 +${oldStart},2 @@\n def g():\n-    return 2\n+    return 3\n`,
    )[0].hunks;

  it('applies at the stated line', () => {
    expect(applyHunks(source, hunk(4), name)).toEqual({ text: source.replace('return 2', 'return 3'), offsets: [0] });
  });

  it('applies where the old lines moved when that place is unique, and says by how much', () => {
    expect(applyHunks('# a new first line\n' + source, hunk(4), name).offsets).toEqual([1]);
  });

  it('refuses when they are nowhere, or in two places: file, hunk number, diff index and header', () => {
    expect(() => applyHunks(source.replace('return 2', 'return 9'), hunk(4), name)).toThrow(
      'x.py: hunk 1 (diff hunk #0) "@@ -4,2 +4,2 @@" does not apply: line 5 is "    return 9", the diff expects "    return 2", and its lines appear nowhere else after the previous hunk',
    );
    const doubled = 'x\n' + 'def g():\n    return 2\n'.repeat(2);
    expect(() => applyHunks(doubled, hunk(1), name)).toThrow(/appear in more than one other place/);
  });
});
