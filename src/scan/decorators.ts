/**
 * Decorators resolved through the module's imports and classified by what they do to the object
 * that ends up at the attribute a monkey-patch replaces.
 */
import type { Alias } from './modules.js';

export type DecoratorClass =
  | 'classmethod'
  | 'staticmethod'
  | 'property'
  | 'property-accessor'
  | 'cache'
  | 'wrapper'
  | 'compiled'
  | 'singledispatch'
  | 'overload'
  | 'abstract'
  | 'registration'
  | 'dispatch-register'
  /** Returns the class it was given (members added or checked): nothing for a patch to miss. */
  | 'same-class'
  | 'unknown';

const TABLE: Record<string, DecoratorClass> = {
  'builtins.classmethod': 'classmethod',
  'builtins.staticmethod': 'staticmethod',
  'builtins.property': 'property',
  'abc.abstractproperty': 'property',
  'abc.abstractmethod': 'abstract',
  'abc.abstractclassmethod': 'classmethod',
  'abc.abstractstaticmethod': 'staticmethod',
  'functools.lru_cache': 'cache',
  'functools.cache': 'cache',
  'functools.cached_property': 'cache',
  'functools.wraps': 'wrapper',
  'functools.total_ordering': 'same-class',
  'dataclasses.dataclass': 'same-class',
  'enum.unique': 'same-class',
  'typing.runtime_checkable': 'same-class',
  'typing_extensions.runtime_checkable': 'same-class',
  'contextlib.contextmanager': 'wrapper',
  'contextlib.asynccontextmanager': 'wrapper',
  'functools.singledispatch': 'singledispatch',
  'functools.singledispatchmethod': 'singledispatch',
  'typing.overload': 'overload',
  'typing_extensions.overload': 'overload',
  'typing.final': 'abstract',
  'torch.compile': 'compiled',
  'torch.jit.script': 'compiled',
  'torch.jit.trace': 'compiled',
  'torch.jit.script_method': 'compiled',
  'torch.no_grad': 'wrapper',
  'torch.inference_mode': 'wrapper',
  'torch.enable_grad': 'wrapper',
  'torch.library.custom_op': 'registration',
  'torch.library.impl': 'registration',
  'numba.jit': 'compiled',
  'numba.njit': 'compiled',
  'numba.cuda.jit': 'compiled',
  'numba.vectorize': 'compiled',
  'triton.jit': 'compiled',
  'triton.autotune': 'compiled',
  'triton.heuristics': 'compiled',
};

const BUILTINS = new Set(['classmethod', 'staticmethod', 'property']);
const REGISTRATION =
  /^(register\w*|route|custom_op|impl|hookimpl|command|task|get|post|put|delete|patch|websocket|on_event|subscribe|listener|fixture)$/;

/** `functools.lru_cache(maxsize=None)` → `functools.lru_cache`; null for subscripts and other expressions. */
export const decoratorHead = (text: string): string | null => {
  const match = /^([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*(\(|$)/.exec(text);
  return match ? match[1].replace(/\s+/g, '') : null;
};

export interface ResolveContext {
  module: string;
  aliases: Map<string, Alias>;
  moduleNames: Map<string, string>;
  localNames: Set<string>;
}

/** Dotted path of a decorator through the module's imports; null when it cannot be known statically. */
export const resolveDecorator = (text: string, ctx: ResolveContext): string | null => {
  const head = decoratorHead(text);
  if (!head) return null;
  const [first, ...rest] = head.split('.');
  const tail = rest.length ? `.${rest.join('.')}` : '';
  const alias = ctx.aliases.get(first);
  if (alias) return `${alias.module}.${alias.name}${tail}`;
  const module = ctx.moduleNames.get(first);
  if (module) return `${module}${tail}`;
  if (ctx.localNames.has(first)) return `${ctx.module}.${head}`;
  if (BUILTINS.has(first) && !tail) return `builtins.${first}`;
  // Unresolvable but well known by name (`@lru_cache` from a star import, `@overload` in stubs).
  return null;
};

export const classifyDecorator = (text: string, path: string | null): DecoratorClass => {
  if (path && TABLE[path]) return TABLE[path];
  const head = decoratorHead(text) ?? '';
  const last = head.split('.').pop() ?? '';
  if (TABLE[`builtins.${head}`]) return TABLE[`builtins.${head}`];
  if (/\.(setter|getter|deleter)$/.test(head)) return 'property-accessor';
  if (['overload'].includes(head)) return 'overload';
  if (['lru_cache', 'cache', 'cached_property'].includes(head)) return 'cache';
  if (['dataclass', 'total_ordering'].includes(head)) return 'same-class';
  if (['abstractmethod'].includes(head)) return 'abstract';
  if (REGISTRATION.test(last) && head.includes('.')) return 'registration';
  if (/(^|\.)(jit|njit|compile|script)$/.test(head)) return 'compiled';
  return 'unknown';
};
