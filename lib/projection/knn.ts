/**
 * Exact k-nearest neighbours by cosine distance, for UMAP's graph. umap-js finds neighbours
 * approximately (random-projection trees + NN-descent, ~2 s for 10,000 × 100-d here, calling a
 * distance function per pair on number[][]); one blocked matrix product over unit vectors in a
 * Float32Array finds them exactly in less time, because a tight loop over typed arrays runs
 * several times faster per pair than NN-descent's closures and heaps do.
 */
import type { DenseMatrix } from "./matrix";

/** Rows per tile: two 64 × 512 Float32 tiles (256 kB) stay in a 2-core EPYC's L2. */
const TILE = 64;

export interface NearestNeighbours {
  /** Per point, its own index first, then its k − 1 nearest other points, nearest first. */
  indices: number[][];
  /** The matching cosine distances 1 − a·b (≥ 0); the first is always 0 (the point itself). */
  distances: number[][];
}

/**
 * The k nearest neighbours of every row of `unitRows` (rows of length 1) by cosine distance,
 * found exactly by comparing every pair once. Each point lists itself first at distance 0, the
 * shape umap-js's `setPrecomputedKNN` expects. Ties (equal products, e.g. duplicate vectors) go to
 * the lower index, so the result never depends on the order pairs were visited.
 *
 * Products are taken over Float32 copies of the vectors, so two neighbours whose cosines differ by
 * less than ~1e-7 may swap places; distances are rounded the same way.
 *
 * @param unitRows n ≥ 1 vectors of length 1 (not checked: normalise them first).
 * @param k neighbours per point including itself, an integer from 1 to n.
 */
export function exactCosineNeighbours(unitRows: DenseMatrix, k: number): NearestNeighbours {
  const { rows: n, columns } = unitRows;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`k must be an integer from 1 to the number of points (${n}), got ${k}.`);
  }
  const others = k - 1;
  // Per row, a heap of its `others` best candidates with the worst at the root: lowest product,
  // and among equal products the highest index. Empty slots hold −∞ and index n.
  const heapProducts = new Float64Array(n * others).fill(-Infinity);
  const heapIndices = new Int32Array(n * others).fill(n);

  const push = (i: number, j: number, product: number): void => {
    const base = i * others;
    const rootProduct = heapProducts[base];
    if (product < rootProduct || (product === rootProduct && j > heapIndices[base])) return;
    siftDown(heapProducts, heapIndices, base, others, product, j);
  };

  if (others > 0) {
    // Pad to an even row count, so the 2 × 2 kernel needs no edge cases; padding rows are zeros.
    const padded = n + (n % 2);
    const data = new Float32Array(padded * columns);
    data.set(unitRows.data);
    const tile = new Float64Array(TILE * TILE);
    for (let a0 = 0; a0 < padded; a0 += TILE) {
      const a1 = Math.min(a0 + TILE, padded);
      for (let b0 = a0; b0 < padded; b0 += TILE) {
        const b1 = Math.min(b0 + TILE, padded);
        productTile(data, columns, a0, a1, b0, b1, tile);
        for (let i = a0; i < a1 && i < n; i++) {
          const offset = (i - a0) * TILE - b0;
          for (let j = Math.max(b0, i + 1); j < b1 && j < n; j++) {
            const product = tile[offset + j];
            push(i, j, product);
            push(j, i, product);
          }
        }
      }
    }
  }

  const indices: number[][] = new Array(n);
  const distances: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: others }, (_, slot) => i * others + slot).sort(
      (x, y) => heapProducts[y] - heapProducts[x] || heapIndices[x] - heapIndices[y],
    );
    indices[i] = [i, ...order.map((slot) => heapIndices[slot])];
    distances[i] = [0, ...order.map((slot) => Math.max(0, 1 - heapProducts[slot]))];
  }
  return { indices, distances };
}

/**
 * tile[(i − a0) · TILE + (j − b0)] = row i · row j for i in [a0, a1), j in [b0, b1), two rows by
 * two at a time: each loaded number is used twice, four running sums overlap the multiplications.
 */
function productTile(
  data: Float32Array,
  columns: number,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  tile: Float64Array,
): void {
  for (let i = a0; i < a1; i += 2) {
    const p = i * columns, q = p + columns;
    for (let j = b0; j < b1; j += 2) {
      const r = j * columns, s = r + columns;
      let pr = 0, ps = 0, qr = 0, qs = 0;
      for (let d = 0; d < columns; d++) {
        const x = data[p + d], y = data[q + d], u = data[r + d], v = data[s + d];
        pr += x * u;
        ps += x * v;
        qr += y * u;
        qs += y * v;
      }
      const t = (i - a0) * TILE + (j - b0);
      tile[t] = pr;
      tile[t + 1] = ps;
      tile[t + TILE] = qr;
      tile[t + TILE + 1] = qs;
    }
  }
}

/** Replaces the root of the heap at `base` (size `size`) with (product, index) and restores order. */
function siftDown(
  products: Float64Array,
  indices: Int32Array,
  base: number,
  size: number,
  product: number,
  index: number,
): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    let worst = left;
    const right = left + 1;
    if (right < size && isWorse(products[base + right], indices[base + right], products[base + left], indices[base + left])) {
      worst = right;
    }
    if (!isWorse(products[base + worst], indices[base + worst], product, index)) break;
    products[base + at] = products[base + worst];
    indices[base + at] = indices[base + worst];
    at = worst;
  }
  products[base + at] = product;
  indices[base + at] = index;
}

/** Whether candidate (p, i) is a worse neighbour than (q, j): a lower product, or a tie and a higher index. */
function isWorse(p: number, i: number, q: number, j: number): boolean {
  return p < q || (p === q && i > j);
}
