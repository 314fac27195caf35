/**
 * The plain baseline beside the app's rankers: Okapi BM25 over the same chunks, computed here
 * and nowhere else, so a fault in the app's keyword search cannot hide in both. Tokens are
 * lower-cased Intl.Segmenter words (which cut Chinese into dictionary words), with no stemming
 * and no stop words; idf is Lucene's non-negative log(1 + (N − n + 0.5) / (n + 0.5)).
 */

export const bm25Defaults = { k1: 1.2, b: 0.75 } as const;

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** Lower-cased word tokens of a text, in order. */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  // Line by line: the segmenter slows down far faster than linearly on long strings.
  for (const line of text.split("\n")) {
    for (const segment of segmenter.segment(line)) if (segment.isWordLike) tokens.push(segment.segment.toLowerCase());
  }
  return tokens;
}

export interface Bm25Index {
  /** Indices of the texts that share a token with the query, best first (ties: lower index first), at most `k`. */
  search(query: string, k: number): { index: number; score: number }[];
}

export function createBm25Index(texts: readonly string[], { k1 = bm25Defaults.k1, b = bm25Defaults.b } = {}): Bm25Index {
  const postings = new Map<string, { index: number; count: number }[]>();
  const lengths = texts.map((text, index) => {
    const counts = new Map<string, number>();
    const tokens = wordTokens(text);
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, count] of counts) {
      const list = postings.get(token) ?? [];
      list.push({ index, count });
      postings.set(token, list);
    }
    return tokens.length;
  });
  const averageLength = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, texts.length);
  return {
    search(query, k) {
      const scores = new Map<number, number>();
      for (const token of new Set(wordTokens(query))) {
        const list = postings.get(token);
        if (!list) continue;
        const idf = Math.log(1 + (texts.length - list.length + 0.5) / (list.length + 0.5));
        for (const { index, count } of list) {
          const norm = k1 * (1 - b + (b * lengths[index]) / averageLength);
          scores.set(index, (scores.get(index) ?? 0) + (idf * count * (k1 + 1)) / (count + norm));
        }
      }
      return [...scores]
        .map(([index, score]) => ({ index, score }))
        .sort((x, y) => y.score - x.score || x.index - y.index)
        .slice(0, k);
    },
  };
}
