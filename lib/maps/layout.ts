import { fitUmap, MIN_UMAP_POINTS } from "../projection";
import type { NearestNeighbours } from "../projection/knn";
import { layoutFromNeighbours, membershipWeights, runYielding } from "../projection/umap";
import { tableNeighbours } from "./neighbours";
import { rowDot, tableRow, type VectorTable } from "./vectors";

/**
 * Maps of every row of a big collection: UMAP over a neighbour graph found group by group
 * (neighbours.ts), and rows added later placed among the rows already mapped, which do not move.
 * Seeded: the same rows in the same order give the same map.
 */

export const mapDefaults = {
  /** Neighbours per row, the row itself included (fitUmap's nNeighbors). */
  neighbours: 15,
  seed: 42,
};

/** How far a map job has got, as a share of the work in [0, 1]. */
export type MapProgress = (step: "neighbours" | "layout" | "placing", done: number) => void;

export interface TableLayout {
  /** x, y of row i at [2i, 2i + 1]. */
  points: Float32Array;
  method: "umap" | "pca";
  note?: string;
}

export interface LayoutTableOptions {
  /** Seed for the grouping and the layout. Default 42. */
  seed?: number;
  onProgress?: MapProgress;
  signal?: AbortSignal;
  /**
   * Called once with the neighbour graph the layout is built from (not for the PCA fallback), e.g.
   * for a benchmark to measure its recall without searching twice. Default: none.
   */
  onNeighbours?: (neighbours: NearestNeighbours) => void;
}

/** The rows (of length 1) laid out by UMAP; up to three rows, or rows all alike, by PCA (as fitUmap does). */
export async function layoutTable(
  table: VectorTable,
  { seed = mapDefaults.seed, onProgress, signal, onNeighbours }: LayoutTableOptions = {},
): Promise<TableLayout> {
  const { rows: n } = table;
  if (n === 0) return { points: new Float32Array(0), method: "umap" };
  if (n < MIN_UMAP_POINTS || allAlike(table)) {
    const fitted = await fitUmap(Array.from({ length: n }, (_, i) => tableRow(table, i)), { seed });
    return { points: Float32Array.from(fitted.points.flat()), method: fitted.method, ...(fitted.note && { note: fitted.note }) };
  }
  const k = Math.min(mapDefaults.neighbours, n - 1);
  const neighbours = await runYielding(tableNeighbours(table, k, { seed }));
  signal?.throwIfAborted();
  onNeighbours?.(neighbours);
  onProgress?.("neighbours", 1);
  const { embedding, stoppedAt } = await layoutFromNeighbours(neighbours, {
    seed,
    onProgress: (epoch, of) => {
      onProgress?.("layout", epoch / of);
      return !signal?.aborted;
    },
  });
  signal?.throwIfAborted();
  const notes = [
    ...(k < mapDefaults.neighbours ? [`${k} neighbours per row: only ${n} rows.`] : []),
    ...(stoppedAt ? [`Stopped early at epoch ${stoppedAt.epoch} of ${stoppedAt.of}.`] : []),
  ];
  return { points: Float32Array.from(embedding), method: "umap", ...(notes.length > 0 && { note: notes.join(" ") }) };
}

/**
 * Positions for the rows not yet on the map (`placed[i]` 0), each where UMAP's transform starts a
 * new point: the mean of its nearest mapped rows' positions, weighted by UMAP's memberships.
 * Mapped rows keep their positions (`points`, read for placed rows and written for the others).
 */
export async function placeRows(
  table: VectorTable,
  placed: Uint8Array,
  points: Float32Array,
  { seed = mapDefaults.seed, signal }: { seed?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const { rows: n } = table;
  const mapped = placed.reduce((sum, flag) => sum + flag, 0);
  if (mapped === 0) throw new Error("placeRows needs rows already on the map to place the others among.");
  const queries = placed.map((flag) => 1 - flag);
  const k = Math.min(mapDefaults.neighbours, mapped);
  const neighbours = await runYielding(tableNeighbours(table, k, { seed, candidates: placed, queries }));
  signal?.throwIfAborted();
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (placed[i]) continue;
    const found: number[] = [];
    const distances: number[] = [];
    for (let slot = i * k; slot < (i + 1) * k && neighbours.indices[slot] >= 0; slot++) {
      found.push(neighbours.indices[slot]);
      distances.push(neighbours.distances[slot]);
    }
    // Its groups held no mapped row (rare: a group of new rows only): compare it with every mapped row.
    if (found.length === 0) nearestByScan(table, placed, i, k, found, distances);
    const weights = membershipWeights(distances);
    const total = weights.reduce((a, b) => a + b, 0);
    let x = 0;
    let y = 0;
    found.forEach((j, slot) => {
      x += (weights[slot] / total) * points[2 * j];
      y += (weights[slot] / total) * points[2 * j + 1];
    });
    points[2 * i] = x;
    points[2 * i + 1] = y;
    count++;
  }
  return count;
}

function nearestByScan(table: VectorTable, placed: Uint8Array, i: number, k: number, found: number[], distances: number[]): void {
  const scored: { j: number; d: number }[] = [];
  for (let j = 0; j < table.rows; j++) if (placed[j]) scored.push({ j, d: Math.max(0, 1 - rowDot(table.data, i, table.data, j, table.dims)) });
  scored.sort((a, b) => a.d - b.d || a.j - b.j);
  for (const { j, d } of scored.slice(0, k)) {
    found.push(j);
    distances.push(d);
  }
}

function allAlike(table: VectorTable): boolean {
  const { rows, dims, data } = table;
  for (let i = 1; i < rows; i++) {
    for (let t = 0; t < dims; t++) if (data[i * dims + t] !== data[t]) return false;
  }
  return true;
}
