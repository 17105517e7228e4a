/** `patchkit scan <target>`: the inventory of a package, parsed without importing it. */
import type { ParserKind } from '../parser/adapter.js';
import { scanPackageRun, type ScanRun } from '../scan/index.js';
import { progressReporter } from '../util/progress.js';

export interface ScanCommandOptions {
  cwd: string;
  target: string;
  python?: string;
  json?: boolean;
  grep?: string;
  private?: boolean;
  cache?: boolean;
  parser?: ParserKind | 'auto';
}

export const run = async (options: ScanCommandOptions): Promise<ScanRun> => {
  const progress = progressReporter('parsing');
  try {
    const keepJson = options.json === true && !options.grep;
    return await scanPackageRun({ ...options, keepJson, onProgress: progress.update });
  } finally {
    progress.done();
  }
};
