import { fromSql, toSql } from "../vectors";
import type { Database } from "./connection";
import { Prisma } from "./generated/prisma/client";
import type { CollectionRow } from "./collection-queries";
import { itemRows, type ExplorationRow } from "./exploration-queries";
import { flushEmbeddingWrites, saveEmbeddings } from "./queries";

/**
 * Queries for moving data between databases (`npm run export` / `npm run import`). Reads are
 * paged by id so an export holds one page in memory, not the database; each import write is one
 * transaction per exploration or collection, keeping every original timestamp, version and key hash.
 */

/** A collection's import may embed and insert tens of thousands of chunks: Prisma's 5 s default is too short. */
const longTransaction = { maxWait: 60_000, timeout: 30 * 60_000 };

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters (9 per chunk). */
const insertBatch = 500;

/** An exploration row as exploration-queries reads it, with its database id for paging. */
export type DumpExplorationRow = ExplorationRow & { id: bigint };

/** Up to `limit` explorations with their items, in id order after `afterId`. */
export async function listExplorationsAfter(db: Database, { afterId, limit }: { afterId: bigint; limit: number }): Promise<DumpExplorationRow[]> {
  return db.prisma.exploration.findMany({
    where: { id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    include: { items: { orderBy: { position: "asc" }, select: { text: true, group: true } } },
  });
}

export type DumpCollectionRow = CollectionRow;

/** Every collection, without its documents (a few rows per collection, however large it is). */
export async function listCollections(db: Database): Promise<DumpCollectionRow[]> {
  return db.prisma.collection.findMany({ orderBy: { id: "asc" } });
}

export interface DumpChunkRow {
  position: number;
  text: string;
  start: number;
  end: number;
  metadata: Prisma.JsonObject;
  vector?: number[];
}

export interface DumpDocumentRow {
  id: bigint;
  /** The document's id in the API, kept by a move so clients' stored ids still work. */
  publicId: string;
  contentHash: string;
  text: string;
  metadata: Prisma.JsonObject;
  createdAt: Date;
  chunks: DumpChunkRow[];
}

/** Up to `limit` documents of a collection after `afterId`, each with its chunks in order; vectors only when asked. */
/** The ids of up to `limit` documents after `afterId`, in order: for lists that need no text. */
export async function listDocumentIdsAfter(db: Database, { collectionId, afterId, limit }: { collectionId: bigint; afterId: bigint; limit: number }): Promise<{ id: bigint; publicId: string }[]> {
  return db.prisma.collectionDocument.findMany({ where: { collectionId, id: { gt: afterId } }, orderBy: { id: "asc" }, take: limit, select: { id: true, publicId: true } });
}

export async function listDocumentsAfter(
  db: Database,
  { collectionId, afterId, limit, withVectors }: { collectionId: bigint; afterId: bigint; limit: number; withVectors: boolean },
): Promise<DumpDocumentRow[]> {
  const documents = await db.prisma.collectionDocument.findMany({
    where: { collectionId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, publicId: true, contentHash: true, text: true, metadata: true, createdAt: true },
  });
  if (documents.length === 0) return [];
  const lastId = documents[documents.length - 1].id;
  const embedding = withVectors ? Prisma.sql`"embedding"::text` : Prisma.sql`NULL::text`;
  const chunks = await db.prisma.$queryRaw<
    { document_id: bigint; position: number; text: string; start_offset: number; end_offset: number; metadata: Prisma.JsonObject; embedding: string | null }[]
  >`
    SELECT "document_id", "position", "text", "start_offset", "end_offset", "metadata", ${embedding} AS "embedding"
    FROM "collection_chunks"
    WHERE "collection_id" = ${collectionId} AND "document_id" > ${afterId} AND "document_id" <= ${lastId}
    ORDER BY "document_id", "position"`;
  const byDocument = new Map<bigint, DumpChunkRow[]>(documents.map((document) => [document.id, []]));
  for (const chunk of chunks) {
    byDocument.get(chunk.document_id)?.push({
      position: chunk.position,
      text: chunk.text,
      start: chunk.start_offset,
      end: chunk.end_offset,
      metadata: chunk.metadata,
      ...(chunk.embedding === null ? {} : { vector: fromSql(chunk.embedding) }),
    });
  }
  return documents.map((document) => ({ ...document, metadata: document.metadata as Prisma.JsonObject, chunks: byDocument.get(document.id)! }));
}

/** Up to `limit` entries of the shared embeddings cache after `afterId`, in id order. */
export async function listEmbeddingsAfter(
  db: Database,
  { afterId, limit }: { afterId: bigint; limit: number },
): Promise<{ id: bigint; model: string; text: string; vector: number[] }[]> {
  await flushEmbeddingWrites(db);
  const rows = await db.prisma.$queryRaw<{ id: bigint; model: string; text: string; embedding: string }[]>`
    SELECT "id", "model", "text", "embedding"::text AS "embedding"
    FROM "embeddings"
    WHERE "id" > ${afterId} AND "embedding" IS NOT NULL
    ORDER BY "id"
    LIMIT ${limit}`;
  return rows.map((row) => ({ id: row.id, model: row.model, text: row.text, vector: fromSql(row.embedding) }));
}

export type ImportOutcome = "inserted" | "replaced" | "skipped";

export async function explorationSlugExists(db: Database, { slug }: { slug: string }): Promise<boolean> {
  return (await db.prisma.exploration.count({ where: { slug } })) > 0;
}

export async function collectionPublicIdExists(db: Database, { publicId }: { publicId: string }): Promise<boolean> {
  return (await db.prisma.collection.count({ where: { publicId } })) > 0;
}

/**
 * Writes an exploration exactly as it was (slug, key hash, version, timestamps) in one
 * transaction. An existing slug is left alone, or deleted first when `replace` is set.
 */
export async function insertDumpedExploration(
  db: Database,
  { exploration, replace }: { exploration: Omit<DumpExplorationRow, "id">; replace: boolean },
): Promise<ImportOutcome> {
  return db.prisma.$transaction(async (tx) => {
    const existing = await tx.exploration.findUnique({ where: { slug: exploration.slug }, select: { id: true } });
    if (existing && !replace) return "skipped";
    if (existing) await tx.exploration.delete({ where: { id: existing.id } });
    await tx.exploration.create({
      data: {
        slug: exploration.slug,
        editKeyHash: exploration.editKeyHash,
        title: exploration.title,
        model: exploration.model,
        cells: exploration.cells as Prisma.InputJsonValue,
        version: exploration.version,
        forkedFrom: exploration.forkedFrom,
        createdAt: exploration.createdAt,
        updatedAt: exploration.updatedAt,
        items: { createMany: { data: itemRows(exploration.items) } },
      },
    });
    return existing ? "replaced" : "inserted";
  }, longTransaction);
}

export interface DumpedCollectionWrite extends Omit<DumpCollectionRow, "id"> {
  documents: (Omit<DumpDocumentRow, "id" | "chunks"> & { chunks: (DumpChunkRow & { vector: number[] })[] })[];
}

/**
 * Writes a collection with all its documents and chunks (every chunk with its vector) in one
 * transaction: a failure leaves no half collection. An existing public id is left alone, or the
 * old collection is deleted (with its documents) first when `replace` is set.
 */
export async function insertDumpedCollection(
  db: Database,
  { collection, replace }: { collection: DumpedCollectionWrite; replace: boolean },
): Promise<ImportOutcome> {
  return db.prisma.$transaction(async (tx) => {
    const existing = await tx.collection.findUnique({ where: { publicId: collection.publicId }, select: { id: true } });
    if (existing && !replace) return "skipped";
    if (existing) await tx.collection.delete({ where: { id: existing.id } });
    const { documents, ...fields } = collection;
    const { id: collectionId } = await tx.collection.create({ data: fields, select: { id: true } });
    for (const document of documents) {
      const { id: documentId } = await tx.collectionDocument.create({
        data: { collectionId, publicId: document.publicId, contentHash: document.contentHash, text: document.text, metadata: document.metadata, createdAt: document.createdAt },
        select: { id: true },
      });
      for (let from = 0; from < document.chunks.length; from += insertBatch) {
        const rows = document.chunks.slice(from, from + insertBatch).map(
          (chunk) => Prisma.sql`(${collectionId}, ${documentId}, ${chunk.position}, ${chunk.text}, ${chunk.start}, ${chunk.end},
            ${JSON.stringify(chunk.metadata)}::jsonb, ${chunk.vector.length}, ${toSql(chunk.vector)}::vector)`,
        );
        await tx.$executeRaw`
          INSERT INTO "collection_chunks"
            ("collection_id", "document_id", "position", "text", "start_offset", "end_offset", "metadata", "dims", "embedding")
          VALUES ${Prisma.join(rows)}`;
      }
    }
    return existing ? "replaced" : "inserted";
  }, longTransaction);
}

/** Adds entries to the shared embeddings cache; texts it already has for the model stay as they are. */
export async function insertDumpedEmbeddings(
  db: Database,
  { model, entries }: { model: string; entries: { text: string; vector: number[] }[] },
): Promise<void> {
  for (let from = 0; from < entries.length; from += insertBatch) {
    await saveEmbeddings(db, { model, entries: entries.slice(from, from + insertBatch) });
  }
}
