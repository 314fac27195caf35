/**
 * Exact k-nearest neighbours, for UMAP's graph. umap-js finds neighbours approximately
 * (random-projection trees + NN-descent, ~2 s for 10,000 × 100-d here, calling a distance
 * function per pair on number[][]); one blocked matrix product over Float32 copies of the vectors
 * (tile-products.ts, WebAssembly SIMD) finds them exactly in a fraction of that. Both distances
 * come from the same products: |a − b|² = |a|² + |b|² − 2 a·b.
 */
import { centerColumns, type DenseMatrix } from "./matrix";
import { TILE, tileProducts } from "./tile-products";

/** Each point's k nearest points, in flat arrays: point i's list is at [i·k, (i + 1)·k). */
export interface NearestNeighbours {
  n: number;
  k: number;
  /** Per point, its own index first, then its k − 1 nearest other points, nearest first. */
  indices: Int32Array;
  /** The matching distances (≥ 0); the first is always 0 (the point itself). */
  distances: Float64Array;
}

/**
 * The k nearest neighbours of every row, found exactly by comparing every pair once. Each point
 * lists itself first at distance 0, then the others nearest first. Ties (equal distances, e.g.
 * duplicate vectors) go to the lower index, so the result never depends on the order pairs were
 * visited.
 *
 * Products are taken over Float32 copies of the vectors, so two neighbours whose distances differ
 * by less than ~1e-7 (relative) may swap places; distances are rounded the same way.
 *
 * @param rows n ≥ 1 vectors; for "cosine" they must have length 1 (not checked: normalise them first).
 * @param k neighbours per point including itself, an integer from 1 to n.
 * @param distance "cosine" (default): 1 − a·b; "euclidean": |a − b|.
 * @param kernel how to take the products (see tile-products.ts); default: WebAssembly where it runs.
 */
export function exactNeighbours(
  rows: DenseMatrix,
  k: number,
  distance: "cosine" | "euclidean" = "cosine",
  kernel?: "wasm" | "js",
): NearestNeighbours {
  const steps = exactNeighbourSteps(rows, k, distance, kernel);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `exactNeighbours` in steps: the generator pauses after each block of 64 rows (~4 ms at 10,000 ×
 * 100-d), so an async caller can let other work run in between; its return value is the result.
 */
export function* exactNeighbourSteps(
  rows: DenseMatrix,
  k: number,
  distance: "cosine" | "euclidean" = "cosine",
  kernel?: "wasm" | "js",
): Generator<void, NearestNeighbours> {
  const { rows: n, columns } = rows;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`k must be an integer from 1 to the number of points (${n}), got ${k}.`);
  }
  const others = k - 1;
  // Centring leaves Euclidean distances as they are and keeps the products small, so less is lost
  // to rounding.
  let vectors = rows.data;
  if (distance === "euclidean") {
    const centred = { ...rows, data: rows.data.slice() };
    centerColumns(centred);
    vectors = centred.data;
  }
  const products = tileProducts(vectors, n, columns, kernel);
  const { tile } = products;
  // j is ranked for i by the score a·b − |b|²/2 = (|a|² − |a − b|²) / 2 (|a|² is the same for all j);
  // for unit vectors that ranks by a·b. |b|² comes from the same kernel as a·b, so duplicates are at
  // exactly 0 and a point's score for itself is exactly the highest.
  const halfSquares = new Float64Array(n);
  for (let a0 = 0; a0 < n; a0 += TILE) {
    const a1 = Math.min(a0 + TILE, products.rows);
    products.compute(a0, a1, a0, a1);
    for (let i = a0; i < a1 && i < n; i++) halfSquares[i] = tile[(i - a0) * (TILE + 1)] / 2;
  }

  // Per row, a heap of its `others` best candidates with the worst at the root: lowest score,
  // and among equal scores the highest index. Empty slots hold −∞ and index n.
  const heapScores = new Float64Array(n * others).fill(-Infinity);
  const heapIndices = new Int32Array(n * others).fill(n);
  const push = (i: number, j: number, score: number): void => {
    const base = i * others;
    const rootScore = heapScores[base];
    if (score < rootScore || (score === rootScore && j > heapIndices[base])) return;
    siftDown(heapScores, heapIndices, base, others, score, j);
  };

  // Rows [a0, a0 + TILE) against themselves and every later row.
  const compareRowBlock = (a0: number): void => {
    const a1 = Math.min(a0 + TILE, products.rows);
    for (let b0 = a0; b0 < n; b0 += TILE) {
      const b1 = Math.min(b0 + TILE, products.rows);
      products.compute(a0, a1, b0, b1);
      for (let i = a0; i < a1 && i < n; i++) {
        const offset = (i - a0) * TILE - b0;
        for (let j = Math.max(b0, i + 1); j < b1 && j < n; j++) {
          const product = tile[offset + j];
          push(i, j, product - halfSquares[j]);
          push(j, i, product - halfSquares[i]);
        }
      }
    }
  };
  if (others > 0) {
    for (let a0 = 0; a0 < n; a0 += TILE) {
      compareRowBlock(a0);
      yield;
    }
  }

  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const order = new Array<number>(others);
  for (let i = 0; i < n; i++) {
    for (let slot = 0; slot < others; slot++) order[slot] = i * others + slot;
    order.sort((x, y) => heapScores[y] - heapScores[x] || heapIndices[x] - heapIndices[y]);
    indices[i * k] = i;
    for (let slot = 0; slot < others; slot++) {
      const score = heapScores[order[slot]];
      indices[i * k + 1 + slot] = heapIndices[order[slot]];
      // Cosine: 1 − a·b = (|a|² + |b|²) / 2 − a·b for unit vectors; Euclidean: √(|a|² + |b|² − 2 a·b).
      const halfSquaredDistance = Math.max(0, halfSquares[i] - score);
      distances[i * k + 1 + slot] = distance === "cosine" ? halfSquaredDistance : Math.sqrt(2 * halfSquaredDistance);
    }
  }
  return { n, k, indices, distances };
}

/** Point i's neighbour list (itself first) as a view into `neighbours.indices`. */
export function neighboursOf(neighbours: NearestNeighbours, i: number): Int32Array {
  return neighbours.indices.subarray(i * neighbours.k, (i + 1) * neighbours.k);
}

/** Replaces the root of the heap at `base` (size `size`) with (score, index) and restores order. */
function siftDown(
  scores: Float64Array,
  indices: Int32Array,
  base: number,
  size: number,
  score: number,
  index: number,
): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    let worst = left;
    const right = left + 1;
    if (right < size && isWorse(scores[base + right], indices[base + right], scores[base + left], indices[base + left])) {
      worst = right;
    }
    if (!isWorse(scores[base + worst], indices[base + worst], score, index)) break;
    scores[base + at] = scores[base + worst];
    indices[base + at] = indices[base + worst];
    at = worst;
  }
  scores[base + at] = score;
  indices[base + at] = index;
}

/** Whether candidate (p, i) is a worse neighbour than (q, j): a lower score, or a tie and a higher index. */
function isWorse(p: number, i: number, q: number, j: number): boolean {
  return p < q || (p === q && i > j);
}
