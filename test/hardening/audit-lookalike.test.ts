/**
 * `audit` does not flag patchkit's own `.pth` line, `import <name>_patch_injector`, even when the
 * bundle's name contains a word the rules flag; a look-alike that puts anything else on the line must
 * be flagged like any other start-up code.
 */
import { describe, expect, it } from 'vitest';
import { flagLine } from '../../src/audit/flags.js';
import { isInjectorLine } from '../../src/audit/injector-line.js';
import { buildModel } from '../../src/generate/model.js';
import { render } from '../../src/generate/render.js';
import { loadTemplates } from '../../src/generate/templates.js';
import { FIXTURE_INPUT } from '../generate/fixture-model.js';

const realLine = async (name = FIXTURE_INPUT.name) =>
  (
    render(buildModel({ ...FIXTURE_INPUT, name }), await loadTemplates()).get(`${name}_patch_injector.pth`) ?? ''
  ).trim();

describe('audit: patchkit injector look-alikes', () => {
  it('recognises the real line, whatever the bundle is called', async () => {
    for (const name of ['fixture', 'tokenizer_fix', 'x']) {
      const line = await realLine(name);
      expect(line).toBe(`import ${name}_patch_injector`);
      expect(isInjectorLine(line)).toBe(true);
      expect(flagLine(line)).toEqual([]);
    }
    // The ordinary rules would have flagged the name alone.
    expect(flagLine('import tokenizer_fix_other').map((f) => f.code)).toEqual(['credentials']);
  });

  it('flags a line that carries anything else', async () => {
    const line = await realLine();
    const variants = [
      `${line}; import subprocess`,
      `${line}, base64; exec(base64.b64decode(b"cHJpbnQoMSk="))`,
      'import socket_patch_injector; socket.create_connection(("x", 1))',
      `import ${'__x'}_patch_injector; exec("1")`,
    ];
    for (const variant of variants) {
      expect(isInjectorLine(variant)).toBe(false);
      expect(flagLine(variant)).not.toEqual([]);
    }
    // Names patchkit refuses are not its line either.
    expect(isInjectorLine('import __x_patch_injector')).toBe(false);
    expect(isInjectorLine('import class_patch_injector')).toBe(false);
  });
});
