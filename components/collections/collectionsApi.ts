import { callApi } from "@/components/notebook/client";
import type { CollectionAccess, CollectionInfo, SearchResult } from "@/lib/collections/schemas";
import type { SearchMode } from "@/lib/hybrid-search/modes";

/**
 * The collections API as the browser uses it: one typed function per call, the key sent as
 * `Authorization: Bearer`. Failures are `ApiError`s carrying the server's status, code and message.
 */

export type { CollectionInfo, SearchResult };
export type Metadata = Record<string, string | number | boolean>;

export interface CollectionDocument {
  documentId: number;
  /** The first characters of the text. */
  preview: string;
  characters: number;
  chunks: number;
  metadata: Metadata;
  createdAt: string;
}

export interface AddedDocument {
  documentId: number;
  chunks: number;
  /** The same text was already in the collection: nothing was added. */
  duplicate: boolean;
}

export interface NewCollection {
  name: string;
  model: string;
  public: boolean;
  chunking: { size: number; overlap: number };
}

export interface CreatedCollection {
  id: string;
  readKey: string;
  writeKey: string;
  collection: CollectionInfo;
}


export function collectionUrl(id: string): string {
  return `/api/collections/${encodeURIComponent(id)}`;
}

export function createCollection(input: NewCollection): Promise<CreatedCollection> {
  return callApi("/api/collections", { body: input });
}

export function fetchCollection(id: string, key: string | null): Promise<CollectionInfo & { access: CollectionAccess }> {
  return callApi(collectionUrl(id), { method: "GET", editKey: key ?? undefined });
}

export async function fetchDocuments(id: string, key: string | null): Promise<CollectionDocument[]> {
  return (await callApi<{ documents: CollectionDocument[] }>(`${collectionUrl(id)}/documents`, { method: "GET", editKey: key ?? undefined })).documents;
}

export async function addDocuments(id: string, key: string, documents: { text: string; metadata: Metadata }[]): Promise<AddedDocument[]> {
  return (await callApi<{ documents: AddedDocument[] }>(`${collectionUrl(id)}/documents`, { body: { documents }, editKey: key })).documents;
}

export function deleteDocument(id: string, key: string, documentId: number): Promise<void> {
  return callApi(`${collectionUrl(id)}/documents/${documentId}`, { method: "DELETE", editKey: key });
}

export function deleteCollection(id: string, key: string): Promise<void> {
  return callApi(collectionUrl(id), { method: "DELETE", editKey: key });
}

export async function searchCollection(
  id: string,
  key: string | null,
  search: { query: string; k: number; mode: SearchMode; filter?: Metadata },
): Promise<{ mode: SearchMode; results: SearchResult[] }> {
  return callApi<{ mode: SearchMode; results: SearchResult[] }>(`${collectionUrl(id)}/search`, { body: search, editKey: key ?? undefined });
}

/** Tokens each document takes for an LLM tokenizer, by document id; null for a document past the server's counting cap. */
export async function countDocumentTokens(id: string, key: string | null, tokenizer: string): Promise<Map<number, number | null>> {
  const reply = await callApi<{ documents: { documentId: number; count: number | null }[] }>("/api/tokens", { body: { tokenizer, collection: id }, editKey: key ?? undefined });
  return new Map(reply.documents.map((document) => [document.documentId, document.count]));
}
