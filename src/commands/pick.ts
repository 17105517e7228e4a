/** `patchkit pick <package>`: choose targets, sentinel, name and place interactively, then generate like `new`. */
import { ValidationError } from '../errors.js';
import { validateName } from '../generate/validate.js';
import type { ScanResult, ScanSymbol, ScanModule } from '../scan/model.js';
import { askText, pickMany, pickOne, type Candidate } from '../prompts/index.js';
import { progressReporter } from '../util/progress.js';
import { generate, type NewResult } from './new.js';

export interface PickOptions {
  cwd: string;
  target: string;
  python?: string;
}

const WRAPPABLE = new Set(['function', 'method', 'classmethod', 'staticmethod', 'property']);

const candidatesOf = (result: ScanResult): Candidate[] =>
  result.modules
    .filter((m) => m.kind === 'source')
    .flatMap((m: ScanModule) =>
      m.symbols
        .filter((s: ScanSymbol) => WRAPPABLE.has(s.kind) && s.runtime)
        .map((s) => ({
          key: `${m.name}:${s.qualname}`,
          label: `${m.name}:${s.qualname}${s.kind === 'property' ? '' : s.signature}${s.async ? '  async' : ''}`,
          description: [`${m.path}:${s.line}  ${s.kind}`, ...s.hazards.map((h) => `! ${h.message}`)].join('\n'),
        })),
    );

/** A valid default bundle name from the package name: `sglang.srt` → `sglang_srt` (files add `_patch_*`). */
const defaultName = (pkg: string) => pkg.replace(/\W+/g, '_').replace(/^(\d)/, '_$1').slice(0, 60);

export const run = async (options: PickOptions): Promise<NewResult> => {
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new ValidationError(
      'pick is interactive and needs a terminal',
      'use `patchkit new <name> --target module:qualname` in scripts and CI',
    );
  }
  const { scanPackage } = await import('../scan/index.js');
  const progress = progressReporter(`scanning ${options.target}`);
  const result = await scanPackage({
    target: options.target,
    python: options.python,
    cwd: options.cwd,
    onProgress: progress.update,
  }).finally(progress.done);
  const candidates = candidatesOf(result);
  if (candidates.length === 0)
    throw new ValidationError(`${options.target} has no Python functions or methods to wrap`);

  const targets = await pickMany(candidates);
  const symbols = targets.map((key) => {
    const [module, qualname] = key.split(':');
    return result.modules.find((m) => m.name === module)!.symbols.find((s) => s.qualname === qualname)!;
  });
  const others = new Map<string, string>();
  for (const s of symbols) for (const c of s.sentinels) if (!others.has(c.module)) others.set(c.module, c.reason);
  const recommended = symbols
    .map((s) => s.sentinels[0]?.reason)
    .filter(Boolean)
    .join('\n');
  const sentinel = await pickOne<string | undefined>(
    'Sentinel: the module whose import applies the patches',
    [
      { name: 'recommended: each target’s defining module', value: undefined, description: recommended },
      ...[...others].map(([module, reason]) => ({ name: module, value: module, description: reason })),
    ],
    undefined,
  );
  const body = await pickOne('Patch body', [
    { name: 'passthrough: a wrapper that behaves like the original until edited', value: 'passthrough' },
    { name: 'trace: a wrapper writing one JSON line per call to $<NAME>_PATCH_TRACE', value: 'trace' },
    { name: 'replace: the target’s own source in the core, to edit in place', value: 'replace' },
  ]);
  const name = await askText('Bundle name', defaultName(result.package.name), (value) => {
    try {
      validateName(value);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  });
  const out = await askText('Output directory', '.', (value) => (value.trim() ? true : 'give a directory'));
  return generate({ cwd: options.cwd, name, target: targets, sentinel, body, out, python: options.python }, [result]);
};
