/**
 * The only place that parses argv, prints, and sets the exit code. Each command lazily imports one
 * handler (`commands/<name>.ts`: `run(options) => data`) and one reporter (`reporters/<name>.ts`:
 * `render(data, options) => string`, optional `exitCodeFor(data)`), so `patchkit --help` loads neither
 * tree-sitter nor execa.
 */
import { once } from 'node:events';
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

interface Reporter {
  /** Bytes are written as they are (a cached `scan --json`); pieces one after the other (a large one). */
  render: (data: never, options: never) => string | Uint8Array | Iterable<string>;
  /** Warnings and notes about the run, for stderr. */
  diagnostics?: (data: never, options: never) => string;
  exitCodeFor?: (data: never) => number;
}

type Handler = (options: never) => Promise<unknown>;

/** Runs one command: handler → reporter → stdout; the exit code comes from the reporter or the error class. */
const execute = async (name: string, options: Record<string, unknown>): Promise<void> => {
  const full = { cwd: process.cwd(), ...options };
  try {
    const command = (await import(`./commands/${name}.js`)) as { run: Handler };
    const data = await command.run(full as never);
    const reporter = (await import(`./reporters/${name}.js`)) as Reporter;
    const notes = reporter.diagnostics?.(data as never, full as never);
    if (notes) process.stderr.write(notes.endsWith('\n') ? notes : `${notes}\n`);
    const text = reporter.render(data as never, full as never);
    if (text instanceof Uint8Array) {
      process.stdout.write(text);
      if (text.length > 0 && text[text.length - 1] !== 0x0a) process.stdout.write('\n');
    } else if (typeof text !== 'string') {
      let last = '';
      for (const piece of text) {
        // Waiting for a slow reader keeps only one piece in memory at a time.
        if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
        if (piece) last = piece;
      }
      if (!last.endsWith('\n')) process.stdout.write('\n');
    } else if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    process.exitCode = reporter.exitCodeFor?.(data as never) ?? 0;
  } catch (error) {
    const { isPatchkitError } = await import('./errors.js');
    if (!isPatchkitError(error)) throw error;
    process.stderr.write(`patchkit ${name}: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    process.exitCode = error.exitCode;
  }
};

const python = new Option(
  '--python <exe>',
  'interpreter of the environment (default: $VIRTUAL_ENV, $CONDA_PREFIX, python3)',
);
const json = new Option('--json', 'print JSON instead of text');
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The `Exit status:` block of a command whose exit 1 is a finding (for CI gates), not an error. */
const exitStatus = (ok: string, finding: string) =>
  [
    '',
    'Exit status:',
    `  0  ${ok}`,
    `  1  ${finding}`,
    '  2  error (bad arguments, no interpreter, unreadable files)',
  ].join('\n');

const program = new Command('patchkit')
  .description('Author, install and maintain runtime patches of Python packages, without importing them.')
  .version(pkg.version)
  // `patchkit --version` is the CLI's; after a command name, options are the command's (`build --version`).
  .enablePositionalOptions()
  .showHelpAfterError()
  // Usage errors (unknown option, invalid --body choice, missing argument) exit 2 like every other
  // error the user can act on; commander's own default is 1, which this CLI reserves for findings.
  // Set before the subcommands are added: they copy it.
  .exitOverride();

program
  .command('scan')
  .description('list the modules, classes and functions of a package, with hazards and sentinels (never imports it)')
  .argument('<target>', 'import name (sglang), dotted subpackage (sglang.srt.managers), one-file module, or directory')
  .addOption(python)
  .addOption(json)
  .option('--grep <regex>', 'only symbols whose module:qualname matches')
  .option('--private', 'show _private names too')
  .option('--no-cache', 'parse every file again, ignoring the cache')
  .addOption(new Option('--parser <kind>', 'tree-sitter binding').choices(['auto', 'native', 'wasm']).default('auto'))
  .action((target: string, options: Record<string, unknown>) => execute('scan', { target, ...options }));

program
  .command('new')
  .description('generate a patch bundle (injector .pth/.start, loader, core, manifest, test) for targets')
  .argument('<name>', 'bundle name: a Python identifier')
  .option(
    '--target <module:qualname>',
    'what to patch (a dotted a.b.Class.method is split at the longest module); globs allowed (mod:Class.*); repeatable',
    collect,
  )
  .option('--from-diff <file>', 'turn a unified diff (git diff, format-patch, diff -u) into the bundle instead')
  .option('--strip <n>', 'with --from-diff: leading path components to drop from its file names (like patch -pN)')
  .addOption(json)
  .addOption(python)
  .option('--sentinel <module>', 'module whose import applies the patches (default: recommended per target)')
  .addOption(
    new Option('--body <style>', "wrapper body, or `replace`: the target's own source, to edit")
      .choices(['passthrough', 'trace', 'replace'])
      .default('passthrough'),
  )
  .addOption(
    new Option(
      '--policy <policy>',
      'when a target cannot be applied: warn, skip, or require (the import fails)',
    ).choices(['warn', 'skip', 'require']),
  )
  .option('--out <dir>', 'output directory', '.')
  .option('--force', 'replace an existing bundle directory (never a core you edited)')
  .action((name: string, options: Record<string, unknown>) => execute('new', { name, ...options }));

program
  .command('pick')
  .description('choose targets interactively (fuzzy search), then generate like `new`')
  .argument('<package>', 'package to scan')
  .addOption(python)
  .action((target: string, options: Record<string, unknown>) => execute('pick', { target, ...options }));

program
  .command('install')
  .description('install a bundle into an environment (atomic, byte-compiled, recorded for uninstall)')
  .argument('<bundle>', 'bundle directory written by `patchkit new`')
  .addOption(python)
  .addOption(json)
  .option('--user', 'install into the user site-packages')
  .option('--force', 'replace files patchkit did not write (or that were edited since)')
  .action((bundle: string, options: Record<string, unknown>) => execute('install', { bundle, ...options }));

program
  .command('uninstall')
  .description('remove an installed bundle: .pth/.start first, then exactly the recorded files')
  .argument('<name>', 'bundle name')
  .addOption(python)
  .addOption(json)
  .action((name: string, options: Record<string, unknown>) => execute('uninstall', { name, ...options }));

program
  .command('list')
  .description('bundles installed in an environment, their targets, and whether their files were edited')
  .addOption(python)
  .addOption(json)
  .addHelpText('after', exitStatus('every installed file as installed', 'an installed file was edited or is missing'))
  .action((options: Record<string, unknown>) => execute('list', options));

program
  .command('verify')
  .description('import each sentinel in the target interpreter and report every target: applied, skipped, error')
  .argument('<name>', 'bundle name')
  .addOption(python)
  .addOption(json)
  .option('--spawn', 'check a multiprocessing spawn child too')
  .addHelpText('after', exitStatus('every target applied', 'a target is not applied (skipped, pending or error)'))
  .action((name: string, options: Record<string, unknown>) => execute('verify', { name, ...options }));

const CHECK_STATUSES = [
  '',
  'Statuses (what each target depends on: a wrapper on existence, kind and signature; a replacement,',
  'an added or removed definition on the exact upstream text it was made from):',
  '  unchanged  the same text where it was',
  '  moved      the same, at another line or module (not drift)',
  '  format     wrapper: comments or formatting of the signature changed, not its parameters (not drift)',
  '  body       wrapper: the body changed; the wrapper does not depend on it (not drift)',
  '  signature  wrapper: parameters, kinds, defaults or annotations changed',
  '  kind       wrapper: it became another kind (method/property, sync/async, generator)',
  '  upstream   replacement, added or removed definition: upstream changed the text it was made from;',
  '             module code or overlay: one of its hunks no longer applies',
  '  exists     added definition or new module: upstream now has it',
  '  missing    no definition of it in the package (the closest names are listed)',
  '  unchecked  module code of a bundle made before the manifest kept its hunks, or an unreadable overlay',
  'Module code and an overlay are checked hunk by hunk, in order, with exact context: moved when a hunk applies at another',
  'line (where is printed), upstream when one no longer applies.',
].join('\n');

program
  .command('check')
  .description('re-scan the target package and say, per target, whether what the patch depends on changed')
  .argument('<bundle>', 'bundle directory')
  .addOption(python)
  .option('--source <dir>', 'scan this source tree instead of the installed package (version from pyproject.toml)')
  .addOption(json)
  .option('--no-cache', 'parse every file again, ignoring the cache')
  .addHelpText(
    'after',
    `${CHECK_STATUSES}\n${exitStatus(
      'nothing a target depends on changed (unchanged, moved, format, body)',
      'a target drifted where the patch depends on it (signature, kind, upstream, exists, missing, unchecked), or the core holds merge conflicts update left',
    )}`,
  )
  .action((bundle: string, options: Record<string, unknown>) => execute('check', { bundle, ...options }));

program
  .command('update')
  .description(
    'bring a bundle to the installed (or given) version: re-resolve wrappers, three-way merge replacements and diff hunks',
  )
  .argument('<bundle>', 'bundle directory')
  .addOption(python)
  .option('--source <dir>', 'update to this source tree instead of the installed package')
  .option('--dry-run', 'print what would change (a diff of every file) and write nothing')
  .option(
    '--drop <module:qualname>',
    'remove a target the review found unneeded (gone upstream, or fixed there): its TARGETS entry and definition leave the core; repeatable',
    collect,
  )
  .addOption(json)
  .option('--no-cache', 'parse every file again, ignoring the cache')
  .addHelpText(
    'after',
    exitStatus(
      'updated (or already current): `check` now exits 0',
      'a merge conflicted (markers written into the core, listed) or a target is missing: resolve, then update again',
    ),
  )
  .action((bundle: string, options: Record<string, unknown>) => execute('update', { bundle, ...options }));

program
  .command('build')
  .description('build a reproducible wheel of a bundle (pip install / uninstall it anywhere, no Node needed)')
  .argument('<bundle>', 'bundle directory')
  .option('--out <dir>', 'output directory', '.')
  .option('--version <version>', 'the wheel version (PEP 440; default 0+g<content hash>, which an index refuses)')
  .option('--pin', 'require the target distribution at the version the bundle was generated for')
  .addOption(json)
  .action((bundle: string, options: Record<string, unknown>) => execute('build', { bundle, ...options }));

program
  .command('audit')
  .description('every .pth and .start file of an environment: executable lines, owner, risk flags (runs nothing)')
  .addOption(python)
  .addOption(json)
  .addHelpText(
    'after',
    exitStatus(
      'no risk flags outside patchkit',
      "a start-up line this interpreter runs, not patchkit's own, has a risk flag (a CI gate for images)",
    ),
  )
  .action((options: Record<string, unknown>) => execute('audit', options));

program
  .command('demo')
  .description('the whole loop on the stdlib in a throw-away venv: scan, generate, install, run, trace, uninstall')
  .option('--python <exe>', 'base interpreter for the throw-away venv', 'python3')
  .option('--keep', 'keep the venv and bundle directory')
  .action((options: Record<string, unknown>) => execute('demo', options));

// `patchkit scan … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // commander has printed the message (and the help); --help and --version arrive here with 0.
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
