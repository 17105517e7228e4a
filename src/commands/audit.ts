/** `patchkit audit [--python] [--json]`: what runs at this environment's interpreter start-up, read-only. */
import { auditDirs, auditSiteDir, type AuditDir, type AuditFile } from '../audit/audit.js';
import { resolveEnv } from '../install/target.js';

export interface AuditOptions {
  cwd: string;
  python?: string;
  json?: boolean;
}

export interface AuditResult {
  python: string;
  version: string;
  dirs: AuditDir[];
  files: AuditFile[];
}

export const run = async (options: AuditOptions): Promise<AuditResult> => {
  const { python, facts } = await resolveEnv(options);
  const dirs = auditDirs(facts);
  const files: AuditFile[] = [];
  for (const site of dirs) files.push(...(await auditSiteDir(site, facts)));
  return { python, version: facts.version, dirs, files };
};
