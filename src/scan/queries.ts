/** The tree-sitter queries of grammars/*.scm: all of them concatenated, so one pass captures everything, and structure.scm alone. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { QuerySources } from '../parser/adapter.js';

const QUERY_FILES = ['structure.scm', 'references.scm', 'dynamic.scm'];

const read = (file: string) => readFileSync(new URL(`../../grammars/${file}`, import.meta.url), 'utf8');

export const querySource = (): string => QUERY_FILES.map(read).join('\n');

/** What the parser compiles: every query, and the structure query alone (scan/gather.ts). */
export const querySources = (): QuerySources => ({ all: querySource(), structure: read('structure.scm') });

/** Part of the cache key: editing a query invalidates cached facts. */
export const queryVersion = (): string => createHash('sha256').update(querySource()).digest('hex').slice(0, 12);
