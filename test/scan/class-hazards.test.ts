/**
 * Decorators on classes. A patch wraps a class's methods, never the class, so a decorator that
 * hands back the same class (`@dataclass`, `@total_ordering`) or stores it in a registry is no hazard;
 * one that may return another object is, and the text says "class".
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanSymbol } from '../../src/scan/model.js';
import { scanJson } from '../helpers/oracle.js';
import { tempDir } from '../helpers/python.js';

const SOURCE = `
import dataclasses
import functools
from dataclasses import dataclass
from .registry import MODELS


def deco(obj):
    return obj


@dataclass
class Plain:
    x: int = 0


@dataclass(frozen=True, slots=True)
class Frozen:
    x: int = 0


@dataclasses.dataclass
class Dotted:
    x: int = 0


@functools.total_ordering
class Ordered:
    def __lt__(self, other):
        return True


@MODELS.register_module()
class Registered:
    def forward(self):
        return 1


@deco
class Decorated:
    pass


@deco
def decorated_function():
    pass


@MODELS.register
def registered_function():
    pass
`;

let symbols: Map<string, ScanSymbol>;

beforeAll(async () => {
  const root = join(await tempDir(), 'clspkg');
  await mkdir(root);
  await writeFile(join(root, '__init__.py'), SOURCE);
  await writeFile(join(root, 'registry.py'), 'MODELS = None\n');
  const result = await scanJson([root, '--no-cache']);
  symbols = new Map(result.modules.find((m) => m.name === 'clspkg')!.symbols.map((s) => [s.qualname, s]));
});

const hazards = (qualname: string) => symbols.get(qualname)!.hazards;

describe('decorators on classes', () => {
  it('plain @dataclass, with arguments or dotted, and @total_ordering: no hazard', () => {
    for (const name of ['Plain', 'Frozen', 'Dotted', 'Ordered']) expect(hazards(name), name).toEqual([]);
  });

  it('a registry decorator on a class: no hazard (the registry holds the class whose methods are patched)', () => {
    expect(hazards('Registered')).toEqual([]);
  });

  it('an unknown decorator on a class says "class", on a function "function"', () => {
    expect(hazards('Decorated').map((h) => [h.code, h.message])).toEqual([
      ['decorated', '@deco: the attribute holds what the decorator returned, which may not be this class'],
    ]);
    expect(hazards('decorated_function').map((h) => h.message)).toEqual([
      '@deco: the attribute holds what the decorator returned, which may not be this function',
    ]);
    expect(hazards('registered_function').map((h) => h.code)).toEqual(['registration-decorator']);
  });
});
