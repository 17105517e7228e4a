/** The tree-sitter queries of grammars/*.scm, concatenated so one pass captures everything. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const QUERY_FILES = ['structure.scm', 'references.scm', 'dynamic.scm'];

export const querySource = (): string =>
  QUERY_FILES.map((file) => readFileSync(new URL(`../../grammars/${file}`, import.meta.url), 'utf8')).join('\n');

/** Part of the cache key: editing a query invalidates cached facts. */
export const queryVersion = (): string => createHash('sha256').update(querySource()).digest('hex').slice(0, 12);
