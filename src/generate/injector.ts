/**
 * The values of the `.pth` line (templates/patch_injector.pth), in one place: render.ts fills the
 * template with them, and `audit` re-renders a line it reads to recognise patchkit's own.
 *
 * The line puts a stub finder on sys.meta_path and imports nothing; the stub imports the loader at
 * the first watched import through STUB_IMPORT, run by exec() only then. That code catches a loader
 * that cannot be imported (deleted by hand, say): one line on stderr, and the import the user asked
 * for goes on unpatched — a lambda alone cannot catch an exception.
 */
import { pyStr } from './literal.js';

export interface InjectorInput {
  loader: string;
  envPrefix: string;
  /** Module names the stub hands over to the loader. */
  watch: string[];
}

const stubImport = ({ loader, envPrefix }: InjectorInput): string =>
  [
    // The kill switch is read here, at the first watched import, not at start-up: every process pays
    // for the .pth line, and with the switch on the loader is never imported at all.
    'import os',
    `if os.environ.get("${envPrefix}_PATCH_DISABLE") == "1":`,
    '    adopt = lambda n, p=None, t=None: None',
    'else:',
    '    try:',
    `        from ${loader} import adopt`,
    '    except Exception as e:',
    '        import sys',
    `        sys.stderr.write("[${envPrefix}_PATCH] patches not applied: cannot import ${loader}: %s: %s\\n" % (type(e).__name__, e))`,
    '        adopt = lambda n, p=None, t=None: None',
    '',
  ].join('\n');

export const injectorValues = (input: InjectorInput): Record<string, string> => ({
  LOADER_MODULE: pyStr(input.loader),
  ENV: input.envPrefix,
  // A set display of constants after `in` compiles to one frozenset constant: no per-call cost.
  WATCH_SET: `{${[...new Set(input.watch)].sort().map(pyStr).join(', ')}}`,
  STUB_IMPORT: pyStr(stubImport(input)),
});
