/** Hazards, branch contexts, kinds, binding sites and sentinels on a fixture package written for them. */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanModule, ScanResult, ScanSymbol } from '../../src/scan/model.js';
import { key, oracleSet, scanJson, scanSet } from '../helpers/oracle.js';
import { PYTHON } from '../helpers/python.js';

const fixture = fileURLToPath(new URL('../fixtures/scan/hazardpkg', import.meta.url));
let result: ScanResult;
let core: ScanModule;
const symbol = (qualname: string, module = core): ScanSymbol => {
  const found = module.symbols.filter((s) => s.qualname === qualname);
  if (found.length === 0) throw new Error(`no symbol ${qualname}`);
  return found[found.length - 1];
};
const codes = (qualname: string) => symbol(qualname).hazards.map((h) => h.code);

beforeAll(async () => {
  result = await scanJson([fixture, '--no-cache']);
  core = result.modules.find((m) => m.name === 'hazardpkg.core')!;
});

describe('fixture package', () => {
  it('lists exactly what CPython ast lists', async () => {
    const oracle = await oracleSet(PYTHON, fixture);
    expect([...scanSet(result)].sort()).toEqual([...oracle].sort());
    expect(scanSet(result).has(key('hazardpkg.core', 'outer.nested', 178, false))).toBe(false);
  });

  it('records the branch context of every definition', () => {
    const branch = (q: string) => symbol(q).branch;
    expect(branch('fast_path')).toEqual(['except ImportError']);
    expect(branch('only_for_types')).toEqual(['if TYPE_CHECKING']);
    expect(symbol('only_for_types').runtime).toBe(false);
    expect(branch('runtime_else')).toEqual(['else of if TYPE_CHECKING']);
    expect(symbol('runtime_else').runtime).toBe(true);
    expect(branch('in_loop')).toEqual(['loop']);
    expect(branch('in_loop_else')).toEqual(['loop-else']);
    expect(branch('in_while')).toEqual(['loop']);
    expect(branch('in_with')).toEqual(['with']);
    expect(branch('in_case')).toEqual(['case']);
    expect(branch('in_try')).toEqual(['try']);
    expect(branch('in_except')).toEqual(['except ValueError']);
    expect(branch('in_try_else')).toEqual(['try-else']);
    expect(branch('in_finally')).toEqual(['finally']);
    expect(branch('in_if')).toEqual(['if compute']);
    expect(branch('in_elif')).toEqual(['elif registry']);
    expect(branch('in_else')).toEqual(['else of if compute']);
  });

  it('derives kinds, async and generators, implicit descriptors included', () => {
    expect(symbol('Kinds.cm').kind).toBe('classmethod');
    expect(symbol('Kinds.sm').kind).toBe('staticmethod');
    expect(symbol('Kinds.prop').kind).toBe('property');
    expect(symbol('Kinds.__new__').kind).toBe('staticmethod');
    expect(symbol('Kinds.__class_getitem__').kind).toBe('classmethod');
    expect(symbol('Dynamic.__init_subclass__').kind).toBe('classmethod');
    expect(symbol('Kinds.coro')).toMatchObject({ async: true, generator: false });
    expect(symbol('Kinds.gen')).toMatchObject({ async: false, generator: true });
    expect(symbol('Kinds.agen')).toMatchObject({ async: true, generator: true });
    expect(symbol('Kinds.Inner.deep').kind).toBe('method');
    expect(symbol('compute').signature).toBe('(x, y=1)');
    expect(symbol('cached').decorators[0]).toMatchObject({
      text: 'lru_cache(maxsize=None)',
      path: 'functools.lru_cache',
    });
    expect(symbol('ov').overloads).toEqual([114, 116]);
  });

  it('flags each hazard', () => {
    expect(codes('compute')).toContain('captured-by-value');
    expect(symbol('compute').hazards.find((h) => h.code === 'captured-by-value')?.at).toEqual(['26', '29']);
    expect(symbol('compute').hazards.find((h) => h.message.includes('hazardpkg.consumer'))?.at).toEqual([
      'hazardpkg.consumer:5',
    ]);
    expect(codes('cached')).toContain('wrapping-decorator');
    expect(codes('registered')).toContain('registration-decorator');
    expect(codes('WithMeta')).toContain('dynamic-class');
    expect(codes('Dynamic')).toContain('dynamic-class');
    expect(symbol('Dynamic').hazards.some((h) => h.message.includes('outside the class body'))).toBe(true);
    expect(codes('Slotted')).toContain('slots');
    expect(codes('Iface.run')).toContain('interface-only');
    expect(codes('Base.go')).toContain('interface-only');
    expect(codes('Kinds.prop')).toContain('descriptor');
    expect(codes('Kinds.gen')).toContain('captured-by-value');
    expect(codes('fast_path')).toContain('compiled-fallback');
    expect(codes('only_for_types')).toContain('type-checking-only');
    expect(codes('ov')).toContain('overloaded');
    expect(codes('disp')).toContain('singledispatch');
    expect(codes('_')).toContain('singledispatch');
    const lazy = result.modules.find((m) => m.name === 'hazardpkg.lazy')!;
    expect(lazy.hazards.map((h) => h.code)).toContain('lazy-module');
  });

  it('finds binding sites through a re-export chain, and lazy ones', () => {
    const sites = symbol('compute').bindingSites;
    expect(sites).toContainEqual({ module: 'hazardpkg', name: 'compute', line: 4, lazy: false });
    expect(sites).toContainEqual({
      module: 'hazardpkg.consumer',
      name: 'via_package',
      line: 1,
      lazy: false,
      via: ['hazardpkg.compute'],
    });
    expect(sites).toContainEqual({ module: 'hazardpkg.consumer', name: 'compute', line: 2, lazy: false });
    expect(symbol('cached').bindingSites).toContainEqual({
      module: 'hazardpkg.consumer',
      name: 'cached',
      line: 9,
      lazy: true,
    });
    expect(symbol('in_if').bindingSites).toContainEqual({
      module: 'hazardpkg.consumer',
      name: 'in_if',
      line: 3,
      lazy: false,
      via: ['hazardpkg.core.*'],
    });
  });

  it('proposes the defining module as sentinel first, and package-wide candidates', () => {
    expect(symbol('compute').sentinels[0].module).toBe('hazardpkg.core');
    expect(symbol('compute').sentinels[0].reason).toMatch(/before its \d+ importer/);
    expect(result.sentinels[0].module).toBe('hazardpkg');
    expect(result.sentinels.map((s) => s.module)).toContain('hazardpkg.core');
  });

  it('builds the import graph: relative imports resolved, TYPE_CHECKING and __future__ are not edges', () => {
    const consumer = result.modules.find((m) => m.name === 'hazardpkg.consumer')!;
    expect(consumer.imports).toContainEqual({ module: 'hazardpkg.core', line: 2, lazy: false, internal: true });
    expect(consumer.imports).toContainEqual({ module: 'hazardpkg.core', line: 9, lazy: true, internal: true });
    expect(core.imports.map((e) => e.module)).toContain('hazardpkg.registry');
  });
});
