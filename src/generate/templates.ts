/** Reads templates/ (shipped with the package): the only I/O of rendering, kept out of render.ts. */
import { readFile } from 'node:fs/promises';
import type { BodyStyle } from './manifest.js';
import type { Shape } from './model.js';

export interface Templates {
  loader: string;
  core: string;
  overlay: string;
  injector: string;
  pth: string;
  start: string;
  test: string;
  readme: string;
  /** `${body}_${shape}` → wrapper factory block. */
  wrappers: Record<`${WrapperBody}_${Shape}`, string>;
}

export const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

const SHAPES: Shape[] = ['sync', 'async', 'generator', 'asyncgen'];
/** The bodies that are wrappers (`replace` copies the target's source instead). */
export type WrapperBody = Exclude<BodyStyle, 'replace'>;
const BODIES: WrapperBody[] = ['passthrough', 'trace'];

const read = (name: string) => readFile(new URL(name, TEMPLATE_DIR), 'utf8');

export const loadTemplates = async (): Promise<Templates> => {
  const wrappers = {} as Record<`${WrapperBody}_${Shape}`, string>;
  for (const body of BODIES) {
    for (const shape of SHAPES) wrappers[`${body}_${shape}`] = await read(`wrappers/${body}_${shape}.py`);
  }
  const [loader, core, overlay, injector, pth, start, test, readme] = await Promise.all(
    [
      'patch_loader.py',
      'patch_core.py',
      'patch_overlay.py',
      'patch_injector.py',
      'patch_injector.pth',
      'patch_injector.start',
      'test_patch.py',
      'README.md',
    ].map(read),
  );
  return { loader, core, overlay, injector, pth, start, test, readme, wrappers };
};
