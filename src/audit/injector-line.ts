/**
 * Recognises the line patchkit's own `.pth` carries: `import <name>_patch_injector`, nothing else,
 * for a name patchkit accepts. It holds names only, so it is not reported as start-up code to worry
 * about even when the name happens to contain a flagged word ("token", "secret"); a look-alike with
 * anything more on the line is not recognised and is flagged like any other line.
 */
import { validateName } from '../generate/validate.js';

const LINE = /^import ([A-Za-z_][A-Za-z0-9_]*)_patch_injector$/;

export const isInjectorLine = (text: string): boolean => {
  const match = LINE.exec(text.trim());
  if (!match) return false;
  try {
    validateName(match[1]);
    return true;
  } catch {
    return false;
  }
};
