/**
 * UMAP's fuzzy neighbour graph from a kNN list, in flat typed arrays. It computes what umap-js's
 * `fuzzySimplicialSet` does (smooth kNN distances, memberships exp(−(d − ρ)/σ), then the fuzzy
 * union w + wᵀ − w∘wᵀ), in ~30 ms instead of ~2 s at 10,000 points: umap-js keeps sparse matrices
 * as string-keyed maps and builds several of them for the union.
 */
import type { NearestNeighbours } from "./knn";

/** umap-js's (and umap-learn's) tolerance for the σ search and floor on σ, as a share of the mean distance. */
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
/** Bisection steps for σ (umap-js's nIter). */
const SIGMA_STEPS = 64;

/** A symmetric graph as a list of directed edges: each undirected edge appears once each way. */
export interface FuzzyGraph {
  /** Number of points. */
  n: number;
  /** Edge e runs from `from[e]` to `to[e]`; edges are sorted by `from`, then by `to`. */
  from: Int32Array;
  to: Int32Array;
  /** Membership strength of each edge, in (0, 1]. */
  weights: Float64Array;
}

/**
 * The fuzzy union of every point's local fuzzy neighbourhood (umap-learn's
 * `fuzzy_simplicial_set`, local connectivity 1, set-op mix ratio 1).
 *
 * @param neighbours each point's k nearest, itself first at distance 0, as from `exactNeighbours`.
 */
export function fuzzyNeighbourGraph({ n, k, indices, distances }: NearestNeighbours): FuzzyGraph {
  const memberships = localMemberships({ n, k, indices, distances });
  // Per point, its kNN slots ordered by neighbour index, for the binary search in `reverseWeight`.
  const order = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let slot = 0; slot < k; slot++) order[i * k + slot] = i * k + slot;
    sortSegment(order, i * k, (i + 1) * k, (slot) => indices[slot]);
  }
  const reverseWeight = (j: number, i: number): number => {
    let low = j * k, high = low + k - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = indices[order[mid]];
      if (at === i) return memberships[order[mid]];
      if (at < i) low = mid + 1;
      else high = mid - 1;
    }
    return 0;
  };

  // Each undirected edge is emitted once each way: from i's list, and its reverse too when i is
  // not in j's list (else j's list emits it). Two passes: count the edges leaving each point, then
  // place them, so each point's edges are contiguous.
  const starts = new Int32Array(n + 1);
  const forEachEdge = (emit: (from: number, to: number, weight: number) => void): void => {
    for (let i = 0; i < n; i++) {
      for (let slot = i * k; slot < (i + 1) * k; slot++) {
        const j = indices[slot];
        const w = memberships[slot];
        if (j === i || w === 0) continue;
        const back = reverseWeight(j, i);
        const union = w + back - w * back;
        emit(i, j, union);
        if (back === 0) emit(j, i, union);
      }
    }
  };
  forEachEdge((from) => starts[from + 1]++);
  for (let i = 0; i < n; i++) starts[i + 1] += starts[i];
  const edges = starts[n];
  const graph: FuzzyGraph = { n, from: new Int32Array(edges), to: new Int32Array(edges), weights: new Float64Array(edges) };
  const next = starts.slice(0, n);
  forEachEdge((from, to, weight) => {
    const e = next[from]++;
    graph.from[e] = from;
    graph.to[e] = to;
    graph.weights[e] = weight;
  });
  // Within each point, by neighbour index: neighbouring edges then touch nearby memory.
  const position = new Int32Array(edges);
  for (let e = 0; e < edges; e++) position[e] = e;
  for (let i = 0; i < n; i++) sortSegment(position, starts[i], starts[i + 1], (e) => graph.to[e]);
  const to = graph.to.slice();
  const weights = graph.weights.slice();
  for (let e = 0; e < edges; e++) {
    graph.to[e] = to[position[e]];
    graph.weights[e] = weights[position[e]];
  }
  return graph;
}

/** Insertion sort of values[start, end) by key: segments are short (k or about 2k). */
function sortSegment(values: Int32Array, start: number, end: number, key: (value: number) => number): void {
  for (let at = start + 1; at < end; at++) {
    const value = values[at];
    const valueKey = key(value);
    let to = at;
    while (to > start && key(values[to - 1]) > valueKey) {
      values[to] = values[to - 1];
      to--;
    }
    values[to] = value;
  }
}

/**
 * Membership of each kNN edge, laid out like `indices`: 1 for the nearest other point (ρ), then
 * exp(−(d − ρ)/σ) with σ found by bisection so a point's memberships sum to log2 k; 0 for itself.
 */
function localMemberships({ n, k, indices, distances }: NearestNeighbours): Float64Array {
  const target = Math.log2(k);
  const memberships = new Float64Array(n * k);
  let meanOfAll = 0;
  for (let s = 0; s < n * k; s++) meanOfAll += distances[s];
  meanOfAll /= n * k;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let rho = 0, mean = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[base + j];
      mean += d / k;
      if (rho === 0 && d > 0) rho = d;
    }
    let low = 0, high = Infinity, sigma = 1;
    for (let step = 0; step < SIGMA_STEPS; step++) {
      let sum = 0;
      // Skips slot 0 (the point itself), as umap-js does.
      for (let j = 1; j < k; j++) {
        const d = distances[base + j] - rho;
        sum += d > 0 ? Math.exp(-d / sigma) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
      if (sum > target) {
        high = sigma;
        sigma = (low + high) / 2;
      } else {
        low = sigma;
        sigma = high === Infinity ? sigma * 2 : (low + high) / 2;
      }
    }
    sigma = Math.max(sigma, MIN_K_DIST_SCALE * (rho > 0 ? mean : meanOfAll));
    for (let j = 0; j < k; j++) {
      const slot = base + j;
      const d = distances[slot] - rho;
      memberships[slot] = indices[slot] === i ? 0 : d <= 0 ? 1 : Math.exp(-d / sigma);
    }
  }
  return memberships;
}
