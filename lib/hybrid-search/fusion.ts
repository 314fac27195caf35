/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item's score is the sum over
 * the ranked lists of 1 / (c + rank). It needs no calibration between a cosine and a BM25 score,
 * which live on unrelated scales; c = 60 is the paper's constant and the one pgvector's hybrid
 * search example uses.
 */
export function reciprocalRankFusion<Id>(lists: Id[][], { c = 60, weights }: { c?: number; weights?: number[] } = {}): Map<Id, number> {
  const scores = new Map<Id, number>();
  lists.forEach((list, l) => {
    const weight = weights?.[l] ?? 1;
    list.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + weight / (c + i + 1)));
  });
  return scores;
}
