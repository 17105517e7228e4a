/**
 * Syntax errors that tree-sitter repairs by inserting a MISSING token (`def broken(:` parses as
 * `(parameters (MISSING ")"))`, no ERROR node, `hasError` true) are diagnosed and mark the module
 * low-confidence, like every other syntax error, with both bindings. CPython refuses these files.
 */
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanJson } from '../helpers/oracle.js';
import { PYTHON, tempDir } from '../helpers/python.js';

const CASES: Record<string, { source: string; line: number }> = {
  'missing_paren.py': { source: 'def ok():\n    pass\n\ndef broken(:\n    pass\n', line: 4 },
  'missing_in_class.py': { source: 'class A:\n    def m(self, :\n        pass\n', line: 2 },
};

describe.each(['native', 'wasm'])('a syntax error repaired with a MISSING node, --parser %s', (parser) => {
  for (const [file, { source, line }] of Object.entries(CASES)) {
    it(`${file}: a warning at line ${line}, low confidence`, async () => {
      const dir = await tempDir();
      const path = join(dir, file);
      await writeFile(path, source);
      // The premise: CPython rejects the file.
      const cpython = await execa(PYTHON, ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', path], {
        reject: false,
      });
      expect(cpython.exitCode).not.toBe(0);
      const result = await scanJson([path, '--no-cache', '--parser', parser]);
      expect(result.modules[0].lowConfidence).toBe(true);
      expect(result.diagnostics).toContainEqual(
        expect.objectContaining({ severity: 'warning', path, line, message: expect.stringMatching(/syntax error/) }),
      );
    });
  }
});
