/**
 * Nearest neighbours for maps of big collections. Exact kNN compares every pair: at 100,000 ×
 * 384 that is 2·10¹² multiply-adds, many minutes here. Instead rows are grouped, and compared
 * exactly only within their groups:
 * 1. spherical k-means (seeded, a few rounds) finds one centre per ~1,000 rows;
 * 2. every row joins the groups of its three nearest centres, so rows near a border meet the
 *    rows on the other sides of it;
 * 3. within each group every pair is compared with the full vectors, by the WebAssembly SIMD
 *    products the exact kNN uses (lib/projection/tile-products.ts);
 * Up to one group's size this is the exact kNN. BENCHMARKS.md ("maps") has its recall against
 * exact kNN and what it does to the map.
 */
import type { NearestNeighbours } from "../projection/knn";
import { createRandom } from "../projection/random";
import { TILE, tileProducts } from "../projection/tile-products";
import type { VectorTable } from "./vectors";

export const neighbourDefaults = {
  /** Rows per k-means group (before each row joins a second group). */
  groupSize: 1_000,
  /**
   * Groups each row joins: its nearest centres. On 100,000 GloVe words, 2 found 79 % of the true
   * 15 nearest in 4.4 s, 3 found 90 % in 8.9 s; 2 plus a round of neighbours' neighbours
   * (NN-descent's step, in plain JavaScript) found 85 % in 14 s.
   */
  groupsPerRow: 3,
  /** Rounds of k-means after the seeded start. */
  kmeansRounds: 2,
  /**
   * Rows the k-means rounds look at: above this many, a seeded sample of them (every row still
   * joins its nearest centres afterwards). A round costs rows × centres × dims, and centres grow
   * with the rows, so at 1M × 384 each round over every row would be ~40 s; 100 rows per centre
   * place the centres about as well.
   */
  kmeansSample: 100_000,
};

export interface NeighbourOptions {
  seed: number;
  /**
   * Rows that may be found (1) and rows that may not (0): where rows being placed on a map look
   * for their neighbours among the rows already on it. Default: every row.
   */
  candidates?: Uint8Array;
  /** Rows whose lists are wanted (1); the others' lists stay empty, and groups without such a row are skipped. Default: every row. */
  queries?: Uint8Array;
}

/**
 * Each row's k nearest rows by cosine (rows of length 1), nearest first, in `NearestNeighbours`'s
 * flat form. Without `candidates` a row is its own nearest and comes first at distance 0, as UMAP's
 * graph expects. A row with fewer than k candidates near it has its list padded with −1. A
 * generator that pauses every few milliseconds, so a caller can let other work run (runYielding).
 */
export function* tableNeighbours(table: VectorTable, k: number, options: NeighbourOptions): Generator<void, NearestNeighbours> {
  const { rows: n } = table;
  const { groupSize, groupsPerRow, kmeansRounds, kmeansSample } = neighbourDefaults;
  const { candidates, queries } = options;
  const lists = new NeighbourLists(n, k);
  const groupCount = Math.max(1, Math.round(n / groupSize));
  if (groupCount === 1) {
    yield* scanGroup(table, allRows(n), lists, candidates, queries);
  } else {
    const centres = yield* kmeans(table, groupCount, kmeansRounds, kmeansSample, options.seed);
    const nearest = yield* nearestCentres(table, centres, groupsPerRow);
    for (const group of groupsOf(nearest, groupsPerRow, centres.rows)) {
      if (!queries || group.some((i) => queries[i] === 1)) yield* scanGroup(table, group, lists, candidates, queries);
    }
  }
  const result = lists.sorted();
  if (!candidates) putSelfFirst(result);
  return result;
}

function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * Per row, its k best candidates so far as a heap with the worst at the root (lowest score, then
 * highest index): scores are dot products, empty slots −∞ and index −1.
 */
class NeighbourLists {
  readonly scores: Float64Array;
  readonly ids: Int32Array;

  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    this.scores = new Float64Array(n * k).fill(-Infinity);
    this.ids = new Int32Array(n * k).fill(-1);
  }

  /** Offers j to row i's list; a j already listed is not added twice. */
  offer(i: number, j: number, score: number): void {
    const { k, scores, ids } = this;
    const base = i * k;
    if (score < scores[base] || (score === scores[base] && j > ids[base] && ids[base] >= 0)) return;
    for (let slot = base; slot < base + k; slot++) if (ids[slot] === j) return;
    // Replace the root and sift it down.
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= k) break;
      const right = left + 1;
      const child = right < k && this.worse(base + right, base + left) ? right : left;
      const c = base + child;
      if (!(scores[c] < score || (scores[c] === score && (ids[c] > j || ids[c] < 0)))) break;
      scores[base + at] = scores[c];
      ids[base + at] = ids[c];
      at = child;
    }
    scores[base + at] = score;
    ids[base + at] = j;
  }

  private worse(a: number, b: number): boolean {
    const { scores, ids } = this;
    return scores[a] < scores[b] || (scores[a] === scores[b] && (ids[a] < 0 ? ids[b] >= 0 : ids[b] >= 0 && ids[a] > ids[b]));
  }

  /** Every list best first, scores turned into cosine distances. */
  sorted(): NearestNeighbours {
    const { n, k, scores, ids } = this;
    const indices = new Int32Array(n * k);
    const distances = new Float64Array(n * k);
    const order = Array.from({ length: k }, (_, slot) => slot);
    for (let i = 0; i < n; i++) {
      const base = i * k;
      order.sort((a, b) => {
        const [idA, idB] = [ids[base + a], ids[base + b]];
        if (idA < 0 || idB < 0) return (idA < 0 ? 1 : 0) - (idB < 0 ? 1 : 0);
        return scores[base + b] - scores[base + a] || idA - idB;
      });
      order.forEach((slot, rank) => {
        indices[base + rank] = ids[base + slot];
        distances[base + rank] = ids[base + slot] < 0 ? Infinity : Math.max(0, 1 - scores[base + slot]);
      });
    }
    return { n, k, indices, distances };
  }
}

/** Moves each row to the head of its own list, at distance 0 (a duplicate may have tied it). */
function putSelfFirst({ n, k, indices, distances }: NearestNeighbours): void {
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let at = base;
    while (at < base + k && indices[at] !== i) at++;
    if (at === base + k) at = base + k - 1;
    for (let slot = at; slot > base; slot--) {
      indices[slot] = indices[slot - 1];
      distances[slot] = distances[slot - 1];
    }
    indices[base] = i;
    distances[base] = 0;
  }
}

/** Every pair of the group's rows compared (tile by tile), each offered to the other's list. */
function* scanGroup(table: VectorTable, group: Int32Array, lists: NeighbourLists, candidates?: Uint8Array, queries?: Uint8Array): Generator<void> {
  const { dims } = table;
  const size = group.length;
  const gathered = new Float32Array(size * dims);
  for (let g = 0; g < size; g++) gathered.set(table.data.subarray(group[g] * dims, (group[g] + 1) * dims), g * dims);
  const products = tileProducts(gathered, size, dims);
  const { tile } = products;
  for (let a0 = 0; a0 < size; a0 += TILE) {
    const a1 = Math.min(a0 + TILE, products.rows);
    for (let b0 = a0; b0 < size; b0 += TILE) {
      const b1 = Math.min(b0 + TILE, products.rows);
      products.compute(a0, a1, b0, b1);
      for (let a = a0; a < a1 && a < size; a++) {
        const i = group[a];
        const offset = (a - a0) * TILE - b0;
        for (let b = Math.max(b0, a); b < b1 && b < size; b++) {
          const j = group[b];
          const score = tile[offset + b];
          if ((!candidates || candidates[j]) && (!queries || queries[i])) lists.offer(i, j, score);
          if (b !== a && (!candidates || candidates[i]) && (!queries || queries[j])) lists.offer(j, i, score);
        }
      }
    }
    yield;
  }
}

/**
 * Spherical k-means: `count` unit centres, started from distinct rows chosen by the seed; the
 * rounds run over at most `sampleSize` rows (a seeded sample, the starting rows among them).
 */
function* kmeans(table: VectorTable, count: number, rounds: number, sampleSize: number, seed: number): Generator<void, VectorTable> {
  const { rows, dims } = table;
  const random = createRandom(seed);
  const order = allRows(rows);
  const picked = Math.min(rows, Math.max(count, sampleSize));
  // A partial Fisher–Yates shuffle: its first `count` rows start the centres, its first `picked` are the sample.
  for (let c = 0; c < (picked < rows ? picked : count); c++) {
    const pick = c + Math.floor(random() * (rows - c));
    [order[c], order[pick]] = [order[pick], order[c]];
  }
  const centres = new Float32Array(count * dims);
  for (let c = 0; c < count; c++) centres.set(table.data.subarray(order[c] * dims, (order[c] + 1) * dims), c * dims);
  let sample = table;
  if (picked < rows) {
    const data = new Float32Array(picked * dims);
    for (let s = 0; s < picked; s++) data.set(table.data.subarray(order[s] * dims, (order[s] + 1) * dims), s * dims);
    sample = { rows: picked, dims, data };
  }
  const { data } = sample;
  const table_ = { rows: count, dims, data: centres };
  for (let round = 0; round < rounds; round++) {
    const nearest = yield* nearestCentres(sample, table_, 1);
    const sums = new Float64Array(count * dims);
    const members = new Int32Array(count);
    for (let i = 0; i < sample.rows; i++) {
      const c = nearest[i];
      members[c]++;
      for (let t = 0; t < dims; t++) sums[c * dims + t] += data[i * dims + t];
    }
    for (let c = 0; c < count; c++) {
      if (members[c] === 0) continue;
      let length = 0;
      for (let t = 0; t < dims; t++) length += sums[c * dims + t] ** 2;
      if (length === 0) continue;
      const scale = 1 / Math.sqrt(length);
      for (let t = 0; t < dims; t++) centres[c * dims + t] = sums[c * dims + t] * scale;
    }
    yield;
  }
  return table_;
}

/** Rows compared with the centres per block of this many rows: one WebAssembly memory each. */
const CENTRE_BLOCK_ROWS = 16_384;

/** Each row's `count` nearest centres, best first, as rows × count indices. */
function* nearestCentres(table: VectorTable, centres: VectorTable, count: number): Generator<void, Int32Array> {
  const { rows, dims } = table;
  const m = centres.rows;
  const m4 = Math.ceil(m / 4) * 4;
  const result = new Int32Array(rows * count);
  const bestScores = new Float64Array(count);
  const bestIds = new Int32Array(count);
  for (let start = 0; start < rows; start += CENTRE_BLOCK_ROWS) {
    const blockRows = Math.min(CENTRE_BLOCK_ROWS, rows - start);
    const joined = new Float32Array((m4 + blockRows) * dims);
    joined.set(centres.data.subarray(0, m * dims));
    joined.set(table.data.subarray(start * dims, (start + blockRows) * dims), m4 * dims);
    const products = tileProducts(joined, m4 + blockRows, dims);
    const { tile } = products;
    const scores = new Float32Array(blockRows * m);
    for (let b0 = m4; b0 < m4 + blockRows; b0 += TILE) {
      const b1 = Math.min(b0 + TILE, products.rows);
      for (let a0 = 0; a0 < m4; a0 += TILE) {
        const a1 = Math.min(a0 + TILE, m4);
        products.compute(a0, a1, b0, b1);
        for (let c = a0; c < a1 && c < m; c++) {
          for (let b = b0; b < b1 && b < m4 + blockRows; b++) scores[(b - m4) * m + c] = tile[(c - a0) * TILE + (b - b0)];
        }
      }
      yield;
    }
    for (let r = 0; r < blockRows; r++) {
      bestScores.fill(-Infinity);
      bestIds.fill(0);
      for (let c = 0; c < m; c++) {
        const score = scores[r * m + c];
        if (score <= bestScores[count - 1]) continue;
        let at = count - 1;
        while (at > 0 && bestScores[at - 1] < score) {
          bestScores[at] = bestScores[at - 1];
          bestIds[at] = bestIds[at - 1];
          at--;
        }
        bestScores[at] = score;
        bestIds[at] = c;
      }
      result.set(bestIds, (start + r) * count);
    }
  }
  return result;
}

/** The rows of each centre's group (a row is in the group of each of its nearest centres); empty groups left out. */
function groupsOf(nearest: Int32Array, perRow: number, centres: number): Int32Array[] {
  const sizes = new Int32Array(centres);
  for (let slot = 0; slot < nearest.length; slot++) sizes[nearest[slot]]++;
  const groups = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(centres);
  for (let slot = 0; slot < nearest.length; slot++) {
    const c = nearest[slot];
    groups[c][filled[c]++] = Math.floor(slot / perRow);
  }
  return groups.filter((group) => group.length > 0);
}
