import { setImmediate as nextTurn } from "node:timers/promises";
import { AppError } from "../../api/errors";
import { isDatabaseUnavailable } from "../../db/unavailable";
import { chunkText, type Chunk } from "../../collections/chunker";
import { contentHash, insertNewDocuments, truncationNote } from "../../collections/ingest";
import type { NewDocument } from "../../db/collection-queries";
import { findDocumentDetailsByHashes, type StoredDocumentDetails } from "../../db/ingest-queries";
import { truncatedTexts } from "../../embeddings/readability";
import { resolveModel } from "../../embeddings/registry";
import { embedTexts } from "../../embeddings/service";
import type { JobKind, JobRun, JsonObject, PendingJobItem } from "../types";
import { queueMapIfOutdated } from "../maps/queue";

/**
 * The upload job: stores a collection's documents one at a time, each whole or not at all (one
 * transaction per document), so a cancel or a restart leaves every document either stored with
 * all its chunks or not there. Small documents are embedded together (the model is faster on a
 * batch) and still stored one by one.
 *
 * A run first counts every document's chunks (the progress total), then stores them in order.
 * Documents whose text the model cannot read are reported as failed and the job goes on; any
 * other error stops the job, keeping what was stored.
 */

/** What a job needs to know of its collection, fixed when it was queued (collections never change model or chunking). */
export interface UploadParams {
  model: string;
  chunkSize: number;
  chunkOverlap: number;
}

/** What each item holds until it is stored. */
export interface UploadInput {
  text: string;
  metadata: Record<string, string | number | boolean>;
}

export const uploadPolicy = {
  /** Items read from the queue at a time. */
  itemsPerPage: 32,
  /** Documents are embedded together up to this many chunks; a bigger one goes alone. */
  chunksPerGroup: 64,
  /** Chunks per call to the model: the progress moves, and a cancel is heard, after each. */
  chunksPerCall: 64,
} as const;

export const documentsJob: JobKind = {
  kind: "documents",
  names: { items: "documents", units: "chunks" },
  run: runUpload,
  followUp: queueMapIfOutdated,
};

interface Prepared {
  item: PendingJobItem;
  text: string;
  metadata: UploadInput["metadata"];
  hash: string;
  chunks: Chunk[];
}

async function runUpload(job: JobRun): Promise<void> {
  const params = job.params as unknown as UploadParams;
  await countChunks(job, params);
  for (let after = -1; !job.signal.aborted; ) {
    const items = await job.pendingItems({ afterPosition: after, limit: uploadPolicy.itemsPerPage });
    if (items.length === 0) return;
    for (const group of groupByChunks(items.map((item) => prepare(item, params)))) {
      if (job.signal.aborted) return;
      await storeGroup(job, params, group);
    }
    after = items[items.length - 1].position;
  }
}

/** Counts the chunks of every document not counted yet (a resumed job has counted some), yielding between documents. */
async function countChunks(job: JobRun, params: UploadParams): Promise<void> {
  for (let after = -1; !job.signal.aborted; ) {
    const items = await job.pendingItems({ afterPosition: after, limit: uploadPolicy.itemsPerPage });
    if (items.length === 0) return;
    const counted: { position: number; units: number }[] = [];
    for (const item of items) {
      if (item.units !== null) continue;
      counted.push({ position: item.position, units: prepare(item, params).chunks.length });
      await nextTurn(); // 45 ms for 200,000 characters: other requests get their turn
    }
    if (counted.length > 0) await job.plan(counted);
    after = items[items.length - 1].position;
  }
}

function prepare(item: PendingJobItem, params: UploadParams): Prepared {
  const { text, metadata } = item.input as unknown as UploadInput;
  return { item, text, metadata, hash: contentHash(text), chunks: chunkText(text, { size: params.chunkSize, overlap: params.chunkOverlap }) };
}

function groupByChunks(documents: Prepared[]): Prepared[][] {
  const groups: Prepared[][] = [];
  let chunks = Infinity;
  for (const document of documents) {
    if (chunks + document.chunks.length > uploadPolicy.chunksPerGroup) {
      groups.push([]);
      chunks = 0;
    }
    groups[groups.length - 1].push(document);
    chunks += document.chunks.length;
  }
  return groups;
}

async function storeGroup(job: JobRun, params: UploadParams, group: Prepared[]): Promise<void> {
  const collectionId = job.collectionId!;
  await job.begin(group.map((document) => document.item.position));
  const stored = await findDocumentDetailsByHashes(job.db, { collectionId, contentHashes: group.map((document) => document.hash) });
  const partial = { embedded: 0, completed: 0 };
  const embedded = await embedDocuments(job, params, group.filter((document) => !stored.has(document.hash)), partial);
  for (const document of group) {
    if (job.signal.aborted) return; // between documents: each is stored whole or not at all
    const vectors = embedded.get(document);
    if (vectors === undefined && !stored.has(document.hash)) return; // the embedding was stopped before it
    const result = stored.has(document.hash)
      ? alreadyStored(document, stored.get(document.hash)!)
      : vectors instanceof AppError
        ? { status: "failed", error: { code: vectors.code, message: vectors.message } }
        : await withTruncationNote(await storeDocument(job, collectionId, document, vectors!), params.model, document);
    if (!stored.has(document.hash)) partial.completed += document.chunks.length;
    job.reportPartial(Math.max(0, partial.embedded - partial.completed));
    await job.complete(document.item.position, result, document.chunks.length);
  }
}

/**
 * A document whose text the collection holds before this run stores it: a duplicate, unless an
 * earlier run of this job began the item and the document was stored after that: that run stored
 * it and died before recording so.
 */
function alreadyStored(document: Prepared, details: StoredDocumentDetails): JsonObject {
  const attempted = document.item.attemptedAt;
  if (attempted !== null && details.createdAt >= attempted) return added(details.documentId, details.chunks);
  return { status: "duplicate", documentId: details.documentId, chunks: 0, duplicate: true };
}

/** The stored document's result, with a note when the model read some of its chunks only in part. */
async function withTruncationNote(result: JsonObject, modelId: string, document: Prepared): Promise<JsonObject> {
  if (result.status !== "added") return result;
  const model = resolveModel(modelId);
  const texts = document.chunks.map((chunk) => chunk.text);
  const truncated = await truncatedTexts(model, texts);
  const note = truncationNote(model.info(), texts.filter((text) => truncated.has(text)).length, texts.length);
  return note ? { ...result, truncated: { ...note } } : result;
}

function added(documentId: string, chunks: number): JsonObject {
  return { status: "added", documentId, chunks, duplicate: false };
}

async function storeDocument(job: JobRun, collectionId: bigint, document: Prepared, vectors: number[][]): Promise<JsonObject> {
  const newDocument: NewDocument = {
    contentHash: document.hash,
    text: document.text,
    metadata: document.metadata,
    chunks: document.chunks.map((chunk, position) => ({ position, text: chunk.text, start: chunk.start, end: chunk.end, vector: vectors[position] })),
  };
  try {
    const outcome = (await insertNewDocuments(job.db, { collectionId, documents: [newDocument] })).get(document.hash)!;
    return outcome.inserted ? added(outcome.documentId, document.chunks.length) : { status: "duplicate", documentId: outcome.documentId, chunks: 0, duplicate: true };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error; // the job pauses and resumes with this document
    const name = document.item.label ? ` (${document.item.label})` : "";
    throw new AppError(
      "internal:job",
      `Document ${document.item.position + 1}${name} could not be stored because of an error on our side: it was not stored, nor were the documents after it. The documents before it are stored.`,
      { cause: error },
    );
  }
}

/**
 * The chunk vectors of each document, embedded together in calls of `chunksPerCall` chunks. A
 * text the model refuses (400 unreadable:texts) fails only its own document: a refused call is
 * repeated one document at a time to find it. Documents left out were not reached before a cancel.
 */
async function embedDocuments(job: JobRun, params: UploadParams, documents: Prepared[], partial: { embedded: number; completed: number }): Promise<Map<Prepared, number[][] | AppError>> {
  const vectors = new Map<Prepared, number[][] | AppError>();
  if (documents.length === 0) return vectors;
  const texts = documents.flatMap((document) => document.chunks.map((chunk) => chunk.text));
  const all: number[][] = [];
  try {
    for (let start = 0; start < texts.length; start += uploadPolicy.chunksPerCall) {
      if (job.signal.aborted) return vectors;
      // Not stored in the shared embeddings cache: a collection's text is only for those with its key.
      const slice = texts.slice(start, start + uploadPolicy.chunksPerCall);
      all.push(...(await embedTexts(job.db, { model: params.model, texts: slice, store: false })).vectors);
      partial.embedded += slice.length;
      job.reportPartial(partial.embedded - partial.completed);
    }
  } catch (error) {
    if (!(error instanceof AppError && error.status < 500)) throw error;
    if (documents.length === 1) return vectors.set(documents[0], error);
    partial.embedded -= all.length;
    for (const document of documents) {
      for (const [each, result] of await embedDocuments(job, params, [document], partial)) vectors.set(each, result);
    }
    return vectors;
  }
  let next = 0;
  for (const document of documents) {
    vectors.set(document, all.slice(next, next + document.chunks.length));
    next += document.chunks.length;
  }
  return vectors;
}
