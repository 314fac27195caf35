import type { Database } from "../db/connection";
import { collectionVectorDims } from "../db/import-queries";
import { countMapRows, nearestPoints, readMapVectors, setMapInfo, writePoints } from "../db/map-queries";
import { membershipWeights } from "../projection/umap";
import { toSql } from "../vectors";
import { layoutTable, mapDefaults, placeRows, type MapProgress } from "./layout";
import { normalizeTable, type VectorTable } from "./vectors";

/**
 * A collection's map, stored with it (collection_points): laid out once from the stored vectors,
 * then brought up to date after every change by placing the new rows among the mapped ones,
 * which do not move; laid out again on demand. Small collections are mapped when the map is first
 * read; bigger ones by a background job of kind "map" (lib/jobs/maps/).
 */

/** How the map was made; stored as collections.map. */
export interface MapInfo {
  /** "umap" (or "pca" for up to three rows, or rows all alike); "imported" when the rows came with their positions. */
  method: "umap" | "pca" | "imported";
  seed: number;
  /** Rows in the last full layout. */
  laidOut: number;
  /** Rows placed among them since. */
  placedSince: number;
  laidOutAt: string;
  /** Seconds the last full layout took, reading and writing included. */
  seconds: number;
  note?: string;
}

/** Up to this many rows, a map is brought up to date when it is read; above, by a job. */
export const inlineMapRows = 2_000;

/** Rows read per query while loading a collection's vectors. */
const readPageRows = 5_000;

export interface MapUpdate {
  /** "layout": every row laid out (again); "place": new rows placed; "none": nothing to do. */
  action: "layout" | "place" | "none";
  rows: number;
  /** Rows given a position by this update. */
  positioned: number;
  seconds: number;
}

/**
 * Brings the collection's map up to date: the first layout, a re-layout when asked (`relayout`) or
 * when more rows are new than mapped (placing 100,000 rows among 10 would pile them up), else the
 * new rows placed. Safe to run twice at once: both write the same positions.
 */
export async function updateCollectionMap(
  db: Database,
  {
    collectionId,
    relayout = false,
    signal,
    onProgress,
    onRows,
  }: { collectionId: bigint; relayout?: boolean; signal?: AbortSignal; onProgress?: MapProgress; onRows?: (rows: number) => Promise<void> },
): Promise<MapUpdate> {
  const started = Date.now();
  const counts = await countMapRows(db, { collectionId });
  const unplaced = counts.rows - counts.placed;
  if (counts.rows === 0 || (!relayout && unplaced === 0)) return { action: "none", rows: counts.rows, positioned: 0, seconds: 0 };
  await onRows?.(counts.rows);
  const loaded = await loadVectors(db, collectionId, counts.rows, signal);
  const { table, ids, placed, points } = loaded;
  const fullLayout = relayout || counts.placed === 0 || unplaced > counts.placed;
  const seed = mapDefaults.seed;
  const previous = (await db.prisma.collection.findUnique({ where: { id: collectionId }, select: { map: true } }))?.map as MapInfo | null;
  if (fullLayout) {
    const layout = await layoutTable(table, { seed, signal, onProgress });
    onProgress?.("placing", 0);
    await writePoints(db, { collectionId, chunkIds: ids, points: layout.points });
    const seconds = (Date.now() - started) / 1000;
    const note = [
      layout.note,
      !relayout && counts.placed > 0 ? `Laid out again: ${unplaced.toLocaleString("en")} new rows against ${counts.placed.toLocaleString("en")} on the map.` : undefined,
    ].filter(Boolean).join(" ");
    const info: MapInfo = { method: layout.method, seed, laidOut: ids.length, placedSince: 0, laidOutAt: new Date().toISOString(), seconds: round(seconds), ...(note && { note }) };
    await setMapInfo(db, { collectionId, info: { ...info } });
    return { action: "layout", rows: ids.length, positioned: ids.length, seconds };
  }
  onProgress?.("placing", 0);
  const positioned = await placeRows(table, placed, points, { seed, signal });
  await writePoints(db, { collectionId, chunkIds: ids, points, only: (i) => placed[i] === 0 });
  const info: MapInfo = previous
    ? { ...previous, placedSince: previous.placedSince + positioned }
    : { method: "imported", seed, laidOut: counts.placed, placedSince: positioned, laidOutAt: new Date().toISOString(), seconds: 0 };
  await setMapInfo(db, { collectionId, info: { ...info } });
  return { action: "place", rows: ids.length, positioned, seconds: (Date.now() - started) / 1000 };
}

/** Every chunk vector of the collection (unit length) with its id and, where it has one, its position. */
async function loadVectors(db: Database, collectionId: bigint, expected: number, signal?: AbortSignal) {
  const dims = (await collectionVectorDims(db, { collectionId })) ?? 0;
  const data = new Float32Array(expected * dims);
  const ids: bigint[] = [];
  const placed = new Uint8Array(expected);
  const points = new Float32Array(expected * 2);
  let afterId = 0n;
  while (ids.length < expected) {
    signal?.throwIfAborted();
    const page = await readMapVectors(db, { collectionId, afterId, limit: readPageRows, into: data, offset: ids.length, dims });
    if (page.ids.length === 0) break;
    page.points.forEach((point, i) => {
      if (!point) return;
      const row = ids.length + i;
      placed[row] = 1;
      points[2 * row] = point.x;
      points[2 * row + 1] = point.y;
    });
    ids.push(...page.ids);
    afterId = page.ids[page.ids.length - 1];
  }
  // Rows deleted since the count leave the arrays shorter.
  const rows = ids.length;
  const table: VectorTable = normalizeTable({ rows, dims, data: data.subarray(0, rows * dims) });
  return { table, ids, placed: placed.subarray(0, rows), points: points.subarray(0, rows * 2) };
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

/** Inline updates under way in this process, by collection: two readers at once share one. */
const updatesUnderWay = new Map<bigint, Promise<MapUpdate>>();

/**
 * Brings a small collection's map (up to `inlineMapRows` rows) up to date before it is read; a
 * bigger one is left to its map job. Returns whether it ran an update.
 */
export async function updateSmallMap(db: Database, { collectionId }: { collectionId: bigint }): Promise<boolean> {
  const { rows, placed } = await countMapRows(db, { collectionId });
  if (rows === placed || rows > inlineMapRows) return false;
  let update = updatesUnderWay.get(collectionId);
  if (!update) {
    update = updateCollectionMap(db, { collectionId }).finally(() => updatesUnderWay.delete(collectionId));
    updatesUnderWay.set(collectionId, update);
  }
  await update;
  return true;
}

/** Where a vector (unit length) lands on the collection's map, placed as a new row would be; null when the map has no point. */
export async function placeOnMap(db: Database, { collectionId, vector }: { collectionId: bigint; vector: readonly number[] }): Promise<{ x: number; y: number } | null> {
  const nearest = await nearestPoints(db, { collectionId, vector: toSql(vector), k: mapDefaults.neighbours });
  if (nearest.length === 0) return null;
  const weights = membershipWeights(nearest.map((point) => Number(point.distance)));
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    x: nearest.reduce((sum, point, i) => sum + (weights[i] / total) * point.x, 0),
    y: nearest.reduce((sum, point, i) => sum + (weights[i] / total) * point.y, 0),
  };
}
