import type { Metadata } from "./collectionsApi";
import type { CollectionLimits } from "./limits";

/**
 * Pure planning of an upload: which files can go (and why not), their metadata, and how they are
 * grouped into requests. Small requests keep the progress bar moving and let Cancel stop soon;
 * every request stays well inside the API's limits (documents, characters and chunks per request).
 */

export const uploadDefaults = {
  /** Documents per request. */
  documentsPerBatch: 5,
  /** Characters per request (~200 KB of text). */
  charactersPerBatch: 200_000,
  /** Share of the server's chunks-per-request limit a batch may use by estimate (estimates are rough). */
  chunkBudgetShare: 0.75,
} as const;

export const acceptedExtensions = [".txt", ".md", ".markdown"] as const;

/** A file or pasted text, read but not yet checked. */
export interface UploadSource {
  /** File name, or a label for pasted text. */
  name: string;
  text: string;
  /** Pasted rather than read from a file: no file name in its metadata. */
  pasted?: boolean;
  /** Given by the person; else the first markdown heading, if any. */
  title?: string;
}

/** A document ready to send. `index` is its place in the upload, for reporting results in order. */
export interface PlannedDocument {
  index: number;
  name: string;
  text: string;
  metadata: Metadata;
}

export interface RejectedSource {
  index: number;
  name: string;
  reason: string;
}

export function isAcceptedFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return acceptedExtensions.some((extension) => lower.endsWith(extension));
}

/** The text of the first markdown heading (`# Title`, any level), if the text has one. */
export function markdownTitle(text: string): string | undefined {
  const match = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text);
  return match?.[1].trim() || undefined;
}

/**
 * Checks one source against the API's limits and builds its metadata: `{ filename, title? }` for
 * files, `{ source: "pasted", title? }` for pasted text. Measures the text as the server will
 * (NFC, trimmed), so a file the server would refuse is reported here, named, before anything is sent.
 */
export function planDocument(
  source: UploadSource,
  index: number,
  limits: Pick<CollectionLimits, "maxDocumentLength" | "maxMetadataValueLength">,
): PlannedDocument | RejectedSource {
  const text = source.text.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  if (text.length === 0) return { index, name: source.name, reason: "The file is empty." };
  if (text.length > limits.maxDocumentLength) {
    return {
      index,
      name: source.name,
      reason: `Too big: ${text.length.toLocaleString("en")} characters; a document may have at most ${limits.maxDocumentLength.toLocaleString("en")}. Split it into smaller files.`,
    };
  }
  const clip = (value: string) => value.slice(0, limits.maxMetadataValueLength);
  const title = source.title?.trim() || markdownTitle(text);
  const metadata: Metadata = source.pasted ? { source: "pasted" } : { filename: clip(source.name) };
  if (title) metadata.title = clip(title);
  return { index, name: source.name, text, metadata };
}

export function isRejected(planned: PlannedDocument | RejectedSource): planned is RejectedSource {
  return "reason" in planned;
}

/** Roughly how many chunks the server's chunker will cut a text into. */
export function estimateChunks(characters: number, chunking: { size: number; overlap: number }): number {
  return Math.max(1, Math.ceil(characters / Math.max(1, chunking.size - chunking.overlap)));
}

/**
 * Groups documents into requests, in order: at most `documentsPerBatch` documents,
 * `charactersPerBatch` characters and a share of the server's chunk limit per request. A document
 * bigger than a whole batch goes alone.
 */
export function planBatches(
  documents: PlannedDocument[],
  { chunking, limits, options = uploadDefaults }: {
    chunking: { size: number; overlap: number };
    limits: Pick<CollectionLimits, "maxDocumentsPerRequest" | "maxChunksPerRequest">;
    options?: Partial<typeof uploadDefaults>;
  },
): PlannedDocument[][] {
  const maxDocuments = Math.min(options.documentsPerBatch ?? uploadDefaults.documentsPerBatch, limits.maxDocumentsPerRequest);
  const maxCharacters = options.charactersPerBatch ?? uploadDefaults.charactersPerBatch;
  const maxChunks = limits.maxChunksPerRequest * (options.chunkBudgetShare ?? uploadDefaults.chunkBudgetShare);

  const batches: PlannedDocument[][] = [];
  let batch: PlannedDocument[] = [];
  let characters = 0;
  let chunks = 0;
  for (const document of documents) {
    const documentChunks = estimateChunks(document.text.length, chunking);
    const fits = batch.length < maxDocuments && characters + document.text.length <= maxCharacters && chunks + documentChunks <= maxChunks;
    if (batch.length > 0 && !fits) {
      batches.push(batch);
      batch = [];
      characters = 0;
      chunks = 0;
    }
    batch.push(document);
    characters += document.text.length;
    chunks += documentChunks;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
