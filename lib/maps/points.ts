import { createHash } from "node:crypto";
import { AppError } from "../api/errors";
import { findReadable } from "../collections/service";
import type { Database } from "../db/connection";
import { countPoints, listPointsAfter, pointAt } from "../db/map-queries";
import { chunkPublicId } from "../db/collection-queries";
import { encodePoints } from "./points-format";
import { updateSmallMap } from "./service";

/**
 * A collection's map points for the browser (the binary format is in points-format.ts), and one
 * point's chunk. Point i's chunk is GET /api/collections/:id/points/i?version=…: the version
 * changes whenever the points do, so an index from an older read is refused (409) instead of
 * naming another chunk.
 */

const pageRows = 20_000;

export interface PointsBody {
  body: Uint8Array<ArrayBuffer>;
  version: string;
  count: number;
}

export async function collectionPoints(db: Database, { id, key, color }: { id: string; key: string | null; color?: string }): Promise<PointsBody> {
  const row = await findReadable(db, id, key);
  await updateSmallMap(db, { collectionId: row.id });
  const version = await pointsVersion(db, row.id);
  const xs: number[] = [];
  const ys: number[] = [];
  const values: (string | null)[] = [];
  let numeric = true;
  for (let afterId = 0n; ; ) {
    const page = await listPointsAfter(db, { collectionId: row.id, afterId, limit: pageRows, key: color });
    for (const point of page) {
      xs.push(point.x);
      ys.push(point.y);
      if (color !== undefined) {
        values.push(point.value);
        if (point.value !== null && point.type !== "number") numeric = false;
      }
    }
    if (page.length < pageRows) break;
    afterId = page[page.length - 1].chunkId;
  }
  return { body: encodePoints({ version, xs, ys, color, values, numeric }), version, count: xs.length };
}

async function pointsVersion(db: Database, collectionId: bigint): Promise<string> {
  const [{ count, last }, collection] = await Promise.all([
    countPoints(db, { collectionId }),
    db.prisma.collection.findUnique({ where: { id: collectionId }, select: { map: true } }),
  ]);
  return createHash("sha256").update(JSON.stringify([count, String(last), collection?.map ?? null])).digest("base64url").slice(0, 16);
}

/** Point `index`'s chunk, checked against the version the index came from. */
export async function collectionPoint(db: Database, { id, key, index, version }: { id: string; key: string | null; index: number; version: string | null }) {
  const row = await findReadable(db, id, key);
  const current = await pointsVersion(db, row.id);
  if (version !== null && version !== current) {
    throw new AppError("conflict:version", `The map's points have changed since version ${version.slice(0, 32)} (now ${current}): read the points again.`);
  }
  const point = await pointAt(db, { collectionId: row.id, index });
  if (!point) throw new AppError("not_found:point", `The map has no point ${index}.`);
  return {
    version: current,
    index,
    chunkId: chunkPublicId(point.documentPublicId, point.position),
    documentId: point.documentPublicId,
    position: point.position,
    text: point.text,
    metadata: point.metadata,
    x: point.x,
    y: point.y,
  };
}

/** `color`: a metadata key (as import mappings name them), optional. */
export function parsePointsOptions(search: URLSearchParams): { color?: string } {
  const color = search.get("color");
  if (color === null) return {};
  if (color.length === 0 || color.length > 100) throw new AppError("bad_request:color", "color must name a metadata key of 1 to 100 characters, e.g. color=section.");
  return { color };
}

export function parsePointIndex(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new AppError("bad_request:index", `The point index must be a whole number from 0, as the points' order gives it; got "${raw.slice(0, 20)}".`);
  return Number(raw);
}
