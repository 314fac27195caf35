import { chunkSearchTerms } from "../hybrid-search/tsvector";
import { createSlug } from "../keys";
import { fromSql, toSql } from "../vectors";
import type { Database } from "./connection";
import { Prisma } from "./generated/prisma/client";

/** Queries for document collections. A batch of documents and their chunks is one transaction. */

export interface CollectionRow {
  id: bigint;
  publicId: string;
  name: string;
  model: string;
  isPublic: boolean;
  readKeyHash: string;
  writeKeyHash: string;
  chunkSize: number;
  chunkOverlap: number;
  createdAt: Date;
}

export interface NewChunk {
  position: number;
  text: string;
  start: number;
  end: number;
  vector: number[];
}

export interface NewDocument {
  contentHash: string;
  text: string;
  metadata: Prisma.InputJsonObject;
  chunks: NewChunk[];
}

/**
 * A chunk as the API shows it. Ids are public: a document's is random (`collection_documents.public_id`,
 * see its migration), a chunk's is its document's and its position (`chunkPublicId`). The tables'
 * bigint ids never leave this file: they would tell how much the whole server holds.
 */
export interface ChunkRow {
  chunkId: string;
  documentId: string;
  position: number;
  text: string;
  metadata: Prisma.JsonObject;
}

/** A chunk with where it sits in its document's text (`document.text.slice(start, end)`). */
export interface LocatedChunk extends ChunkRow {
  start: number;
  end: number;
}

/** A chunk's id in the API: its document's public id and its place in it, e.g. `aZ3_x9Kq-LmN0pQr.2`. */
export function chunkPublicId(documentId: string, position: number): string {
  return `${documentId}.${position}`;
}

/**
 * The columns a search selects for each chunk: "document_public_id" (the document's "public_id"),
 * "position", "text", "start_offset", "end_offset", "metadata".
 */
export interface LocatedChunkColumns {
  document_public_id: string;
  position: number;
  text: string;
  start_offset: number;
  end_offset: number;
  metadata: Prisma.JsonObject;
}

export function toLocatedChunk(row: LocatedChunkColumns): LocatedChunk {
  return {
    chunkId: chunkPublicId(row.document_public_id, row.position),
    documentId: row.document_public_id,
    position: row.position,
    text: row.text,
    start: row.start_offset,
    end: row.end_offset,
    metadata: row.metadata,
  };
}

export async function insertCollection(
  db: Database,
  collection: Omit<CollectionRow, "id" | "createdAt">,
): Promise<CollectionRow> {
  return db.prisma.collection.create({ data: collection });
}

export async function getCollectionByPublicId(db: Database, { publicId }: { publicId: string }): Promise<CollectionRow | null> {
  return db.prisma.collection.findUnique({ where: { publicId } });
}

export async function countCollectionContents(db: Database, { collectionId }: { collectionId: bigint }) {
  const [documents, chunks] = await Promise.all([
    db.prisma.collectionDocument.count({ where: { collectionId } }),
    db.prisma.collectionChunk.count({ where: { collectionId } }),
  ]);
  return { documents, chunks };
}

export async function deleteCollectionById(db: Database, { collectionId }: { collectionId: bigint }): Promise<void> {
  await db.prisma.collection.delete({ where: { id: collectionId } });
}

/** Public ids of the documents of a collection that have one of these content hashes. */
export async function findDocumentsByHashes(
  db: Database,
  { collectionId, contentHashes }: { collectionId: bigint; contentHashes: string[] },
): Promise<Map<string, string>> {
  const rows = await db.prisma.collectionDocument.findMany({
    where: { collectionId, contentHash: { in: contentHashes } },
    select: { publicId: true, contentHash: true },
  });
  return new Map(rows.map((row) => [row.contentHash, row.publicId]));
}

/**
 * Stores documents with their embedded chunks in one transaction: all or nothing. A document
 * that arrived meanwhile (same content, concurrent request) is skipped; its public id is returned.
 * Each new document gets a random public id (96 bits: a clash within one collection, which the
 * unique index would refuse, is as likely as guessing a share link).
 */
export async function insertDocumentsWithChunks(
  db: Database,
  { collectionId, documents }: { collectionId: bigint; documents: NewDocument[] },
): Promise<string[]> {
  return db.prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const document of documents) {
      const publicId = createSlug();
      const inserted = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO "collection_documents" ("collection_id", "public_id", "content_hash", "text", "metadata")
        VALUES (${collectionId}, ${publicId}, ${document.contentHash}, ${document.text}, ${JSON.stringify(document.metadata)}::jsonb)
        ON CONFLICT ("collection_id", "content_hash") DO NOTHING
        RETURNING "id"`;
      if (inserted.length === 0) {
        const existing = await tx.collectionDocument.findUniqueOrThrow({
          where: { collectionId_contentHash: { collectionId, contentHash: document.contentHash } },
          select: { publicId: true },
        });
        ids.push(existing.publicId);
        continue;
      }
      const documentId = inserted[0].id;
      ids.push(publicId);
      if (document.chunks.length === 0) continue;
      const metadata = JSON.stringify(document.metadata);
      const rows = document.chunks.map((chunk) => {
        const search = chunkSearchTerms(chunk.text);
        return Prisma.sql`(${collectionId}, ${documentId}, ${chunk.position}, ${chunk.text}, ${chunk.start}, ${chunk.end},
          ${metadata}::jsonb, ${chunk.vector.length}, ${toSql(chunk.vector)}::vector, ${search.tsvector}::tsvector, ${search.length})`;
      });
      await tx.$executeRaw`
        INSERT INTO "collection_chunks"
          ("collection_id", "document_id", "position", "text", "start_offset", "end_offset", "metadata", "dims", "embedding",
           "search_terms", "search_length")
        VALUES ${Prisma.join(rows)}`;
    }
    return ids;
  });
}

/** Deletes a document (by its public id) of a collection with its chunks; false when the collection has no such document. */
export async function deleteDocument(
  db: Database,
  { collectionId, documentId }: { collectionId: bigint; documentId: string },
): Promise<boolean> {
  const deleted = await db.prisma.collectionDocument.deleteMany({ where: { collectionId, publicId: documentId } });
  return deleted.count > 0;
}

export interface DocumentSummary {
  documentId: string;
  /** The first characters of the text. */
  preview: string;
  characters: number;
  chunks: number;
  metadata: Prisma.JsonObject;
  createdAt: string;
}

/**
 * Up to `limit` documents in the order they were added, after the document `after` (a public id;
 * from the first when absent). Null when the collection has no document `after`.
 */
export async function listDocuments(
  db: Database,
  { collectionId, limit, after }: { collectionId: bigint; limit: number; after?: string },
): Promise<DocumentSummary[] | null> {
  let afterId = 0n;
  if (after !== undefined) {
    const found = await db.prisma.collectionDocument.findUnique({ where: { collectionId_publicId: { collectionId, publicId: after } }, select: { id: true } });
    if (!found) return null;
    afterId = found.id;
  }
  const rows = await db.prisma.$queryRaw<{ public_id: string; preview: string; characters: number; chunks: bigint; metadata: Prisma.JsonObject; created_at: Date }[]>`
    SELECT d."public_id", left(d."text", 160) AS "preview", length(d."text") AS "characters",
           (SELECT count(*) FROM "collection_chunks" c WHERE c."document_id" = d."id") AS "chunks",
           d."metadata", d."created_at"
    FROM "collection_documents" d
    WHERE d."collection_id" = ${collectionId} AND d."id" > ${afterId}
    ORDER BY d."id"
    LIMIT ${limit}`;
  return rows.map((row) => ({
    documentId: row.public_id,
    preview: row.preview,
    characters: Number(row.characters),
    chunks: Number(row.chunks),
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function listChunks(
  db: Database,
  { collectionId, limit, offset }: { collectionId: bigint; limit: number; offset: number },
): Promise<ChunkRow[]> {
  const rows = await db.prisma.collectionChunk.findMany({
    where: { collectionId },
    orderBy: [{ documentId: "asc" }, { position: "asc" }],
    take: limit,
    skip: offset,
    select: { document: { select: { publicId: true } }, position: true, text: true, metadata: true },
  });
  return rows.map((row) => ({
    chunkId: chunkPublicId(row.document.publicId, row.position),
    documentId: row.document.publicId,
    position: row.position,
    text: row.text,
    metadata: row.metadata as Prisma.JsonObject,
  }));
}

export type ChunkSearchStrategy = "hnsw" | "exact";

/**
 * The `k` chunks nearest to `vector` among those matching `filter`, best first. `hnsw` walks the
 * index of the vector's dimension (iterative scans keep going until k rows pass the filter);
 * `exact` compares every matching chunk, which is faster and complete for a selective filter.
 */
export async function searchChunks(
  db: Database,
  {
    collectionId,
    vector,
    k,
    filter,
    strategy,
  }: { collectionId: bigint; vector: number[]; k: number; filter: Prisma.InputJsonObject; strategy: ChunkSearchStrategy },
): Promise<(LocatedChunk & { score: number })[]> {
  const rows = await db.prisma.$queryRaw<(LocatedChunkColumns & { distance: number })[]>(chunkSearchSql({ collectionId, vector, k, filter, strategy }));
  return rows.map((row) => ({ ...toLocatedChunk(row), score: 1 - Number(row.distance) })).sort((a, b) => b.score - a.score);
}

/** The plan of a chunk search; tests check which index it uses. */
export async function explainChunkSearch(db: Database, args: Parameters<typeof chunkSearchSql>[0]): Promise<string> {
  return explain(db, chunkSearchSql(args));
}

/** The plan PostgreSQL makes for a query, as text. */
export async function explain(db: Database, query: Prisma.Sql): Promise<string> {
  const rows = await db.prisma.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN ${query}`;
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

function chunkSearchSql({
  collectionId,
  vector,
  k,
  filter,
  strategy,
}: {
  collectionId: bigint;
  vector: number[];
  k: number;
  filter: Prisma.InputJsonObject;
  strategy: ChunkSearchStrategy;
}): Prisma.Sql {
  const dims = Prisma.raw(String(vector.length));
  // Only the cast to vector(<dims>) matches the HNSW index; without it PostgreSQL compares every row.
  const distance =
    strategy === "hnsw"
      ? Prisma.sql`"embedding"::vector(${dims}) <=> ${toSql(vector)}::vector(${dims})`
      : Prisma.sql`"embedding" <=> ${toSql(vector)}::vector`;
  // For HNSW, "+ 0" hides the collection filter from the btree index: with stale statistics the
  // planner would otherwise read the collection through it and sort, i.e. an exact search.
  const collection = strategy === "hnsw" ? Prisma.sql`"collection_id" + 0 = ${collectionId}` : Prisma.sql`"collection_id" = ${collectionId}`;
  // The documents' public ids are joined to the k nearest only, outside the search the index serves.
  return Prisma.sql`
    SELECT d."public_id" AS "document_public_id", c."position", c."text", c."start_offset", c."end_offset", c."metadata", c."distance"
    FROM (
      SELECT "document_id", "position", "text", "start_offset", "end_offset", "metadata", ${distance} AS "distance"
      FROM "collection_chunks"
      WHERE ${collection} AND "dims" = ${dims} AND "metadata" @> ${JSON.stringify(filter)}::jsonb
      ORDER BY ${distance}
      LIMIT ${k}
    ) c JOIN "collection_documents" d ON d."id" = c."document_id"
    ORDER BY c."distance", c."document_id", c."position"`;
}
