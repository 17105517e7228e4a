/**
 * `audit` does not flag patchkit's own `.pth` line (long, and it contains exec()), so the line is
 * recognised by re-rendering the names it holds: a look-alike that smuggles anything else in must
 * be flagged like any other start-up code.
 */
import { describe, expect, it } from 'vitest';
import { flagLine } from '../../src/audit/flags.js';
import { isInjectorLine } from '../../src/audit/injector-line.js';
import { buildModel } from '../../src/generate/model.js';
import { render } from '../../src/generate/render.js';
import { loadTemplates } from '../../src/generate/templates.js';
import { FIXTURE_INPUT } from '../generate/fixture-model.js';

const realLine = async () =>
  (render(buildModel(FIXTURE_INPUT), await loadTemplates()).get('fixture_patch_injector.pth') ?? '').trim();

describe('audit: patchkit injector look-alikes', () => {
  it('recognises the real line, however many modules it watches', async () => {
    const line = await realLine();
    expect(isInjectorLine(line)).toBe(true);
    expect(flagLine(line)).toEqual([]);
    const many = line.replaceAll(
      "{'pkg', 'pkg.cli', 'pkg.mod'}",
      `{${['a', 'b.c', 'caf\\xe9', 'pkg'].map((m) => `'${m}'`).join(', ')}}`,
    );
    expect(many).not.toBe(line);
    expect(isInjectorLine(many)).toBe(true);
  });

  it('flags a line whose exec string, names or set carry anything else', async () => {
    const line = await realLine();
    const variants = [
      line.replace('from fixture_patch_loader import adopt', 'import base64; exec(base64.b64decode(b"cHJpbnQoMSk="))'),
      line.replace("{'pkg', 'pkg.cli', 'pkg.mod'}", "{'pkg', __import__('socket').gethostname()}"),
      // The two watch sets or the loader names disagree: not something patchkit renders.
      line.replace("{'pkg', 'pkg.cli', 'pkg.mod'}", "{'pkg'}"),
      line.replace("stub.patchkit = 'fixture_patch_loader'", "stub.patchkit = 'other_patch_loader'"),
      `${line}; import subprocess`,
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(line);
      expect(isInjectorLine(variant)).toBe(false);
    }
    // Not recognised means judged by the ordinary rules: the long exec() line is flagged.
    for (const variant of variants) expect(flagLine(variant).map((f) => f.code)).toContain('decodes-or-execs-payload');
  });
});
