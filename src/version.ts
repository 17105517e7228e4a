/** patchkit's own version, read once from package.json (it is part of cache keys and manifests). */
import { readFileSync } from 'node:fs';

export const PATCHKIT_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
