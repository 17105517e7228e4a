/**
 * Recognises the line patchkit's own `.pth` carries: the line's names are read back and the line is
 * rendered again from them (src/generate/injector.ts); only an exact match is patchkit's. Such a
 * line is long once a bundle watches many modules and contains exec(), so it must not be reported
 * as a payload — and a look-alike with anything else inside is not recognised.
 */
import { readFileSync } from 'node:fs';
import { readLiteral } from '../env/python-literal.js';
import { fill } from '../generate/fill.js';
import { injectorValues } from '../generate/injector.js';
import { TEMPLATE_DIR } from '../generate/templates.js';

const NAME = String.raw`'[\w.\\]+'`;
const CAPTURE: Record<string, string> = {
  __PATCHKIT_LOADER_MODULE__: `(${NAME})`,
  __PATCHKIT_WATCH_SET__: String.raw`(\{${NAME}(?:, ${NAME})*\})`,
  __PATCHKIT_STUB_IMPORT__: String.raw`'(?:[^'\\]|\\.)*'`,
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let cached: { template: string; pattern: RegExp; order: string[] } | null = null;

const shape = () => {
  if (cached) return cached;
  const template = readFileSync(new URL('patch_injector.pth', TEMPLATE_DIR), 'utf8').trim();
  const parts = template.split(/(__PATCHKIT_[A-Z_]+?__(?![A-Z]))/);
  const order = parts.filter((p, i) => i % 2 === 1 && p !== '__PATCHKIT_STUB_IMPORT__');
  const source = parts.map((part, i) => (i % 2 === 1 ? CAPTURE[part] : escape(part))).join('');
  cached = { template, pattern: new RegExp(`^${source}$`), order };
  return cached;
};

export const isInjectorLine = (text: string): boolean => {
  const { template, pattern, order } = shape();
  const match = pattern.exec(text.trim());
  if (!match) return false;
  const value = (placeholder: string) => match[1 + order.indexOf(placeholder)];
  const loader = readLiteral(value('__PATCHKIT_LOADER_MODULE__'));
  const watch = readLiteral(`[${value('__PATCHKIT_WATCH_SET__').slice(1, -1)}]`);
  if (typeof loader !== 'string' || !Array.isArray(watch) || !watch.every((w) => typeof w === 'string')) return false;
  // The environment prefix is the bundle name upper-cased (src/generate/model.ts).
  const envPrefix = loader.replace(/_patch_loader$/, '').toUpperCase();
  const expected = fill(
    template,
    injectorValues({ loader, envPrefix, watch: watch as string[] }),
    'patch_injector.pth',
  );
  return expected === text.trim();
};
