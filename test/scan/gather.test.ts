/**
 * scan/gather.ts leaves function bodies out of the whole query: the facts must be exactly those of
 * one whole-tree query, on crafted corner cases and on real files (the fixture package and a slice
 * of the stdlib), with both bindings.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadParser, type Capture, type ParsedTree, type ParserKind } from '../../src/parser/adapter.js';
import { decodeSource } from '../../src/scan/decode.js';
import { createExtractor, extractFacts } from '../../src/scan/extract.js';
import { gatherCaptures, streamCaptures } from '../../src/scan/gather.js';
import { querySources } from '../../src/scan/queries.js';
import { PYTHON } from '../helpers/python.js';
import { pythonFiles } from '../helpers/python-files.js';

const CASES: Record<string, string> = {
  'yield in a nested def, a lambda and a default': [
    'def outer(a=(lambda: (yield))):',
    '    def inner(b=(yield)):',
    '        yield b',
    '    f = lambda: (yield)',
    '    return inner',
    'def gen():',
    '    x = [(yield i) for i in range(3)]',
    'class C:',
    '    def m(self):',
    '        class D:',
    '            def n(self):',
    '                yield 1',
    '        return D',
    '    async def a(self):',
    '        yield',
  ].join('\n'),
  'lazy imports under control flow in bodies': [
    'import os',
    'if os.name == "nt":',
    '    def f():',
    '        try:',
    '            import msvcrt',
    '        except ImportError as e:',
    '            from . import fallback',
    '        else:',
    '            pass',
    '        finally:',
    '            import gc',
    'else:',
    '    def f():',
    '        if TYPE_CHECKING:',
    '            import typing',
    '        elif x:',
    '            from .a import b as c',
    '        else:',
    '            import json',
    '        with open(p) as h:',
    '            for i in h:',
    '                import re',
    '            else:',
    '                import sys',
    '        while True:',
    '            import time',
    '        match v:',
    '            case 1:',
    '                import abc',
    '        from __future__ import annotations',
    '        return 1',
  ].join('\n'),
  'module and class level references, dynamic and decorators around bodies': [
    'REG = {}',
    '@register(f, key=g)',
    '@functools.lru_cache',
    'def f(a, cb=g, *, d: int = h) -> "T":',
    '    """doc"""',
    '    setattr(C, "x", 1)',
    '    return [a, cb]',
    'HANDLERS = [f, g]',
    'class C(Base, metaclass=Meta):',
    '    __slots__ = ("a",)',
    '    handler = f',
    '    def m(self): ...',
    '    def n(self):',
    '        pass',
    '    other = partial(f, 1)',
    'C.extra = f',
    'setattr(C, "y", g)',
    'sys.modules[__name__] = Wrapper()',
    'T = type("T", (object,), {})',
    'def tail(): return f',
  ].join('\n'),
  'one-line bodies, comments and unicode': [
    'def a(): return 1  # é',
    'def b(): import x; yield x',
    'class É:',
    '    def ü(self) -> "ñ": return "😀"',
    '    # trailing comment',
    'def c():',
    '    # only a comment',
    '    ...',
  ].join('\n'),
};

const factsBoth = (parser: Awaited<ReturnType<typeof loadParser>>, text: string, minBody?: number) =>
  parser.withTree(text, (tree) => {
    let ranged = 0;
    const counted: ParsedTree = {
      ...tree,
      captures: (name, node, range) => {
        if (range) ranged++;
        return tree.captures(name, node, range);
      },
    };
    // The scanner's own path: pieces handed to an extractor as they are gathered.
    let extractor = createExtractor(text);
    const pieces: number[] = [];
    const open = () => {
      pieces.length = 0;
      const fresh = (extractor = createExtractor(text));
      return {
        add: (captures: Capture[]) => {
          pieces.push(captures.length);
          return fresh.add(captures);
        },
      };
    };
    const outcome = streamCaptures(counted, text, open, minBody);
    return {
      whole: extractFacts(text, tree.captures('all', tree.root)),
      gathered: extractor.facts,
      listed: extractFacts(text, gatherCaptures(tree, text, minBody)),
      outcome,
      pieces,
      // The bodies were left out (no fallback to the whole query).
      narrowed: ranged > 0,
    };
  });

describe.each<ParserKind>(['native', 'wasm'])('gatherCaptures with the %s binding', (kind) => {
  it.each(Object.entries(CASES))('%s: the facts of one whole-tree query', async (_name, text) => {
    const parser = await loadParser(kind, querySources());
    const { whole, gathered, listed, narrowed, outcome } = factsBoth(parser, `${text}\n`, 0);
    expect(whole.defs.length).toBeGreaterThan(0);
    expect(narrowed).toBe(true);
    expect(outcome).toBe('gathered');
    expect(gathered).toEqual(whole);
    expect(listed).toEqual(whole);
  });

  it('a module of 3,000 classes: gathered in pieces, never all captures at once, the same facts', async () => {
    const parser = await loadParser(kind, querySources());
    const classes = (long: boolean) => {
      const lines = ['"""Generated."""', 'import os'];
      for (let i = 0; i < 3000; i++) {
        lines.push(`class G${i}(Base):`, `    v = ${i}`, `    def f(self): return ${i}`);
        // Every tenth class has a body long enough to be left out, every hundredth a lazy import in one.
        if (long && i % 10 === 0)
          lines.push(
            '    def g(self, a, b):',
            `        total = a + b + ${i}`,
            '        return total * 2 + self.v + self.offset(a, b)',
          );
        if (long && i % 100 === 0)
          lines.push(
            '    def h(self):',
            '        import json',
            '        return json.dumps({"key": self.v, "other": self.w})',
          );
      }
      return `${lines.join('\n')}\n`;
    };
    const { whole, gathered, outcome, pieces } = factsBoth(parser, classes(true));
    expect(outcome).toBe('gathered');
    expect(gathered).toEqual(whole);
    expect(whole.defs.length).toBe(3000 * 2 + 300 + 30);
    expect(whole.imports.filter((i) => i.lazy)).toHaveLength(30);
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces)).toBeLessThan(6000);
    // Without a body long enough to leave out, the module is still queried in pieces.
    const flat = factsBoth(parser, classes(false));
    expect(flat.outcome).toBe('gathered');
    expect(flat.gathered).toEqual(flat.whole);
    expect(flat.whole.defs.length).toBe(6000);
    const all = flat.pieces.reduce((a, b) => a + b, 0);
    expect(flat.pieces.length).toBeGreaterThan(2);
    expect(Math.max(...flat.pieces)).toBeLessThan(all / 2);
  });

  it('the fixture package and 400 stdlib files: the facts of one whole-tree query', async () => {
    const parser = await loadParser(kind, querySources());
    const { stdout } = await execa(PYTHON, ['-S', '-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])']);
    const files = [
      ...pythonFiles(fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url)), 100),
      ...pythonFiles(stdout.trim(), 400),
    ];
    let narrowed = 0;
    for (const file of files) {
      const text = decodeSource(readFileSync(file)).text;
      const facts = factsBoth(parser, text);
      expect(facts.gathered, file).toEqual(facts.whole);
      expect(facts.listed, file).toEqual(facts.whole);
      if (facts.narrowed) narrowed++;
      if (facts.narrowed) expect(facts.outcome, file).toBe('gathered');
    }
    expect(narrowed).toBeGreaterThan(files.length / 2);
  }, 120_000);
});

describe('the queries gatherCaptures relies on', () => {
  it('root no pattern at a module or a block, where gaps are split into statements', () => {
    expect(querySources().all).not.toMatch(/^\s*\(\s*(module|block)\b/m);
  });
});
