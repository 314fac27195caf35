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

/** The shape of a collection's export: its metadata keys (in code point order) and the dimensions of its vectors. */
export interface ExportShape {
  metadata: MetadataKeyTypes[];
  /** The stored vectors' dimensions, when they all have the same; null when there are none (or they differ). */
  dims: number | null;
  /** Chunks that have a vector. */
  vectors: number;
  /** The collection's first and last chunk ids when it has chunks: the pages' bounds, never written out. */
  chunkIds: { first: bigint; last: bigint } | null;
}

/**
 * Every metadata key of the collection's chunks (a chunk carries its document's metadata) with
 * the JSON types of its values, what its vectors are, and where its chunk ids start and end.
 * Two scans of the collection's chunks.
 */
export async function getExportShape(db: Database, { collectionId }: { collectionId: bigint }): Promise<ExportShape> {
  const keys = await db.prisma.$queryRaw<{ key: string; types: string[] }[]>`
    SELECT m."key" AS "key", array_agg(DISTINCT jsonb_typeof(m."value") ORDER BY jsonb_typeof(m."value")) AS "types"
    FROM "collection_chunks" c, jsonb_each(c."metadata") m
    WHERE c."collection_id" = ${collectionId}
    GROUP BY m."key"
    ORDER BY m."key" COLLATE "C"`;
  const [counts] = await db.prisma.$queryRaw<{ min: number | null; max: number | null; vectors: bigint; first: bigint | null; last: bigint | null }[]>`
    SELECT min("dims") FILTER (WHERE "embedding" IS NOT NULL) AS "min", max("dims") FILTER (WHERE "embedding" IS NOT NULL) AS "max",
           count("embedding") AS "vectors", min("id") AS "first", max("id") AS "last"
    FROM "collection_chunks"
    WHERE "collection_id" = ${collectionId}`;
  return {
    metadata: keys.map((row) => ({ key: row.key, types: row.types })),
    dims: counts.min !== null && counts.min === counts.max ? counts.min : null,
    vectors: Number(counts.vectors),
    chunkIds: counts.first !== null && counts.last !== null ? { first: counts.first, last: counts.last } : null,
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
      SELECT c."id", d."public_id" AS "document_public_id", c."position", c."text", c."metadata", c."x", c."y", ${embedding} AS "embedding"
      FROM "collection_chunks" c JOIN "collection_documents" d ON d."id" = c."document_id"
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
