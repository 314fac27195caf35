import type { Database } from "./connection";
import { Prisma } from "./generated/prisma/client";
import { encodeBinaryCopy } from "./pg-copy";

/**
 * Reads and writes for collection maps (lib/maps/): the vectors to lay out, page by page, and the
 * points, written by binary COPY. A chunk is on the map when collection_points holds its row;
 * chunks without a vector (a text the model could not read) never are.
 */

/** How many chunks of a collection have a vector, and how many of those are on its map. */
export async function countMapRows(db: Database, { collectionId }: { collectionId: bigint }): Promise<{ rows: number; placed: number }> {
  const [counts] = await db.prisma.$queryRaw<{ rows: bigint; placed: bigint }[]>`
    SELECT count(*) AS "rows", count(p."chunk_id") AS "placed"
    FROM "collection_chunks" c LEFT JOIN "collection_points" p ON p."chunk_id" = c."id"
    WHERE c."collection_id" = ${collectionId} AND c."embedding" IS NOT NULL`;
  return { rows: Number(counts.rows), placed: Number(counts.placed) };
}

/** A page of chunks with vectors, in chunk id order: ids, vectors (decoded into `into` from `offset` rows), positions where placed. */
export interface MapVectorPage {
  ids: bigint[];
  /** Per row: its position, or null when it is not on the map. */
  points: ({ x: number; y: number } | null)[];
  dims: number;
}

/**
 * Up to `limit` chunks with vectors after chunk id `afterId`, their vectors written into `into`
 * (rows `offset`, `offset + 1`, …; dims each) from pgvector's binary form, which reads 2–4× faster
 * than its text. Stops early (fewer rows) when `into` is full.
 */
export async function readMapVectors(
  db: Database,
  { collectionId, afterId, limit, into, offset, dims }: { collectionId: bigint; afterId: bigint; limit: number; into: Float32Array; offset: number; dims: number },
): Promise<MapVectorPage> {
  const [, rows] = await db.prisma.$transaction([
    // As in export-queries.ts: walk the primary key in order rather than sort a whole collection.
    db.prisma.$executeRaw`SET LOCAL enable_sort = off`,
    db.prisma.$queryRaw<{ id: bigint; vector: string; x: number | null; y: number | null }[]>`
      SELECT c."id", encode(vector_send(c."embedding"::vector), 'base64') AS "vector", p."x", p."y"
      FROM "collection_chunks" c LEFT JOIN "collection_points" p ON p."chunk_id" = c."id"
      WHERE c."collection_id" = ${collectionId} AND c."id" > ${afterId} AND c."embedding" IS NOT NULL
      ORDER BY c."id"
      LIMIT ${limit}`,
  ]);
  const room = Math.floor(into.length / dims) - offset;
  const taken = rows.slice(0, Math.max(0, room));
  taken.forEach((row, i) => {
    const bytes = Buffer.from(row.vector, "base64");
    if (bytes.readInt16BE(0) !== dims) throw new Error(`Chunk ${row.id} has a vector of ${bytes.readInt16BE(0)} dimensions, the others ${dims}: one map needs one space.`);
    const base = (offset + i) * dims;
    for (let t = 0; t < dims; t++) into[base + t] = bytes.readFloatBE(4 + 4 * t);
  });
  return { ids: taken.map((row) => row.id), points: taken.map((row) => (row.x === null || row.y === null ? null : { x: row.x, y: row.y })), dims };
}

/** Rows a points write sends per COPY (12 bytes each, and a short transaction on the embedded database). */
const pointsPerWrite = 20_000;

/**
 * Stores positions (`points[2i]`, `points[2i + 1]` for `chunkIds[i]`), replacing any the chunks
 * had. A chunk deleted meanwhile is skipped. Batches of `pointsPerWrite`, each one COPY.
 */
export async function writePoints(
  db: Database,
  { collectionId, chunkIds, points, only }: { collectionId: bigint; chunkIds: readonly bigint[]; points: Float32Array; only?: (i: number) => boolean },
): Promise<number> {
  let written = 0;
  for (let start = 0; start < chunkIds.length; start += pointsPerWrite) {
    const rows = [];
    for (let i = start; i < Math.min(start + pointsPerWrite, chunkIds.length); i++) {
      if (only && !only(i)) continue;
      rows.push([{ int8: chunkIds[i] }, { float4: points[2 * i] }, { float4: points[2 * i + 1] }]);
    }
    if (rows.length === 0) continue;
    written += await db.copyIn({
      setup: `CREATE TEMP TABLE IF NOT EXISTS ${staging} ("chunk_id" BIGINT, "x" REAL, "y" REAL) ON COMMIT DELETE ROWS`,
      table: staging,
      rows: encodeBinaryCopy(rows),
      // The collection id comes from the database as a bigint: safe to inline.
      finish: `
        INSERT INTO "collection_points" ("chunk_id", "collection_id", "x", "y")
        SELECT s."chunk_id", ${collectionId}, s."x", s."y" FROM ${staging} s
        JOIN "collection_chunks" c ON c."id" = s."chunk_id" AND c."collection_id" = ${collectionId}
        ON CONFLICT ("chunk_id") DO UPDATE SET "x" = excluded."x", "y" = excluded."y"`,
    });
  }
  return written;
}

const staging = `"map_points_staging"`;

/** Records how the collection's map was made (lib/maps/service.ts). */
export async function setMapInfo(db: Database, { collectionId, info }: { collectionId: bigint; info: Prisma.InputJsonObject }): Promise<void> {
  await db.prisma.collection.update({ where: { id: collectionId }, data: { map: info } });
}

/**
 * Up to `limit` points after chunk id `afterId`, in chunk id order (the points endpoint's pages),
 * with the chunk's metadata value under `key` when asked (JSON's text form; null when absent).
 */
export async function listPointsAfter(
  db: Database,
  { collectionId, afterId, limit, key }: { collectionId: bigint; afterId: bigint; limit: number; key?: string },
): Promise<{ chunkId: bigint; x: number; y: number; value: string | null; type: string | null }[]> {
  const value = key === undefined ? Prisma.sql`NULL::text` : Prisma.sql`c."metadata"->>${key}`;
  const type = key === undefined ? Prisma.sql`NULL::text` : Prisma.sql`jsonb_typeof(c."metadata"->${key})`;
  const join = key === undefined ? Prisma.empty : Prisma.sql`JOIN "collection_chunks" c ON c."id" = p."chunk_id"`;
  return db.prisma.$queryRaw`
    SELECT p."chunk_id" AS "chunkId", p."x", p."y", ${value} AS "value", ${type} AS "type"
    FROM "collection_points" p ${join}
    WHERE p."collection_id" = ${collectionId} AND p."chunk_id" > ${afterId}
    ORDER BY p."chunk_id" LIMIT ${limit}`;
}

/** The point at `index` (0-based, in chunk id order) with its chunk: what the map shows on hover or click. */
export async function pointAt(
  db: Database,
  { collectionId, index }: { collectionId: bigint; index: number },
): Promise<{ documentPublicId: string; position: number; text: string; metadata: Prisma.JsonObject; x: number; y: number } | null> {
  const rows = await db.prisma.$queryRaw<{ documentPublicId: string; position: number; text: string; metadata: Prisma.JsonObject; x: number; y: number }[]>`
    WITH "point" AS (
      SELECT "chunk_id", "x", "y" FROM "collection_points" WHERE "collection_id" = ${collectionId}
      ORDER BY "chunk_id" OFFSET ${index} LIMIT 1)
    SELECT d."public_id" AS "documentPublicId", c."position", c."text", c."metadata", p."x", p."y"
    FROM "point" p JOIN "collection_chunks" c ON c."id" = p."chunk_id" JOIN "collection_documents" d ON d."id" = c."document_id"`;
  return rows[0] ?? null;
}

/** How many points the collection has and its last chunk id on the map: with the map's info, the points' version. */
export async function countPoints(db: Database, { collectionId }: { collectionId: bigint }): Promise<{ count: number; last: bigint | null }> {
  const [row] = await db.prisma.$queryRaw<{ count: bigint; last: bigint | null }[]>`
    SELECT count(*) AS "count", max("chunk_id") AS "last" FROM "collection_points" WHERE "collection_id" = ${collectionId}`;
  return { count: Number(row.count), last: row.last };
}
/** The first `limit` chunks on the map, in document order, with their positions. */
export async function listMappedChunks(
  db: Database,
  { collectionId, limit }: { collectionId: bigint; limit: number },
): Promise<{ documentPublicId: string; position: number; text: string; metadata: Prisma.JsonObject; x: number; y: number }[]> {
  return db.prisma.$queryRaw`
    SELECT d."public_id" AS "documentPublicId", c."position", c."text", c."metadata", p."x", p."y"
    FROM "collection_points" p
      JOIN "collection_chunks" c ON c."id" = p."chunk_id"
      JOIN "collection_documents" d ON d."id" = c."document_id"
    WHERE p."collection_id" = ${collectionId}
    ORDER BY c."document_id", c."position"
    LIMIT ${limit}`;
}

/**
 * The `k` chunks on the map nearest to `vector` (pgvector's text form, unit length), nearest
 * first, with their cosine distances and positions: where a question lands on the map. Compares
 * every mapped chunk of the collection (exact), as UMAP's transform does.
 */
export async function nearestPoints(
  db: Database,
  { collectionId, vector, k }: { collectionId: bigint; vector: string; k: number },
): Promise<{ distance: number; x: number; y: number }[]> {
  return db.prisma.$queryRaw`
    SELECT (c."embedding" <=> ${vector}::vector) AS "distance", p."x", p."y"
    FROM "collection_points" p JOIN "collection_chunks" c ON c."id" = p."chunk_id"
    WHERE p."collection_id" = ${collectionId} AND c."embedding" IS NOT NULL
    ORDER BY 1, c."id"
    LIMIT ${k}`;
}
