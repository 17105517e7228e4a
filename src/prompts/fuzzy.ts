/**
 * Fuzzy matching for the picker: every character of the query must appear in order; matches
 * at word starts (after `.`, `:`, `_`) and consecutive runs score higher, shorter names win ties.
 */
export const fuzzyScore = (query: string, text: string): number | null => {
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

export const fuzzyFilter = <T>(items: T[], query: string, key: (item: T) => string, limit: number): T[] =>
  items
    .map((item) => ({ item, score: fuzzyScore(query, key(item)) }))
    .filter((x): x is { item: T; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.item);
