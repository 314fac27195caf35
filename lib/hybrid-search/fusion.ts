/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item's score is the sum over
 * the ranked lists of 1 / (c + rank). It needs no calibration between a cosine and a BM25 score,
 * which live on unrelated scales; c = 60 is the paper's constant and the one pgvector's hybrid
 * search example uses.
 */
export function reciprocalRankFusion<Id>(lists: Id[][], { c = 60 }: { c?: number } = {}): Map<Id, number> {
  const scores = new Map<Id, number>();
  for (const list of lists) {
    list.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + 1 / (c + i + 1)));
  }
  return scores;
}
