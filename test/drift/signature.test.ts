/** Signatures compared as parsed: comments and formatting are not changes; parameters, defaults and annotations are. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalSignature, sameSignature, splitHeader } from '../../src/install/signature.js';
import { stripComments } from '../../src/scan/text.js';
import { patchkit } from '../helpers/cli.js';

const V1 = fileURLToPath(new URL('../fixtures/release/v1/relpkg', import.meta.url));

describe('signature comparison', () => {
  it('ignores comments, whitespace and the trailing comma of the parameter list', () => {
    expect(sameSignature('(a,  # the first\n b = 1,\n)', '(a, b=1)')).toBe(true);
    expect(sameSignature('(self, x: "int # not a comment" = 1)', '(self, x: "int # not a comment"=1)')).toBe(true);
    expect(sameSignature('(a) -> int', '(a)->int')).toBe(true);
  });

  it('sees parameters, kinds, defaults and annotations', () => {
    expect(sameSignature('(a)', '(a, *, scale=1)')).toBe(false);
    expect(sameSignature('(a, b)', '(a, /, b)')).toBe(false);
    expect(sameSignature('(a=1)', '(a=2)')).toBe(false);
    expect(sameSignature('(a: int)', '(a: str)')).toBe(false);
    // A tuple default keeps its comma: `(1,)` is not `(1)`.
    expect(sameSignature('(a=(1,))', '(a=(1))')).toBe(false);
    expect(sameSignature('(*args, **kwargs)', '(* args, ** kwargs)')).toBe(true);
    expect(canonicalSignature("(a='#')")).toBe("( a = '#' )");
  });

  it('strips comments but not a # inside a string literal', () => {
    expect(stripComments("(a,  # one\n b='#two')  # three")).toBe("(a,  \n b='#two')  ");
    expect(stripComments('("""a # b""", c)  # d')).toBe('("""a # b""", c)  ');
  });

  it('splits a definition at the colon that ends its header', () => {
    const { header, body } = splitHeader('@dec\ndef f(a,  # x:\n      b):\n    return {1: 2}\n');
    expect(header).toBe('@dec\ndef f(a,  # x:\n      b):');
    expect(body).toBe('    return {1: 2}\n');
  });

  it("scan's signature text carries no comments", async () => {
    const r = await patchkit(['scan', V1, '--json', '--no-cache']);
    expect(r.exitCode, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as { modules: { symbols: { qualname: string; signature: string }[] }[] };
    const commented = data.modules.flatMap((m) => m.symbols).find((s) => s.qualname === 'commented');
    expect(commented?.signature).toBe('(a, b)');
  });
});
