import { chunkPublicId } from "./collection-queries";
import type { Database } from "./connection";
import { Prisma } from "./generated/prisma/client";

/**
 * Reads for exporting a collection (lib/export/collection/): what its columns are, then its
 * chunks in pages by chunk id, each page one short query, so an export of 1M rows holds one page
 * in memory and never keeps the embedded database's one connection for long.
 */

/** A metadata key of a collection's chunks and the JSON types its values have (`string`, `number`, `boolean`, …). */
export interface MetadataKeyTypes {
  key: string;
  types: string[];
}

/** The shape of a collection's export: its metadata keys (in code point order), its vectors' dimensions, its chunk ids' range. */
export interface ExportShape {
  metadata: MetadataKeyTypes[];
  /** The stored vectors' dimensions, when they all have the same; null when there are none (or they differ). */
  dims: number | null;
  /** The collection's first and last chunk ids when it has chunks: the pages' bounds, never written out. */
  chunkIds: { first: bigint; last: bigint } | null;
}

/** Chunk ids a shape query reads at a time (so at most as many chunks): ~0.25 s a slice on PGlite. */
export const shapeSliceIds = 10_000;

/**
 * Every metadata key of the collection's chunks (a chunk carries its document's metadata) with
 * the JSON types of its values, the dimensions of its vectors, and where its chunk ids start and
 * end. Read in slices of `sliceIds` chunk ids (default `shapeSliceIds`): in one query, 200k rows held PGlite's one
 * connection for 4–5 s; in slices, other requests are served between them.
 */
export async function getExportShape(
  db: Database,
  { collectionId, sliceIds = shapeSliceIds }: { collectionId: bigint; sliceIds?: number },
): Promise<ExportShape> {
  const [bounds] = await db.prisma.$queryRaw<{ first: bigint | null; last: bigint | null }[]>`
    SELECT min("id") AS "first", max("id") AS "last" FROM "collection_chunks" WHERE "collection_id" = ${collectionId}`;
  if (bounds.first === null || bounds.last === null) return { metadata: [], dims: null, chunkIds: null };
  const types = new Map<string, Set<string>>();
  const dims = new Set<number>();
  for (let from = bounds.first; from <= bounds.last; from += BigInt(sliceIds)) {
    const to = from + BigInt(sliceIds) - 1n;
    const keys = await db.prisma.$queryRaw<{ key: string; types: string[] }[]>`
      SELECT m."key" AS "key", array_agg(DISTINCT jsonb_typeof(m."value")) AS "types"
      FROM "collection_chunks" c, jsonb_each(c."metadata") m
      WHERE c."collection_id" = ${collectionId} AND c."id" BETWEEN ${from} AND ${to}
      GROUP BY m."key"`;
    const slice = await db.prisma.$queryRaw<{ dims: number }[]>`
      SELECT DISTINCT "dims" FROM "collection_chunks"
      WHERE "collection_id" = ${collectionId} AND "id" BETWEEN ${from} AND ${to} AND "embedding" IS NOT NULL`;
    for (const row of keys) for (const type of row.types) (types.get(row.key) ?? types.set(row.key, new Set()).get(row.key)!).add(type);
    for (const row of slice) dims.add(row.dims);
  }
  // UTF-8 byte order is code point order (JavaScript's < compares UTF-16 code units).
  const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return {
    metadata: [...types.keys()].sort(byCodePoint).map((key) => ({ key, types: [...types.get(key)!].sort() })),
    dims: dims.size === 1 ? [...dims][0] : null,
    chunkIds: { first: bounds.first, last: bounds.last },
  };
}

/** One chunk as an export writes it. */
export interface ExportChunkRow {
  /** The chunk's database id: the page cursor, never written out. */
  cursor: bigint;
  /** `<documentId>.<position>`, as the API names chunks. */
  chunkId: string;
  documentId: string;
  text: string;
  metadata: Prisma.JsonObject;
  x: number | null;
  y: number | null;
  /**
   * As asked: pgvector's text form (`[0.1,-0.2,…]`, which is also JSON), or its numbers (float32,
   * read from pgvector's binary form, sent as base64: a page of 2,000 × 384 numbers took 78 ms on
   * PGlite and 43 ms on PostgreSQL, against 176 and 125 ms as text parsed with JSON.parse, and 518
   * and 48 ms as bytea, which the PGlite adapter passes slowly); null when the chunk has no vector
   * or none was asked for.
   */
  vector: string | number[] | null;
}

/** How a page carries vectors: none, as text, or as numbers. */
export type ExportVectors = "none" | "text" | "numbers";

/**
 * Up to `limit` chunks of a collection with ids in (`afterId`, `lastId`], in chunk id order;
 * vectors only when asked.
 *
 * The plan is pinned (sorting off, for this one statement's transaction): without statistics,
 * which PGlite never gathers by itself, the planner takes a collection for a few thousand rows
 * and fetches all its chunks past `afterId` to sort them for every page, so a 200k-row export
 * took 3.3 s a page at its start (786 rows/s overall). Walking the primary key in order
 * between the collection's first and last chunk takes 0.4 s a page wherever it is.
 * TODO: an index on ("collection_id", "id") would make this the planner's own choice.
 */
export async function listExportChunksAfter(
  db: Database,
  { collectionId, afterId, lastId, limit, vectors }: { collectionId: bigint; afterId: bigint; lastId: bigint; limit: number; vectors: ExportVectors },
): Promise<ExportChunkRow[]> {
  const embedding = { none: Prisma.sql`NULL::text`, text: Prisma.sql`c."embedding"::text`, numbers: Prisma.sql`encode(vector_send(c."embedding"::vector), 'base64')` }[vectors];
  const [, rows] = await db.prisma.$transaction([
    db.prisma.$executeRaw`SET LOCAL enable_sort = off`,
    db.prisma.$queryRaw<
      { id: bigint; document_public_id: string; position: number; text: string; metadata: Prisma.JsonObject; x: number | null; y: number | null; embedding: string | null }[]
    >`
      SELECT c."id", d."public_id" AS "document_public_id", c."position", c."text", c."metadata", p."x", p."y", ${embedding} AS "embedding"
      FROM "collection_chunks" c JOIN "collection_documents" d ON d."id" = c."document_id"
        LEFT JOIN "collection_points" p ON p."chunk_id" = c."id"
      WHERE c."collection_id" = ${collectionId} AND c."id" > ${afterId} AND c."id" <= ${lastId}
      ORDER BY c."id"
      LIMIT ${limit}`,
  ]);
  return rows.map((row) => ({
    cursor: row.id,
    chunkId: chunkPublicId(row.document_public_id, row.position),
    documentId: row.document_public_id,
    text: row.text,
    metadata: row.metadata,
    x: row.x,
    y: row.y,
    vector: vectors === "numbers" && row.embedding !== null ? fromVectorSend(Buffer.from(row.embedding, "base64")) : row.embedding,
  }));
}

/** pgvector's binary form: int16 dimensions, int16 unused, then each float4, big-endian. */
function fromVectorSend(bytes: Buffer): number[] {
  const dims = bytes.byteLength >= 4 ? bytes.readInt16BE(0) : -1;
  if (dims < 0 || bytes.byteLength !== 4 + 4 * dims) throw new Error(`Not a pgvector binary value: ${bytes.byteLength} bytes`);
  const numbers = new Array<number>(dims);
  for (let i = 0; i < dims; i++) numbers[i] = bytes.readFloatBE(4 + 4 * i);
  return numbers;
}
