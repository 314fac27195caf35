import type { Metadata } from "./collectionsApi";
import type { CollectionLimits } from "./limits";

/**
 * Pure planning of an upload: which files can go (and why not), their metadata, and how they are
 * grouped into upload jobs. The server stores a job's documents one by one in the background, so
 * a job is limited only by its documents and its body's size; most uploads are one job.
 */

export const uploadDefaults = {
  /** Share of the server's body limit a job's texts may fill: JSON escapes and metadata take the rest. */
  bodyShare: 0.8,
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

const utf8 = new TextEncoder();

/**
 * Groups documents into upload jobs, in order: at most the server's documents per job, and texts
 * of at most `bodyShare` of its body limit in UTF-8. A single document always fits (documents are
 * far smaller than a job's body).
 */
export function planJobs(
  documents: PlannedDocument[],
  { limits, options = uploadDefaults }: { limits: Pick<CollectionLimits, "maxDocumentsPerJob" | "maxJobBodyBytes">; options?: { bodyShare?: number } },
): PlannedDocument[][] {
  const maxBytes = limits.maxJobBodyBytes * (options.bodyShare ?? uploadDefaults.bodyShare);
  const jobs: PlannedDocument[][] = [];
  let job: PlannedDocument[] = [];
  let bytes = 0;
  for (const document of documents) {
    const size = utf8.encode(document.text).length;
    if (job.length > 0 && (job.length >= limits.maxDocumentsPerJob || bytes + size > maxBytes)) {
      jobs.push(job);
      job = [];
      bytes = 0;
    }
    job.push(document);
    bytes += size;
  }
  if (job.length > 0) jobs.push(job);
  return jobs;
}
