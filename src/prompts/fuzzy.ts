/**
 * Search for the picker. A name the user typed exactly beats any fuzzy match: the qualname itself,
 * then a qualname ending with it, then a substring at a word start, any substring, and last a
 * fuzzy match (every character in order; word starts and runs score higher). Shorter keys win ties.
 * A term holding `*`, `?` or `[` is a glob, matched as `new --target` matches it.
 */
import { globToRegExp } from '../generate/resolve.js';

const fuzzyScore = (query: string, text: string): number | null => {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 0;
  const t = text.toLowerCase();
  let score = 0;
  let at = -1;
  let run = 0;
  for (const ch of q) {
    const next = t.indexOf(ch, at + 1);
    if (next < 0) return null;
    run = next === at + 1 ? run + 1 : 0;
    score += 1 + run * 2 + (next === 0 || '.:_'.includes(t[next - 1]) ? 3 : 0);
    at = next;
  }
  return score - text.length / 100;
};

/** Above any fuzzy score: one tier per kind of literal match. */
const TIER = 1_000_000;

/** A word starts at `at`: the key's start, after `.`, `:` or `_`, or a capital after a lower-case letter. */
const wordStart = (text: string, at: number) =>
  at === 0 || '.:_'.includes(text[at - 1]) || (/\p{Lu}/u.test(text[at]) && /\p{Ll}/u.test(text[at - 1]));

/** How well `key` (`module:qualname`) matches `query`: higher is better, null when it does not match. */
export const matchScore = (query: string, key: string): number | null => {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 0;
  const t = key.toLowerCase();
  const qualname = t.slice(t.indexOf(':') + 1);
  let tier = 0;
  if (qualname === q || t === q) tier = 4;
  else if (qualname.endsWith(`.${q}`) || t.endsWith(`:${q}`)) tier = 3;
  else {
    const at = t.indexOf(q);
    if (at >= 0) tier = wordStart(key, at) ? 2 : 1;
  }
  return tier > 0 ? tier * TIER - key.length / 100 : fuzzyScore(q, key);
};

export const isGlob = (term: string) => /[*?[]/.test(term);

export interface Search<T> {
  glob: boolean;
  /** Best first, at most `limit`; for a glob every match, in the given order. */
  items: T[];
}

export const searchKeys = <T>(items: T[], term: string, key: (item: T) => string, limit: number): Search<T> => {
  const query = term.trim();
  if (isGlob(query)) {
    // Case-sensitive like --target; on the qualname unless the glob names the module too.
    const regexp = globToRegExp(query);
    const subject = query.includes(':') ? key : (item: T) => key(item).slice(key(item).indexOf(':') + 1);
    return { glob: true, items: items.filter((item) => regexp.test(subject(item))) };
  }
  const ranked = items
    .map((item) => ({ item, score: matchScore(query, key(item)) }))
    .filter((x): x is { item: T; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.item);
  return { glob: false, items: ranked };
};
