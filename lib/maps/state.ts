import type { Database } from "../db/connection";
import { listJobs } from "../db/job-queries";
import { countMapRows } from "../db/map-queries";
import type { MapInfo } from "./service";
import { inlineMapRows } from "./service";

/**
 * What a collection's map is like, as GET /api/collections/:id and the map endpoints report it:
 * - `empty`: no row has a vector;
 * - `ready`: every row with a vector is on the map;
 * - `updating`: a map job is queued or running (`job`), the points so far are served meanwhile;
 * - `outdated`: rows are off the map and no job is on its way (a small collection is mapped when read).
 */
export interface MapState {
  state: "empty" | "ready" | "updating" | "outdated";
  /** Rows with a vector, which belong on the map. */
  rows: number;
  /** Rows on it. */
  points: number;
  method: MapInfo["method"] | null;
  seed: number | null;
  laidOut: number | null;
  placedSince: number | null;
  laidOutAt: string | null;
  seconds: number | null;
  note: string | null;
  /** The map job on its way, when there is one. */
  job: { id: string; state: string } | null;
  /** Small collections (up to this many rows) are mapped when the map is read; bigger ones by a job. */
  mappedWhenReadUpTo: number;
}

export async function mapStateOf(db: Database, { collectionId }: { collectionId: bigint }): Promise<MapState> {
  const [{ rows, placed }, collection, unfinished] = await Promise.all([
    countMapRows(db, { collectionId }),
    db.prisma.collection.findUnique({ where: { id: collectionId }, select: { map: true } }),
    listJobs(db, { collectionId, limit: 50, unfinished: true }),
  ]);
  const info = (collection?.map ?? null) as MapInfo | null;
  const job = unfinished.find((each) => each.kind === "map") ?? null;
  const state = rows === 0 ? "empty" : job ? "updating" : placed === rows ? "ready" : "outdated";
  return {
    state,
    rows,
    points: placed,
    method: info?.method ?? (placed > 0 ? "imported" : null),
    seed: info?.seed ?? null,
    laidOut: info?.laidOut ?? null,
    placedSince: info?.placedSince ?? null,
    laidOutAt: info?.laidOutAt ?? null,
    seconds: info?.seconds ?? null,
    note: info?.note ?? null,
    job: job ? { id: job.publicId, state: job.state } : null,
    mappedWhenReadUpTo: inlineMapRows,
  };
}
