/**
 * The modules an interpreter has imported when site-packages' `.pth` files run: what the bundle's
 * loader cannot overlay, because they executed before it got control. Asked under `-I -S` (no
 * site-packages, no `.pth`, no environment variables), after importing `site` itself, which under
 * -S does not run its main(): so nothing but the stdlib runs. Modules imported by other `.pth`
 * files or by `sitecustomize` are not known here; the runtime reports those when it meets them.
 */
import { execa } from 'execa';
import { InterpreterError } from '../errors.js';

const SCRIPT = 'import sys, site\nprint("\\n".join(sorted(sys.modules)))';

const memo = new Map<string, Promise<Set<string>>>();

export const startupModules = (executable: string): Promise<Set<string>> => {
  let pending = memo.get(executable);
  if (!pending) {
    pending = execa(executable, ['-I', '-S', '-c', SCRIPT], {
      reject: false,
      timeout: 30_000,
      stdin: 'ignore',
      extendEnv: false,
      env: {},
    }).then((result) => {
      if (result.exitCode !== 0 || result.failed)
        throw new InterpreterError(`${executable} could not list its start-up modules`, 'pass --python <exe>');
      return new Set(String(result.stdout).split('\n').filter(Boolean));
    });
    memo.set(executable, pending);
  }
  return pending;
};
