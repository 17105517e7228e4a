/**
 * scan/elide.ts blanks the function bodies extraction does not read: the blanked text keeps every
 * index, the facts drawn from it are those of the original (both bindings, crafted cases and real
 * files), and the lexer leaves alone what it cannot be sure of.
 */
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadParser, type ParserKind, type PythonParser } from '../../src/parser/adapter.js';
import { decodeSource } from '../../src/scan/decode.js';
import { elideBodies } from '../../src/scan/elide.js';
import { extractFacts } from '../../src/scan/extract.js';
import { includedRanges } from '../../src/scan/included.js';
import { blankedTreeCaptures, gatherCaptures, MIN_BODY } from '../../src/scan/gather.js';
import { querySources } from '../../src/scan/queries.js';
import { PYTHON } from '../helpers/python.js';

const filler = (indent: string) => `${indent}value = compute(first_argument, second_argument, third_argument)\n`;

const SAMPLE = [
  'import os\n',
  'def f(a, b):\n',
  '    """Doc."""\n',
  filler('    '),
  '    if a:\n',
  '        return [\n',
  '            1, 2, 3,\n',
  '        ]\n',
  '    return b\n',
  '\n',
  'class C:\n',
  '    def m(self):\n',
  '        # only a comment, pass and ellipsis: interface-only\n',
  '        pass\n',
  '        ...\n',
  '    async def g(self):\n',
  '        for i in range(10):\n',
  filler('            '),
  '        else:\n',
  '            return 1\n',
  '    def lazy(self):\n',
  '        import json\n',
  filler('        '),
  '    def gen(self):\n',
  filler('        '),
  '        yield 1\n',
  'x = 1\n',
].join('');

/** A body that holds imports: the path to each stays, the rest is blanked. */
const LAZY = [
  'def load(kind):\n',
  '    """Doc."""\n',
  filler('    '),
  '    if kind:\n',
  filler('        '),
  '        try:\n',
  '            import json\n',
  '        except ImportError:\n',
  '            json = None\n',
  '    match kind:\n',
  '        case 1:\n',
  '            import csv\n',
  '        case _:\n',
  filler('            '),
  '    for i in range(3):\n',
  filler('        '),
  '    return kind\n',
].join('');

/** How the captures of a blanked text are taken: gather.ts's gaps (pieces of a large module), or one query (scan/file.ts). */
type Way = 'in gaps' | 'in one query';

/** The facts of `parsed` (the source or its blanked text, read less its `holes` as scan/file.ts reads it). */
const facts = (
  parser: PythonParser,
  source: string,
  parsed: string,
  blanked?: number[],
  holes: number[] = [],
  way: Way = 'in gaps',
) =>
  parser.withTree(
    parsed,
    (tree) => {
      const captures = !blanked
        ? gatherCaptures(tree, source)
        : way === 'in gaps'
          ? gatherCaptures(tree, source, MIN_BODY, blanked)
          : blankedTreeCaptures(tree, blanked);
      return captures && extractFacts(source, captures);
    },
    includedRanges(parsed, holes),
  );

describe('elideBodies', () => {
  it('blanks what extraction does not read, keeping every index, line and the bodies that are queried', () => {
    const elided = elideBodies(SAMPLE);
    expect(elided).not.toBeNull();
    const { text, ends } = elided!;
    expect(text.length).toBe(SAMPLE.length);
    expect(text.split('\n').map((l) => l.length)).toEqual(SAMPLE.split('\n').map((l) => l.length));
    expect(ends).toHaveLength(2);
    expect(text).toContain('    """Doc."""\n    (');
    expect(text).not.toContain('compute(first_argument, second_argument, third_argument)\n        else');
    expect(text).toContain('        import json\n');
    expect(text).toContain('        yield 1\n');
    expect(text).toContain('        pass\n        ...\n');
    expect(text.endsWith('\nx = 1\n')).toBe(true);
    for (const end of ends) expect(text[end - 1]).toBe(')');
  });

  it.each([
    ['tabs in indentation', (body: string) => body.replace(/^ {4}/gm, '\t')],
    ["Python 2's except clause", (body: string) => `${body}    try:\n        pass\n    except E, e:\n        pass\n`],
    ['a Python 2 octal', (body: string) => `${body}    mode = 0777\n`],
    ['a starred list in an unbracketed tuple', (body: string) => `${body}    host, *rest = a, *[]\n`],
    ['a starred parenthesis in a returned tuple', (body: string) => `${body}    return a, *(b)\n`],
    ['a starred keyword in an unbracketed tuple', (body: string) => `${body}    x = a, *None\n`],
    ['a bracket continued below its statement', (body: string) => `${body}    (bar.\nbaz)\n`],
    ['a replacement field holding its own quote', (body: string) => `${body}    s = f"{d["k"]}"\n`],
    ['a lone carriage return', (body: string) => `${body}    x = 1\r    y = 2\n`],
  ])('leaves a file alone on %s', (_name, edit) => {
    const body = `def f():\n${filler('    ').repeat(4)}`;
    expect(elideBodies(body)).not.toBeNull();
    expect(elideBodies(edit(body))).toBeNull();
  });

  it('blanks a file whose unbracketed tuples star names (tree-sitter reads those)', () => {
    const body = `def f():\n${filler('    ').repeat(4)}    host, *rest = a, *b.c\n    return a, *f(b)\n`;
    expect(elideBodies(body)).not.toBeNull();
  });

  it('leaves holes from after each blanked body\'s "(" to the start of the line of its ")"', () => {
    const { text, ends, holes } = elideBodies(SAMPLE)!;
    expect(holes).toHaveLength(2 * ends.length);
    for (let k = 0; k < holes.length; k += 2) {
      expect(text[holes[k] - 1]).toBe('(');
      expect(text[holes[k + 1] - 1]).toBe('\n');
      expect(text.slice(holes[k], ends[k / 2] - 1).trim()).toBe('');
    }
  });

  it('in a body that holds an import, blanks all but the way to it', () => {
    const elided = elideBodies(LAZY);
    expect(elided).not.toBeNull();
    const { text, ends } = elided!;
    expect(ends).toEqual([]);
    expect(text.length).toBe(LAZY.length);
    for (const kept of ['    """Doc."""\n', '    if kind:\n', '        try:\n', '            import json\n'])
      expect(text).toContain(kept);
    expect(text).toContain('        except ImportError:\n            json = None\n');
    expect(text).toContain('        case 1:\n            import csv\n');
    expect(text).not.toContain('compute(');
    expect(text).not.toContain('for i in range');
  });

  it('leaves holes inside long triple-quoted strings, not f-strings, short ones or after non-ASCII', () => {
    const long = 'x'.repeat(80);
    const text = [
      `A = """\n${long}\n"""\n`,
      `B = f"""\n${long}\n"""\n`,
      `C = """short\nstring"""\n`,
      `D = ("é", """\n${long}\n""")\n`,
    ].join('');
    const { holes } = elideBodies(text)!;
    expect(holes).toEqual([text.indexOf('"""') + 3, text.indexOf('"""\nB')]);
  });

  it('leaves a body alone with a comment after its last token (tree-sitter may count it in)', () => {
    const text = `def f():\n${filler('    ').repeat(4)}    # trailing\nx = 1\n`;
    expect(elideBodies(text)).toBeNull();
  });
});

const pythonFiles = (dir: string, limit: number): string[] => {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= limit) return;
      const path = join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'site-packages') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
    }
  };
  walk(dir);
  return found;
};

describe.each<[ParserKind, Way]>([
  ['native', 'in gaps'],
  ['native', 'in one query'],
  ['wasm', 'in gaps'],
  ['wasm', 'in one query'],
])('blanked text with the %s binding, captured %s', (kind, way) => {
  it('gives the facts of the original text', async () => {
    const parser = await loadParser(kind, querySources());
    const elided = elideBodies(SAMPLE)!;
    expect(facts(parser, SAMPLE, elided.text, elided.ends, elided.holes, way)).toEqual(facts(parser, SAMPLE, SAMPLE));
  });

  it('gives the facts of the original text in a body that holds imports', async () => {
    const parser = await loadParser(kind, querySources());
    const elided = elideBodies(LAZY)!;
    expect(facts(parser, LAZY, elided.text, elided.ends, elided.holes, way)).toEqual(facts(parser, LAZY, LAZY));
  });

  it("is refused where a blanked end is a nested function's", async () => {
    const parser = await loadParser(kind, querySources());
    const text = `def outer():\n    def inner():\n${filler('        ')}    return inner\n`;
    const innerEnd = text.indexOf('    return inner') - 1;
    expect(text[innerEnd - 1]).toBe(')');
    expect(facts(parser, text, text, [innerEnd], [], way)).toBeNull();
    expect(facts(parser, text, text, [text.length - 1], [], way)).not.toBeNull();
  });

  it('never reads the holes: text put there changes nothing', async () => {
    const parser = await loadParser(kind, querySources());
    const elided = elideBodies(SAMPLE)!;
    let filled = elided.text;
    for (let k = 0; k < elided.holes.length; k += 2) {
      const [start, end] = [elided.holes[k], elided.holes[k + 1]];
      filled = filled.slice(0, start) + ')'.repeat(end - start) + filled.slice(end);
    }
    expect(facts(parser, SAMPLE, filled, elided.ends, elided.holes, way)).toEqual(facts(parser, SAMPLE, SAMPLE));
    expect(facts(parser, SAMPLE, filled, elided.ends, [], way)).toBeNull();
  });

  it('is refused where a blanked body does not end where the lexer said', async () => {
    const parser = await loadParser(kind, querySources());
    const elided = elideBodies(SAMPLE)!;
    expect(
      facts(parser, SAMPLE, elided.text, [elided.ends[0] - 1, ...elided.ends.slice(1)], elided.holes, way),
    ).toBeNull();
  });

  it('400 stdlib files: the facts of the original wherever the blanked text is taken', async () => {
    const parser = await loadParser(kind, querySources());
    const { stdout } = await execa(PYTHON, ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']);
    let taken = 0;
    for (const file of pythonFiles(stdout.trim(), 400)) {
      const text = decodeSource(readFileSync(file)).text;
      const elided = elideBodies(text);
      if (!elided) continue;
      const fromBlanked = facts(parser, text, elided.text, elided.ends, elided.holes, way);
      if (!fromBlanked) continue;
      taken++;
      expect(fromBlanked, file).toEqual(facts(parser, text, text));
    }
    expect(taken).toBeGreaterThan(200);
  }, 120_000);
});
