/** `patchkit list [--python] [--json]`: installed bundles, their targets and the integrity of their files. */
import { coreEdited } from '../install/core-state.js';
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
  /** The body style generated ('passthrough', 'trace'), or 'edited' once the installed core differs from it. */
  body: string;
  generatedBody: string;
  /** null when not known: the manifest predates the record of the generated core, or the core is missing. */
  coreEdited: boolean | null;
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
      const edited = await coreEdited(b);
      bundles.push({
        name: b.name,
        distribution: `${b.name}-patch`,
        version: b.version,
        installer: b.installer,
        siteDir: dir,
        package: m.package,
        packageVersion: m.distribution?.version ?? null,
        body: edited ? 'edited' : m.body,
        generatedBody: m.body,
        coreEdited: edited,
        targets: m.targets.map((t) => `${t.module}:${t.qualname}`),
        sentinels: m.sentinels,
        integrity: problems.some((p) => p.state === 'missing') ? 'incomplete' : problems.length > 0 ? 'modified' : 'ok',
        problems,
      });
    }
  }
  return { python: env.python, bundles };
};
