import { createHash } from "node:crypto";
import { AppError } from "../api/errors";
import { findReadable } from "../collections/service";
import type { Database } from "../db/connection";
import { countPoints, listPointsAfter, pointAt } from "../db/map-queries";
import { chunkPublicId } from "../db/collection-queries";
import { updateSmallMap } from "./service";

/**
 * A collection's map points for the browser, as binary columns rather than JSON (1M points: 8 MB
 * of positions, where JSON would be ~40 MB):
 *
 *   uint32 (little-endian)  byte length H of the header
 *   H bytes                 the header, JSON: { version, count, columns: [{ name, type, offset, … }] }
 *   padding to 4 bytes, then each column at its offset (from the start of the body):
 *   x, y                    float32 × count, little-endian, in chunk id order
 *   category                uint16 × count, with `color` naming a metadata key whose values are
 *                           not all numbers: an index into the column's `categories` ({ value,
 *                           count }, most common first; 65535: no value; past 1,000 values the
 *                           rest share "(other)")
 *   value                   float32 × count, when that key's values are all numbers (NaN: none)
 *
 * Point i's chunk is GET /api/collections/:id/points/i?version=…: the version changes whenever the
 * points do, so an index from an older read is refused (409) instead of naming another chunk.
 */

const pageRows = 20_000;
/** Categories named in the header; the rarer values share one index. */
export const maxCategories = 1_000;
const noCategory = 0xffff;
const other = "(other)";

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

function encodePoints({ version, xs, ys, color, values, numeric }: { version: string; xs: number[]; ys: number[]; color?: string; values: (string | null)[]; numeric: boolean }) {
  const count = xs.length;
  const columns: Record<string, unknown>[] = [
    { name: "x", type: "float32" },
    { name: "y", type: "float32" },
  ];
  let categories: { value: string; count: number }[] | undefined;
  if (color !== undefined && numeric) columns.push({ name: "value", type: "float32", key: color });
  if (color !== undefined && !numeric) {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    categories = sorted.slice(0, maxCategories).map(([value, n]) => ({ value, count: n }));
    const rest = sorted.slice(maxCategories).reduce((sum, [, n]) => sum + n, 0);
    if (rest > 0) categories.push({ value: other, count: rest });
    columns.push({ name: "category", type: "uint16", key: color, categories, missing: noCategory });
  }
  // Offsets: each column starts on a 4-byte boundary after the header.
  const sizes = columns.map((column) => (column.type === "uint16" ? 2 : 4) * count);
  const encoder = new TextEncoder();
  let header = new Uint8Array(0);
  let start = 0;
  // The header holds the offsets, which depend on its own length: two rounds settle it.
  for (let round = 0; round < 3; round++) {
    start = align4(4 + header.byteLength);
    let offset = start;
    columns.forEach((column, i) => {
      column.offset = offset;
      offset = align4(offset + sizes[i]);
    });
    header = encoder.encode(JSON.stringify({ version, count, columns }));
  }
  const total = columns.reduce((end, column, i) => align4((column.offset as number) + sizes[i]), start);
  const bytes = new Uint8Array(new ArrayBuffer(total));
  new DataView(bytes.buffer).setUint32(0, header.byteLength, true);
  bytes.set(header, 4);
  new Float32Array(bytes.buffer, columns[0].offset as number, count).set(xs);
  new Float32Array(bytes.buffer, columns[1].offset as number, count).set(ys);
  const third = columns[2];
  if (third?.name === "value") new Float32Array(bytes.buffer, third.offset as number, count).set(values.map((value) => (value === null ? NaN : Number(value))));
  if (third?.name === "category" && categories) {
    const index = new Map(categories.map((category, i) => [category.value, i]));
    const otherIndex = index.get(other);
    const column = new Uint16Array(bytes.buffer, third.offset as number, count);
    values.forEach((value, i) => (column[i] = value === null ? noCategory : (index.get(value) ?? otherIndex ?? noCategory)));
  }
  return bytes;
}

function align4(n: number): number {
  return (n + 3) & ~3;
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
