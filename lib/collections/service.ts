import { AppError } from "../api/errors";
import {
  countCollectionContents,
  deleteCollectionById,
  deleteDocument,
  getCollectionByPublicId,
  chunkPublicId,
  listChunks,
  listDocuments,
  type ChunkRow,
  type CollectionRow,
  type DocumentSummary,
} from "../db/collection-queries";
import type { Database } from "../db/connection";
import { listDocumentIdsAfter, listDocumentsAfter } from "../db/dump";
import { collectionVectorDims } from "../db/import-queries";
import { isOwnVectorsModel, ownVectorsMessage } from "../embeddings/own";
import { resolveModel } from "../embeddings/registry";
import { embedTexts } from "../embeddings/service";
import { searchCollectionChunks, type ChunkSearch } from "../hybrid-search/search";
import { isWellFormedSlug, keyMatches } from "../keys";
import { listMappedChunks } from "../db/map-queries";
import { queueMapIfOutdated } from "../jobs/maps/queue";
import { jobRunnerOf } from "../jobs/runner";
import { placeOnMap, updateSmallMap } from "../maps/service";
import { mapStateOf, type MapState } from "../maps/state";
import { resolveTokenizer } from "../tokenizers/registry";
import { normalize } from "../vectors";
import { ensureExampleCollection, exampleCollectionId } from "./example-collection";
import { storeDocuments, toInfo, type AddedDocument } from "./store";
import { ensureWordMapExample, wordMapExample } from "./word-map-example";
import {
  collectionLimits,
  type AddDocumentsInput,
  type CollectionAccess,
  type CollectionInfo,
  type CollectionSearchInput,
  type SearchResult,
} from "./schemas";

/**
 * Collections of documents for retrieval. Documents are chunked and every chunk embedded with the
 * collection's model; search embeds the question and asks pgvector for the nearest chunks.
 * Access: the read key searches a private collection (public ones need none), the write key
 * changes it (and reads too). Keys are shown once, at creation, and stored hashed.
 */

export { createCollection, storeDocuments, type AddedDocument, type CreatedCollection } from "./store";

/** The collection's description, and what the presented key may do with it. */
export async function getCollection(
  db: Database,
  { id, key }: { id: string; key: string | null },
): Promise<CollectionInfo & { access: CollectionAccess; map: MapState }> {
  const row = await findReadable(db, id, key);
  const access: CollectionAccess =
    key !== null && keyMatches(key, row.writeKeyHash) ? "write" : key !== null && keyMatches(key, row.readKeyHash) ? "read" : "public";
  return { ...toInfo(row, await countCollectionContents(db, { collectionId: row.id })), access, map: await mapStateOf(db, { collectionId: row.id }) };
}

export async function deleteCollection(db: Database, { id, key }: { id: string; key: string | null }): Promise<void> {
  const row = await findWritable(db, id, key);
  await deleteCollectionById(db, { collectionId: row.id });
}

/**
 * Chunks, embeds and stores documents. Everything is embedded before anything is written, and
 * the write is one transaction: a failure leaves the collection as it was. A document whose exact
 * text is already in the collection is not stored again.
 */
export async function addDocuments(
  db: Database,
  { id, key, documents }: { id: string; key: string | null; documents: AddDocumentsInput["documents"] },
): Promise<AddedDocument[]> {
  const row = await findWritable(db, id, key);
  const added = await storeDocuments(db, row, documents);
  if (await queueMapIfOutdated(db, row.id)) jobRunnerOf(db)?.wake();
  return added;
}

/**
 * Deletes a document by its public id. An id this app cannot have made (the numbers it answered
 * before ids were opaque, say) is refused without a query; a document of another collection is
 * not found either: ids are looked up within the collection the key opens.
 */
export async function removeDocument(db: Database, { id, key, documentId }: { id: string; key: string | null; documentId: string }): Promise<void> {
  const row = await findWritable(db, id, key);
  if (!isWellFormedSlug(documentId)) {
    throw new AppError(
      "not_found:document",
      `Collection ${id} has no document "${documentId.slice(0, 20)}": document ids are the 16 letters, digits, '-' and '_' that uploads and GET /api/collections/${id}/documents answer.`,
    );
  }
  if (!(await deleteDocument(db, { collectionId: row.id, documentId }))) {
    throw new AppError("not_found:document", `Collection ${id} has no document ${documentId}.`);
  }
}

export interface DocumentsPage {
  documents: DocumentSummary[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
  /** Documents in the collection. */
  total: number;
}

/** A page of the collection's documents (a table imported row by row may hold 100,000). */
export async function listCollectionDocuments(
  db: Database,
  { id, key, limit = collectionLimits.maxDocumentsPerPage, after }: { id: string; key: string | null; limit?: number; after?: string },
): Promise<DocumentsPage> {
  const row = await findReadable(db, id, key);
  const [page, counts] = await Promise.all([listDocuments(db, { collectionId: row.id, limit: limit + 1, after }), countCollectionContents(db, { collectionId: row.id })]);
  if (page === null) throw new AppError("bad_request:after", `after names no document of collection ${row.publicId}: pass the "next" of the page before.`);
  const documents = page.slice(0, limit);
  return { documents, next: page.length > limit ? documents[documents.length - 1].documentId : null, total: counts.documents };
}

/** Characters of documents `countDocumentTokens` tokenizes per call (10 of the longest documents; ~0.5 s with o200k_base, ~2 s with qwen3). */
export const maxTokenCountedCharacters = 2_000_000;

export interface DocumentTokenCount {
  /** The document's public id. */
  documentId: string;
  /** Tokens of the whole document; null when it lies past `maxTokenCountedCharacters` and was not counted. */
  count: number | null;
}

/**
 * How many tokens each document of a collection takes for an LLM tokenizer, in the order they
 * were added. Documents are counted until `maxTokenCountedCharacters` characters have been read;
 * the rest get `count: null`. Reading needs the same key as searching.
 */
export async function countDocumentTokens(
  db: Database,
  { id, key, tokenizer }: { id: string; key: string | null; tokenizer: string },
): Promise<{ tokenizer: string; documents: DocumentTokenCount[]; count: number }> {
  const encoder = resolveTokenizer(tokenizer);
  const row = await findReadable(db, id, key);
  const documents: DocumentTokenCount[] = [];
  let characters = 0;
  let total = 0;
  let afterId = 0n;
  while (characters <= maxTokenCountedCharacters) {
    const page = await listDocumentsAfter(db, { collectionId: row.id, afterId, limit: 20, withVectors: false });
    if (page.length === 0) return { tokenizer, documents, count: total };
    for (const document of page) {
      characters += document.text.length;
      const count = characters <= maxTokenCountedCharacters ? (await encoder.encode(document.text)).length : null;
      total += count ?? 0;
      documents.push({ documentId: document.publicId, count });
    }
    afterId = page[page.length - 1].id;
  }
  // Past the limit only the ids are read: a table imported row by row may have 100,000 documents.
  for (;;) {
    const ids = await listDocumentIdsAfter(db, { collectionId: row.id, afterId, limit: 5_000 });
    if (ids.length === 0) return { tokenizer, documents, count: total };
    for (const { publicId } of ids) documents.push({ documentId: publicId, count: null });
    afterId = ids[ids.length - 1].id;
  }
}

export async function listCollectionChunks(
  db: Database,
  { id, key, limit, offset }: { id: string; key: string | null; limit: number; offset: number },
): Promise<ChunkRow[]> {
  const row = await findReadable(db, id, key);
  return listChunks(db, { collectionId: row.id, limit, offset });
}

/**
 * The k chunks that best answer the query, best first, in the asked mode (hybrid by default for
 * a text, vector for a vector; see lib/hybrid-search/search.ts). The vector side compares the
 * chunks exactly when the filter lets through few enough of them, and otherwise walks the HNSW
 * index with iterative scans, which keep going until k chunks pass the filter.
 */
export async function searchCollection(
  db: Database,
  { id, key, query, k, mode: asked, minScore, filter = {} }: { id: string; key: string | null } & CollectionSearchInput,
): Promise<{ model: string } & ChunkSearch> {
  const row = await findReadable(db, id, key);
  const ownVectors = isOwnVectorsModel(row.model);
  const mode = asked ?? (typeof query !== "string" ? "vector" : ownVectors ? "keyword" : "hybrid");
  if (typeof query !== "string" && mode !== "vector") {
    throw new AppError("bad_request:mode", `${mode} search needs a text query: a vector has no words to match. Send a text, or mode "vector".`);
  }
  if (typeof query === "string" && ownVectors && mode !== "keyword") throw new AppError("bad_request:mode", ownVectorsMessage(row.model));
  const question = typeof query === "string" ? query : undefined;
  const vector = mode === "keyword" ? undefined : question !== undefined ? await embedQuestion(db, row, question) : await queryVector(db, row, query as number[]);
  const search = await searchCollectionChunks(db, { collectionId: row.id, mode, vector, question, k, minScore, filter });
  return { model: row.model, ...search, results: search.results.map((result) => ({ ...result, metadata: result.metadata as SearchResult["metadata"] })) };
}

export interface CollectionMap {
  model: string;
  /** The stored map's state (lib/maps/state.ts): the points below are those it has so far. */
  map: MapState;
  /** The first 2,000 chunks on the map, in document order; the points endpoint has all of them. */
  chunks: (Pick<SearchResult, "chunkId" | "documentId" | "position" | "text" | "metadata"> & { x: number; y: number })[];
  /** Where the question lands on the same map (placed among its nearest chunks: nothing else moves). */
  question?: { x: number; y: number };
}

/**
 * The collection's stored map (lib/maps/): its first chunks with their positions, and the question
 * placed among them. A small collection is mapped first if rows are off its map; a big one
 * answers with what its map job has written so far, and says so in `map.state`.
 */
export async function mapCollection(
  db: Database,
  { id, key, question }: { id: string; key: string | null; question?: string },
): Promise<CollectionMap> {
  const row = await findReadable(db, id, key);
  await updateSmallMap(db, { collectionId: row.id });
  const chunks = await listMappedChunks(db, { collectionId: row.id, limit: collectionLimits.maxChunksPerPage });
  const placed = question ? await placeOnMap(db, { collectionId: row.id, vector: await embedQuestion(db, row, question) }) : null;
  return {
    model: row.model,
    map: await mapStateOf(db, { collectionId: row.id }),
    chunks: chunks.map((chunk) => ({
      chunkId: chunkPublicId(chunk.documentPublicId, chunk.position),
      documentId: chunk.documentPublicId,
      position: chunk.position,
      text: chunk.text,
      metadata: chunk.metadata as SearchResult["metadata"],
      x: chunk.x,
      y: chunk.y,
    })),
    ...(placed ? { question: placed } : {}),
  };
}

/** A question asked of a collection, embedded without entering the shared cache. */
async function embedQuestion(db: Database, row: CollectionRow, question: string): Promise<number[]> {
  if (isOwnVectorsModel(row.model)) throw new AppError("bad_request:question", ownVectorsMessage(row.model));
  return (await embedTexts(db, { model: row.model, texts: [question], store: false })).vectors[0];
}

async function queryVector(db: Database, row: CollectionRow, query: number[]): Promise<number[]> {
  const dims = isOwnVectorsModel(row.model) ? await collectionVectorDims(db, { collectionId: row.id }) : resolveModel(row.model).info().dims;
  if (dims !== null && query.length !== dims) {
    throw new AppError("bad_request:query", `query has ${query.length} numbers; ${row.model} vectors have ${dims}.`);
  }
  try {
    return normalize(query);
  } catch {
    throw new AppError("bad_request:query", "query is a zero vector; it has no direction to search in.");
  }
}

async function findOrThrow(db: Database, id: string): Promise<CollectionRow> {
  // The example ships with the app: made on first use if start-up has not (fully) made it yet.
  if (id === exampleCollectionId) await ensureExampleCollection(db);
  if (id === wordMapExample.id) await ensureWordMapExample(db);
  const row = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await getCollectionByPublicId(db, { publicId: id }) : null;
  if (!row) throw new AppError("not_found:collection", `No collection has the id "${id.slice(0, 64)}".`);
  return row;
}

/** The collection, when `key` may read it (any key for a public one); else the 401/403/404 to answer. */
export async function findReadable(db: Database, id: string, key: string | null): Promise<CollectionRow> {
  const row = await findOrThrow(db, id);
  if (row.isPublic) return row;
  if (key === null) throw missingKey("Searching this private collection needs its read key (or write key)");
  if (!keyMatches(key, row.readKeyHash) && !keyMatches(key, row.writeKeyHash)) {
    throw new AppError("forbidden:collection", "This key does not open this collection.");
  }
  return row;
}

/** The collection, when `key` is its write key; else the 401/403/404 to answer. */
export async function findWritable(db: Database, id: string, key: string | null): Promise<CollectionRow> {
  const row = await findOrThrow(db, id);
  if (key === null) throw missingKey("Changing a collection needs its write key");
  if (!keyMatches(key, row.writeKeyHash)) {
    throw new AppError("forbidden:collection", "This key may not change this collection (a read key only searches it).");
  }
  return row;
}

function missingKey(what: string): AppError {
  return new AppError("unauthorized:collection", `${what}: send Authorization: Bearer <key>.`, { headers: { "WWW-Authenticate": "Bearer" } });
}
