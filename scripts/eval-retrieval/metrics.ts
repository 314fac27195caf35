/**
 * Retrieval figures from ranked chunk lists: recall at k (the share of questions whose answer is
 * among the first k chunks) and mean reciprocal rank, at two levels. Passage: the rank of the
 * first chunk that holds the question's span. Page: the rank of the first chunk from the right
 * page (a page ranks where its best chunk ranks, so page R@5 asks for a chunk of the page among
 * the first five chunks, not among five distinct pages).
 */

/** The k of R@k reported. */
export const recallDepths = [1, 3, 5, 10] as const;
export type RecallDepth = (typeof recallDepths)[number];

export interface Scores {
  questions: number;
  recall: Record<RecallDepth, number>;
  /** Mean of 1/rank, 0 for an answer not retrieved at all (so MRR@depth of the lists, here 100). */
  mrr: number;
}

/** The 1-based rank of the first item of `ranked` that `matches`, or null when none does. */
export function firstRank<T>(ranked: readonly T[], matches: (item: T) => boolean): number | null {
  const at = ranked.findIndex(matches);
  return at < 0 ? null : at + 1;
}

/** Passage rank: the first chunk among `relevant` (chunk ids). */
export function passageRank(ranked: readonly number[], relevant: readonly number[]): number | null {
  const wanted = new Set(relevant);
  return firstRank(ranked, (chunk) => wanted.has(chunk));
}

/** Page rank: the first chunk whose page (`pageOf`) is `page`. */
export function pageRank(ranked: readonly number[], page: number, pageOf: (chunk: number) => number): number | null {
  return firstRank(ranked, (chunk) => pageOf(chunk) === page);
}

/** R@k and MRR over questions' ranks (null = not found). Throws on an empty list: no figure from no questions. */
export function summarize(ranks: readonly (number | null)[]): Scores {
  if (ranks.length === 0) throw new Error("summarize() needs at least one question's rank.");
  const share = (k: number) => ranks.filter((rank) => rank !== null && rank <= k).length / ranks.length;
  const recall = Object.fromEntries(recallDepths.map((k) => [k, share(k)])) as Record<RecallDepth, number>;
  const mrr = ranks.reduce<number>((sum, rank) => sum + (rank === null ? 0 : 1 / rank), 0) / ranks.length;
  return { questions: ranks.length, recall, mrr };
}
