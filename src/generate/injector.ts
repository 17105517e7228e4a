/**
 * The values of the injector module (templates/patch_injector.py), in one place: render.ts fills the
 * template with them. The module is what the `.pth` line imports in every interpreter: its finder
 * does one set lookup per import and imports the loader only at the first watched one.
 */
import { pyStr } from './literal.js';

export interface InjectorInput {
  loader: string;
  envPrefix: string;
  /** Module names the finder hands over to the loader. */
  watch: string[];
  /** Sentinels: one imported past the finder (by a finder in front of it) makes it hand over too. */
  sentinels: string[];
}

export const injectorValues = (input: InjectorInput): Record<string, string> => ({
  LOADER_MODULE: pyStr(input.loader),
  ENV: input.envPrefix,
  WATCH_SET: `frozenset({${[...new Set(input.watch)].sort().map(pyStr).join(', ')}})`,
  SENTINEL_TUPLE: pyTuple([...new Set(input.sentinels)].sort()),
});

const pyTuple = (names: string[]): string =>
  names.length === 1 ? `(${pyStr(names[0])},)` : `(${names.map(pyStr).join(', ')})`;
