/**
 * Exact nearest neighbours by cosine similarity, for the hover lines on a map and the table that
 * is its text alternative. Exact rather than approximate: a reader checks the table against the
 * picture, and at notebook sizes (≤ ~5,000 points) the full product is fast enough.
 */
import { normalizeRows, rowProduct, toDenseMatrix } from "./matrix";
import { withDefaults } from "./options";

export const defaults = {
  /** Neighbours per point. */
  k: 5,
};

export interface NeighbourOptions {
  /** Neighbours per point, an integer ≥ 0, clamped to n − 1. Default 5. */
  k?: number;
}

/** Another point, by its index in the input, and its cosine similarity in [−1, 1]. */
export interface Neighbour {
  index: number;
  score: number;
}

/** Rows per tile: 64 rows of 512 doubles (256 KB) per side keep a tile pair in cache. */
const TILE = 64;

/**
 * For each vector, its k most similar other vectors by cosine, most similar first (ties: lower
 * index first, so the result does not depend on the order of computation). A zero vector has
 * similarity 0 to everything, as in lib/vectors' `cosine`. Duplicates are neighbours with score 1.
 * O(n² · d) time, computed in tiles over normalised rows, each pair once.
 */
export function nearestNeighbours(
  vectors: readonly ArrayLike<number>[],
  options: NeighbourOptions = {},
): Neighbour[][] {
  const { k: requested } = withDefaults(defaults, options);
  if (!Number.isInteger(requested) || requested < 0) {
    throw new Error(`k must be an integer ≥ 0, got ${requested}: try 5.`);
  }
  const data = normalizeRows(toDenseMatrix(vectors), { zeroRows: "keep" });
  const { rows: n, columns: d, data: values } = data;
  const k = Math.min(requested, Math.max(n - 1, 0));
  if (k === 0) return Array.from({ length: n }, () => []);

  // Each point's best k so far, sorted, in flat typed arrays: almost every pair is rejected by
  // one comparison with the current k-th best, without allocating anything.
  const indices = new Int32Array(n * k);
  const scores = new Float64Array(n * k);
  const counts = new Int32Array(n);
  const offer = (owner: number, index: number, score: number) => {
    const base = owner * k;
    let position = counts[owner];
    if (position === k) {
      const last = base + k - 1;
      if (score < scores[last] || (score === scores[last] && index > indices[last])) return;
      position = k - 1;
    } else {
      counts[owner]++;
    }
    // Shift worse entries down one place; ties rank the lower index first.
    while (position > 0) {
      const above = base + position - 1;
      if (scores[above] > score || (scores[above] === score && indices[above] < index)) break;
      scores[above + 1] = scores[above];
      indices[above + 1] = indices[above];
      position--;
    }
    scores[base + position] = score;
    indices[base + position] = index;
  };

  for (let tileStart = 0; tileStart < n; tileStart += TILE) {
    const tileEnd = Math.min(n, tileStart + TILE);
    for (let otherStart = tileStart; otherStart < n; otherStart += TILE) {
      const otherEnd = Math.min(n, otherStart + TILE);
      for (let i = tileStart; i < tileEnd; i++) {
        for (let j = Math.max(otherStart, i + 1); j < otherEnd; j++) {
          const score = Math.min(1, Math.max(-1, rowProduct(values, d, i, j)));
          offer(i, j, score);
          offer(j, i, score);
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: counts[i] }, (_, r) => ({ index: indices[i * k + r], score: scores[i * k + r] })),
  );
}

/**
 * The k nearest others of every item read off a similarity matrix (e.g. from POST /api/similarity),
 * best first; ties go to the lower index, as in `nearestNeighbours`.
 */
export function neighboursFromMatrix(matrix: readonly (readonly number[])[], k = defaults.k): Neighbour[][] {
  return matrix.map((row, i) =>
    row
      .map((score, index) => ({ index, score }))
      .filter((entry) => entry.index !== i)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, k),
  );
}
