/** `patchkit list [--python] [--json]`: installed bundles, their targets and the integrity of their files. */
import { checkIntegrity, type FileCheck } from '../install/integrity.js';
import { findInstalled } from '../install/installed.js';
import { lookupDirs, resolveEnv } from '../install/target.js';

export interface ListOptions {
  cwd: string;
  python?: string;
  json?: boolean;
}

export interface ListedBundle {
  name: string;
  distribution: string;
  version: string;
  installer: string | null;
  siteDir: string;
  package: string;
  packageVersion: string | null;
  body: string;
  targets: string[];
  sentinels: string[];
  /** 'ok' when every recorded file is as installed. */
  integrity: 'ok' | 'modified' | 'incomplete';
  problems: FileCheck[];
}

export interface ListResult {
  python: string;
  bundles: ListedBundle[];
}

export const run = async (options: ListOptions): Promise<ListResult> => {
  const env = await resolveEnv(options);
  const bundles: ListedBundle[] = [];
  for (const dir of lookupDirs(env.facts)) {
    for (const b of await findInstalled(dir)) {
      const problems = (await checkIntegrity(b)).filter((c) => c.state !== 'ok');
      const m = b.manifest;
      bundles.push({
        name: b.name,
        distribution: `${b.name}-patch`,
        version: b.version,
        installer: b.installer,
        siteDir: dir,
        package: m.package,
        packageVersion: m.distribution?.version ?? null,
        body: m.body,
        targets: m.targets.map((t) => `${t.module}:${t.qualname}`),
        sentinels: m.sentinels,
        integrity: problems.some((p) => p.state === 'missing') ? 'incomplete' : problems.length > 0 ? 'modified' : 'ok',
        problems,
      });
    }
  }
  return { python: env.python, bundles };
};
