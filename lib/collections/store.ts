import { AppError } from "../api/errors";
import { findDocumentsByHashes, insertCollection, type CollectionRow, type NewDocument } from "../db/collection-queries";
import type { Database } from "../db/connection";
import { resolveModel } from "../embeddings/registry";
import { truncatedTexts } from "../embeddings/readability";
import { embedTexts } from "../embeddings/service";
import type { ModelInfo } from "../embeddings/types";
import { createSecretKey, createSlug, hashKey } from "../keys";
import { chunkText } from "./chunker";
import { contentHash, insertNewDocuments, truncationNote, type TruncationNote } from "./ingest";
import { defaultChunking, defaultOverlap } from "./model-chunking";
import { collectionLimits, type AddDocumentsInput, type CollectionInfo, type CreateCollectionInput } from "./schemas";

/**
 * Making collections and storing documents, without access checks: service.ts checks the keys
 * first, and example-collection.ts seeds the example with these directly.
 */

export interface CreatedCollection {
  collection: CollectionInfo;
  readKey: string;
  writeKey: string;
}

export async function createCollection(db: Database, input: CreateCollectionInput, { publicId }: { publicId?: string } = {}): Promise<CreatedCollection> {
  const model = resolveModel(input.model).info();
  if (!model.available) {
    // Fail now rather than at the first upload: embed one word to surface the model's own message.
    await embedTexts(db, { model: model.id, texts: ["test"] });
  }
  const readKey = createSecretKey();
  const writeKey = createSecretKey();
  const row = await insertCollection(db, {
    publicId: publicId ?? createSlug(),
    name: input.name,
    model: model.id,
    isPublic: input.public,
    readKeyHash: hashKey(readKey),
    writeKeyHash: hashKey(writeKey),
    ...chunkingFor(model, input.chunking),
  });
  return { collection: toInfo(row, { documents: 0, chunks: 0 }), readKey, writeKey };
}

/** The chunking asked for, with what it leaves out taken from the model's defaults (model-chunking.ts). */
function chunkingFor(model: ModelInfo, asked: CreateCollectionInput["chunking"]): { chunkSize: number; chunkOverlap: number } {
  const chunkSize = asked?.size ?? defaultChunking(model).size;
  const chunkOverlap = asked?.overlap ?? defaultOverlap(chunkSize);
  if (chunkOverlap > chunkSize / 2) {
    throw new AppError("bad_request:chunking.overlap", `overlap must be at most half of size: ${chunkOverlap} is more than half of ${chunkSize} (${model.id}'s default size).`);
  }
  return { chunkSize, chunkOverlap };
}

export interface AddedDocument {
  /** The document's public id (16 random characters), for GET …/documents and DELETE …/documents/{documentId}. */
  documentId: string;
  chunks: number;
  /** True when the same text was already in the collection: nothing was added. */
  duplicate: boolean;
  /** Present when some of its chunks are longer than the model reads. */
  truncated?: TruncationNote;
}

/**
 * Chunks, embeds and stores documents (addDocuments in service.ts, after its key check). Everything
 * is embedded before anything is written, and the write is one transaction.
 */
export async function storeDocuments(db: Database, row: CollectionRow, documents: AddDocumentsInput["documents"]): Promise<AddedDocument[]> {
  const hashes = documents.map((document) => contentHash(document.text));
  const existing = await findDocumentsByHashes(db, { collectionId: row.id, contentHashes: hashes });

  const fresh = new Map<string, { text: string; metadata: NonNullable<AddDocumentsInput["documents"][number]["metadata"]>; chunks: ReturnType<typeof chunkText> }>();
  documents.forEach((document, i) => {
    if (existing.has(hashes[i]) || fresh.has(hashes[i])) return;
    fresh.set(hashes[i], {
      text: document.text,
      metadata: document.metadata ?? {},
      chunks: chunkText(document.text, { size: row.chunkSize, overlap: row.chunkOverlap }),
    });
  });
  const chunkTexts = [...fresh.values()].flatMap((document) => document.chunks.map((chunk) => chunk.text));
  if (chunkTexts.length > collectionLimits.maxChunksPerRequest) {
    throw new AppError(
      "payload_too_large:documents",
      `These documents make ${chunkTexts.length} chunks; one request may add at most ${collectionLimits.maxChunksPerRequest}. Send fewer documents per request, or send Prefer: respond-async to upload them as a background job.`,
    );
  }
  // Not stored in the shared embeddings cache: a collection's text is only for those with its key.
  const vectors = chunkTexts.length > 0 ? (await embedTexts(db, { model: row.model, texts: chunkTexts, store: false })).vectors : [];
  const model = resolveModel(row.model);
  const truncated = await truncatedTexts(model, chunkTexts);

  let next = 0;
  const newDocuments: NewDocument[] = [...fresh.entries()].map(([contentHash, document]) => ({
    contentHash,
    text: document.text,
    metadata: document.metadata,
    chunks: document.chunks.map((chunk, position) => ({ position, text: chunk.text, start: chunk.start, end: chunk.end, vector: vectors[next++] })),
  }));
  // A copy that another request (or server) stored meanwhile comes back as not inserted: a duplicate.
  const stored = await insertNewDocuments(db, { collectionId: row.id, documents: newDocuments });

  const reported = new Set<string>();
  return hashes.map((hash) => {
    const outcome = stored.get(hash);
    const first = outcome?.inserted === true && !reported.has(hash);
    reported.add(hash);
    if (first) {
      const { chunks } = fresh.get(hash)!;
      const note = truncationNote(model.info(), chunks.filter((chunk) => truncated.has(chunk.text)).length, chunks.length);
      return { documentId: outcome.documentId, chunks: chunks.length, duplicate: false, ...(note ? { truncated: note } : {}) };
    }
    return { documentId: existing.get(hash) ?? outcome!.documentId, chunks: 0, duplicate: true };
  });
}

export function toInfo(row: CollectionRow, counts: { documents: number; chunks: number }): CollectionInfo {
  return {
    id: row.publicId,
    name: row.name,
    model: row.model,
    public: row.isPublic,
    chunking: { size: row.chunkSize, overlap: row.chunkOverlap },
    ...counts,
    createdAt: row.createdAt.toISOString(),
  };
}
