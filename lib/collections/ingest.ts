import { createHash } from "node:crypto";
import { findDocumentsByHashes, insertDocumentsWithChunks, type NewDocument } from "../db/collection-queries";
import type { Database } from "../db/connection";
import { withContentLocks } from "../db/ingest-queries";

/**
 * Storing documents so that duplicates are right across requests and servers: both the
 * synchronous upload (store.ts) and upload jobs (lib/jobs/documents/) store through here.
 */

/** SHA-256 of a document's text (hex): one text is stored once per collection. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface StoreOutcome {
  /** The document's public id. */
  documentId: string;
  /** True when this call stored it; false when the collection already had the text. */
  inserted: boolean;
}

/**
 * Stores the documents whose text the collection does not hold yet, in one transaction (all or
 * nothing), and says per content hash which document holds it and whether this call stored it.
 * The texts are locked while checking and storing: of two uploads of one text at the same moment,
 * through one server or two, exactly one stores it and the other is told it was already there.
 */
export async function insertNewDocuments(db: Database, { collectionId, documents }: { collectionId: bigint; documents: NewDocument[] }): Promise<Map<string, StoreOutcome>> {
  const contentHashes = documents.map((document) => document.contentHash);
  return withContentLocks(db, { collectionId, contentHashes }, async () => {
    const existing = await findDocumentsByHashes(db, { collectionId, contentHashes });
    const fresh = documents.filter((document, i) => !existing.has(document.contentHash) && contentHashes.indexOf(document.contentHash) === i);
    const ids = fresh.length > 0 ? await insertDocumentsWithChunks(db, { collectionId, documents: fresh }) : [];
    const outcomes = new Map<string, StoreOutcome>([...existing].map(([hash, documentId]) => [hash, { documentId, inserted: false }]));
    fresh.forEach((document, i) => outcomes.set(document.contentHash, { documentId: ids[i], inserted: true }));
    return outcomes;
  });
}

/** Said of a stored document whose chunks the model read only in part (see readability.ts). */
export interface TruncationNote {
  /** Its chunks longer than the model reads. */
  chunks: number;
  maxTokens: number;
  message: string;
}

/** The note for a document of `total` chunks of which `truncated` are longer than `model` reads; undefined when none is. */
export function truncationNote(model: { id: string; maxTokens?: number }, truncated: number, total: number): TruncationNote | undefined {
  if (truncated === 0 || !model.maxTokens) return undefined;
  const which = truncated === total ? (total === 1 ? "Its chunk is" : `All ${total} of its chunks are`) : `${truncated} of its ${total} chunks are`;
  return {
    chunks: truncated,
    maxTokens: model.maxTokens,
    message:
      `${which} longer than ${model.id} reads (${model.maxTokens} tokens): ${truncated === 1 ? "that chunk's vector stands" : "their vectors stand"} for ` +
      `${truncated === 1 ? "its" : "their"} beginning, while keyword search reads ${truncated === 1 ? "it" : "them"} whole. A smaller chunk size avoids this.`,
  };
}
