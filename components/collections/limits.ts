import { chunkingSchema, collectionLimits } from "@/lib/collections/schemas";
import { importLimits } from "@/lib/imports/limits";

/**
 * The collections API's limits as plain numbers, for the forms and the uploader to show and
 * respect. Read from the request schemas so the UI can't drift from what the server accepts.
 * Server-only: it imports the zod schemas, so client components receive the result as a prop
 * (and import only the `CollectionLimits` type).
 */
export interface CollectionLimits {
  maxNameLength: number;
  /** Bounds only: the defaults depend on the model (lib/collections/model-chunking.ts). */
  chunkSize: { min: number; max: number };
  chunkOverlap: { min: number; max: number };
  /** Documents and body bytes of an upload job (uploads from the page are jobs). */
  maxDocumentsPerJob: number;
  maxJobBodyBytes: number;
  /** Characters per document, after NFC normalisation. */
  maxDocumentLength: number;
  maxMetadataValueLength: number;
  /** Metadata values a document (an imported row) keeps; an imported row's id counts as one. */
  maxMetadataKeys: number;
  /** Largest file an import takes, in bytes. */
  maxImportBytes: number;
}

export function readCollectionLimits(): CollectionLimits {
  const { size, overlap } = chunkingSchema.shape;
  return {
    maxNameLength: collectionLimits.maxNameLength,
    chunkSize: numberBounds(size.unwrap()),
    chunkOverlap: numberBounds(overlap.unwrap()),
    maxDocumentsPerJob: collectionLimits.maxDocumentsPerJob,
    maxJobBodyBytes: collectionLimits.maxJobBodyBytes,
    maxDocumentLength: collectionLimits.maxDocumentLength,
    maxMetadataValueLength: collectionLimits.maxMetadataValueLength,
    maxMetadataKeys: collectionLimits.maxMetadataKeys,
    maxImportBytes: importLimits.maxFileBytes,
  };
}

function numberBounds(schema: { minValue: number | null; maxValue: number | null }) {
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}
