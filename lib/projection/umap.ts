/**
 * UMAP, made reproducible, safe for small sets and for adding points later, and fast. The steps
 * are umap-js's (v1.4.0) algorithm; the code that runs them is typed-array code in this folder,
 * because umap-js's own spends ~13 s on 10,000 points (BENCHMARKS.md, "projection"):
 * - kNN graph: exact, by blocked dot products (knn.ts), instead of random-projection trees and
 *   NN-descent over number[][];
 * - fuzzy graph: the same weights as umap-js's `fuzzySimplicialSet` (graph.ts, tested against it),
 *   without its string-keyed sparse matrices;
 * - layout: the same epochs as umap-js's `optimizeLayoutStep` (layout.ts), with the gradient's
 *   powers looked up in tables instead of `Math.pow`;
 * - the curve parameters a, b still come from umap-js's `findABParams`.
 * Small sets: nNeighbors is clamped to n − 1; for n ≤ 3 PCA is exact anyway and is used instead.
 * New points are placed where UMAP's transform starts them (see `placeAmongNeighbours`), not with
 * umap-js's `transform`, which moves fitted points when a batch has as many rows as the fit,
 * depends on earlier calls' random state, never counts the first fitted point as a neighbour and
 * can loop forever (probably PAIR-code/umap-js#42): old points never move and a vector always
 * lands in one place.
 */
import { findABParams } from "umap-js/dist/umap";
import { fuzzyNeighbourGraph } from "./graph";
import { exactNeighbourSteps, type NearestNeighbours } from "./knn";
import { createLayout } from "./layout";
import { innerProduct, normalizeRows, row, toDenseMatrix, toRows, type DenseMatrix } from "./matrix";
import { withDefaults } from "./options";
import { pca, toPoint } from "./pca";
import { createRandom } from "./random";

export const defaults = {
  nNeighbors: 15,
  minDist: 0.1,
  spread: 1,
  seed: 42,
  distance: "cosine" as "cosine" | "euclidean",
};

/**
 * Epochs when `nEpochs` is not given: umap-js's own choice by n (500 up to 2,500 points, 400 up to
 * 5,000, 300 up to 7,500, else 200), so quality matches umap-js's at every size; rounded up to a
 * multiple of 3 like any nEpochs.
 */
export function defaultEpochs(n: number): number {
  return n <= 2500 ? 501 : n <= 5000 ? 402 : n <= 7500 ? 300 : 201;
}

export interface UmapOptions {
  /**
   * Neighbours each point looks at, an integer ≥ 2 (clamped to n − 1). Small values show fine local
   * clusters; large values keep more of the global shape. Default 15.
   */
  nNeighbors?: number;
  /** How tightly points may pack, 0 ≤ minDist ≤ spread: 0 gives dense clumps. Default 0.1. */
  minDist?: number;
  /** Scale of the embedded points, > 0; with minDist it sets how spread out clusters are. Default 1. */
  spread?: number;
  /**
   * Optimisation epochs, an integer ≥ 1; fewer is faster and rougher. Rounded up to a multiple of 3,
   * as umap-js's transform (nEpochs / 3 epochs) needed when it was used; the totals stay as they were.
   * Default: `defaultEpochs(n)`, umap-js's choice (501 up to 2,500 points … 201 above 7,500).
   * Until the layout ran in typed arrays the default was 201 at every n, for speed; on 1,000 GloVe
   * words that kept 34.8 % kNN preservation@10 against 36.5 % with 501 (medians of 5 seeds) (BENCHMARKS.md).
   */
  nEpochs?: number;
  /** Seed for every random choice; the same input and options give identical points. Default 42. */
  seed?: number;
  /**
   * "cosine" (default) compares directions: vectors are L2-normalised once and the distance is
   * 1 − a·b, one dot product per pair. "euclidean" uses the vectors as given (length matters, zero
   * vectors allowed).
   */
  distance?: "cosine" | "euclidean";
  /**
   * Called after each epoch with (epoch, total). Return false to stop early: the points so far are
   * returned, with a note. Default: none.
   */
  onProgress?: (epoch: number, total: number) => boolean | void;
}

export interface UmapProjection {
  /** One [x, y] per input vector, in input order. */
  points: [number, number][];
  /** "pca" when UMAP could not or need not run (see note). */
  method: "umap" | "pca";
  /** Why the result is not a plain UMAP run (fallback, clamped nNeighbors, stopped early). */
  note?: string;
  /** Places new vectors on this map without moving the fitted points. Deterministic per vector. */
  transform(newVectors: readonly ArrayLike<number>[]): [number, number][];
}

/** Below this many points UMAP is replaced by PCA, which shows three points exactly. */
export const MIN_UMAP_POINTS = 4;

/** How long the kNN search or the epoch loop runs before yielding to the event loop, in ms. */
const YIELD_EVERY_MS = 25;

/** Fits UMAP to `vectors` (n ≥ 1, one dimension) and returns 2-D points; seeded, so repeatable. */
export async function fitUmap(vectors: readonly ArrayLike<number>[], options: UmapOptions = {}): Promise<UmapProjection> {
  const settings = withDefaults(defaults, options);
  validate(settings);
  const data = prepare(toDenseMatrix(vectors), settings.distance);
  const n = data.rows;
  if (n === 0) throw new Error("Cannot fit UMAP to zero vectors: pass at least one.");
  if (n < MIN_UMAP_POINTS || allIdentical(data)) {
    const reason = n < MIN_UMAP_POINTS
      ? `UMAP needs at least ${MIN_UMAP_POINTS} points, got ${n}; PCA shows up to three exactly.`
      : "All vectors are identical, so there is no neighbourhood structure for UMAP to show.";
    return pcaFallback(data, settings, reason);
  }

  const notes: string[] = [];
  const nNeighbors = Math.min(settings.nNeighbors, n - 1);
  if (nNeighbors < settings.nNeighbors) {
    notes.push(`nNeighbors lowered from ${settings.nNeighbors} to ${nNeighbors}: only ${n} points.`);
  }
  const neighbours = await runYielding(exactNeighbourSteps(data, nNeighbors, settings.distance));
  const { embedding, stoppedAt } = await layoutFromNeighbours(neighbours, settings);
  if (stoppedAt !== undefined) notes.push(`Stopped early at epoch ${stoppedAt.epoch} of ${stoppedAt.of}.`);
  const points = Array.from({ length: n }, (_, i): [number, number] => [embedding[2 * i], embedding[2 * i + 1]]);

  return {
    points,
    method: "umap",
    ...(notes.length > 0 && { note: notes.join(" ") }),
    transform(newVectors) {
      const incoming = prepare(toDenseMatrix(newVectors, "newVectors", data.columns), settings.distance);
      const measure = settings.distance === "cosine" ? cosineDistanceOfUnitVectors : euclideanDistance;
      return toRows(incoming).map((vector) => placeAmongNeighbours(data, points, vector, nNeighbors, measure));
    },
  };
}

/** What `layoutFromNeighbours` needs of UmapOptions. */
export type LayoutFromNeighboursOptions = Pick<UmapOptions, "minDist" | "spread" | "nEpochs" | "seed" | "onProgress">;

/**
 * UMAP's layout from a kNN list (each point itself first, as `exactNeighbours` gives it): the fuzzy
 * graph, then the epochs from umap-js's random start. `fitUmap` runs it on exact neighbours; a big
 * collection's map (lib/maps/) on approximate ones. Returns the n × 2 points row-major and, when
 * `onProgress` stopped it, where.
 */
export async function layoutFromNeighbours(
  neighbours: NearestNeighbours,
  options: LayoutFromNeighboursOptions = {},
): Promise<{ embedding: Float64Array; stoppedAt?: { epoch: number; of: number } }> {
  const { minDist, spread, seed, nEpochs: asked, onProgress } = withDefaults(defaults, options);
  const { n } = neighbours;
  const random = createRandom(seed);
  const nEpochs = Math.ceil((asked ?? defaultEpochs(n)) / 3) * 3;
  const graph = fuzzyNeighbourGraph(neighbours);
  // umap-js's start: uniform in [−10, 10)², from the seeded generator.
  const embedding = Float64Array.from({ length: 2 * n }, () => random() * 20 - 10);
  const { a, b } = curveParameters(spread, minDist);
  const layout = createLayout(graph, embedding, { nEpochs, a, b, random });
  const stoppedAt = await runYielding(
    (function* () {
      for (let epoch = 1; epoch <= nEpochs; epoch++) {
        layout.step();
        if (onProgress?.(epoch, nEpochs) === false && epoch < nEpochs) return { epoch, of: nEpochs };
        yield;
      }
      return undefined;
    })(),
  );
  return { embedding, ...(stoppedAt && { stoppedAt }) };
}

/**
 * umap-js's `findABParams` (a least-squares fit, ~50 ms), remembered for the last few
 * (spread, minDist) pairs: options come from requests, so the memory is bounded.
 */
const fittedCurves = new Map<string, { a: number; b: number }>();
const REMEMBERED_CURVES = 16;
function curveParameters(spread: number, minDist: number): { a: number; b: number } {
  const key = `${spread},${minDist}`;
  if (!fittedCurves.has(key)) {
    if (fittedCurves.size >= REMEMBERED_CURVES) fittedCurves.clear();
    fittedCurves.set(key, findABParams(spread, minDist));
  }
  return fittedCurves.get(key)!;
}

/**
 * A turn of the event loop: pending I/O and timers run, then this resolves. setImmediate where it
 * exists (Node): setTimeout(0) waits ≥ 1 ms even when nothing else is pending, and a 10k fit yields
 * ~80 times (≥ 80 ms, ~5 % of the fit); it also lets a busy machine give the core away each time.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Runs `steps` to its end, giving the event loop a turn whenever YIELD_EVERY_MS have passed. */
export async function runYielding<T>(steps: Generator<void, T>): Promise<T> {
  let lastYield = Date.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (Date.now() - lastYield > YIELD_EVERY_MS) {
      await nextTurn();
      lastYield = Date.now();
    }
  }
}

/**
 * Where UMAP's transform starts a new point: the mean of its k nearest fitted points' positions,
 * weighted by UMAP's fuzzy membership exp(−(d − ρ)/σ) (ρ the nearest distance, σ set so the
 * weights sum to log2 k, as in umap-learn's smooth_knn_dist). umap-js's own transform is not used:
 * it never counts the first fitted point as a neighbour (so a word next to it lands elsewhere) and,
 * with a precomputed graph, looks for neighbours from random starts. Exact and deterministic.
 */
function placeAmongNeighbours(
  data: DenseMatrix,
  points: readonly [number, number][],
  vector: number[],
  k: number,
  measure: (a: ArrayLike<number>, b: ArrayLike<number>) => number,
): [number, number] {
  const nearest = Array.from({ length: data.rows }, (_, i) => ({ i, d: measure(row(data, i), vector) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k);
  const weights = membershipWeights(nearest.map(({ d }) => d));
  const total = weights.reduce((a, b) => a + b, 0);
  let x = 0;
  let y = 0;
  nearest.forEach(({ i }, j) => {
    x += (weights[j] / total) * points[i][0];
    y += (weights[j] / total) * points[i][1];
  });
  return [x, y];
}

/**
 * UMAP's fuzzy memberships of a point's nearest fitted points, given their distances nearest first:
 * exp(−(d − ρ)/σ), ρ the nearest distance, σ set so the weights sum to log2 k (umap-learn's
 * smooth_knn_dist). A new point starts at the mean of its neighbours' positions by these weights.
 */
export function membershipWeights(distances: readonly number[]): number[] {
  const rho = distances[0];
  const target = Math.log2(Math.max(2, distances.length));
  const weightsFor = (sigma: number) => distances.map((d) => Math.exp(-Math.max(0, d - rho) / sigma));
  let low = 0;
  let high = Infinity;
  let sigma = 1;
  for (let step = 0; step < 64; step++) {
    const sum = weightsFor(sigma).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - target) < 1e-5) break;
    if (sum > target) high = sigma;
    else low = sigma;
    sigma = high === Infinity ? sigma * 2 : (low + high) / 2;
  }
  return weightsFor(sigma);
}

function validate(settings: typeof defaults & UmapOptions): void {
  const { nNeighbors, minDist, spread, nEpochs, distance } = settings;
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) {
    throw new Error(`nNeighbors must be an integer ≥ 2, got ${nNeighbors}: try 15.`);
  }
  if (!(spread > 0) || !Number.isFinite(spread)) {
    throw new Error(`spread must be a finite number > 0, got ${spread}: try 1.`);
  }
  if (!(minDist >= 0 && minDist <= spread)) {
    throw new Error(`minDist must be from 0 to spread (${spread}), got ${minDist}: try 0.1.`);
  }
  if (nEpochs !== undefined && (!Number.isInteger(nEpochs) || nEpochs < 1)) {
    throw new Error(`nEpochs must be an integer ≥ 1, got ${nEpochs}: try 200, or leave it out.`);
  }
  if (distance !== "cosine" && distance !== "euclidean") {
    throw new Error(`distance must be "cosine" or "euclidean", got ${JSON.stringify(distance)}.`);
  }
}

function prepare(data: DenseMatrix, distance: "cosine" | "euclidean"): DenseMatrix {
  return distance === "cosine" ? normalizeRows(data) : data;
}

function pcaFallback(data: DenseMatrix, settings: typeof defaults, note: string): UmapProjection {
  const { points, model } = pca(toRows(data), { seed: settings.seed });
  return {
    points,
    method: "pca",
    note,
    transform: (newVectors) =>
      model.project(toRows(prepare(toDenseMatrix(newVectors, "newVectors", data.columns), settings.distance))).map(toPoint),
  };
}

function allIdentical(data: DenseMatrix): boolean {
  const first = row(data, 0);
  for (let i = 1; i < data.rows; i++) {
    if (row(data, i).some((value, j) => value !== first[j])) return false;
  }
  return true;
}


function cosineDistanceOfUnitVectors(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.max(0, 1 - innerProduct(a, b));
}

function euclideanDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}
