import { ApiError, callApi } from "@/components/notebook/client";
import type { CollectionAccess, CollectionInfo, SearchResult } from "@/lib/collections/schemas";
import type { JobCount, JobInfo } from "@/lib/jobs/service";
import type { SearchMode } from "@/lib/hybrid-search/modes";
import { decodePoints, type DecodedPoints } from "@/lib/maps/points-format";
import type { MapState } from "@/lib/maps/state";

/**
 * The collections API as the browser uses it: one typed function per call, the key sent as
 * `Authorization: Bearer`. Failures are `ApiError`s carrying the server's status, code and message.
 */

export type { CollectionInfo, DecodedPoints, JobCount, MapState, SearchResult };
export type Metadata = Record<string, string | number | boolean>;

export interface CollectionDocument {
  /** Opaque (16 random characters); DELETE …/documents/{documentId} takes it. */
  documentId: string;
  /** The first characters of the text. */
  preview: string;
  characters: number;
  chunks: number;
  metadata: Metadata;
  createdAt: string;
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

export function fetchCollection(id: string, key: string | null): Promise<CollectionInfo & { access: CollectionAccess; map: MapState }> {
  return callApi(collectionUrl(id), { method: "GET", editKey: key ?? undefined });
}

export async function fetchDocuments(id: string, key: string | null): Promise<CollectionDocument[]> {
  return (await callApi<{ documents: CollectionDocument[] }>(`${collectionUrl(id)}/documents`, { method: "GET", editKey: key ?? undefined })).documents;
}

/** One document of an upload job: pending until processed (see GET /api/collections/{id}/jobs/{job}). */
export interface JobDocument {
  index: number;
  label?: string;
  status: "pending" | "added" | "duplicate" | "failed" | "cancelled" | "skipped";
  documentId?: string;
  chunks?: number;
  /** Present when some of its chunks are longer than the model reads. */
  truncated?: { chunks: number; maxTokens: number; message: string };
  error?: { code: string; message: string };
}

/** An upload job as the API reports it; `documents` only from GET …/jobs/{job} and DELETE. */
export type UploadJob = Omit<JobInfo, "progress"> & {
  progress: { documents: JobCount; chunks: JobCount; chunksPerSecond: number | null; etaSeconds: number | null };
  documents?: JobDocument[];
};

/** Queues documents as a background upload job (Prefer: respond-async); the reply comes before any is stored. */
export async function startUploadJob(id: string, key: string, documents: { text: string; metadata: Metadata }[]): Promise<UploadJob> {
  return (await callApi<{ job: UploadJob }>(`${collectionUrl(id)}/documents`, { body: { documents }, editKey: key, headers: { prefer: "respond-async" } })).job;
}

/** One file of an import job: pending until read; then its rows, what was stored, and the rows the model could not read. */
export interface ImportJobFile {
  index: number;
  label?: string;
  status: "pending" | "imported" | "failed" | "cancelled" | "skipped" | "discarded";
  rows?: number;
  stored?: number;
  duplicates?: number;
  /** Rows kept without a vector (off the map): their count and the first 100 row numbers. */
  unreadable?: { count: number; rows: number[] };
  truncated?: { rows: number; maxTokens: number; message: string };
  error?: { code: string; message: string };
  /** Rows taken back out by a discard. */
  discardedRows?: number;
}

/** An import job (kind "import") as the API reports it; `files` only from GET …/jobs/{job} and DELETE. */
export type ImportJob = Omit<JobInfo, "progress"> & {
  progress: { files: JobCount; rows: JobCount; rowsPerSecond: number | null; etaSeconds: number | null };
  files?: ImportJobFile[];
};

/** What an import's columns become (lib/imports/mapping.ts importMappingSchema). */
export interface ImportMappingInput {
  text?: string;
  id?: string;
  metadata: Record<string, "string" | "number" | "boolean" | "date">;
  vector?: string;
  x?: string;
  y?: string;
}

/**
 * Sends a file to import as multipart/form-data (never read whole here: the browser streams it),
 * reporting the bytes sent; the reply (202) is the job, queued before any row is read. XHR rather
 * than fetch, because only XHR reports an upload's progress.
 */
export function startImportJob(
  id: string,
  key: string,
  { file, mapping, format, onSent }: { file: File; mapping: ImportMappingInput; format?: string; onSent?: (sent: number, total: number) => void },
): { job: Promise<ImportJob>; abort: () => void } {
  const form = new FormData();
  form.append("mapping", JSON.stringify(mapping));
  if (format) form.append("format", format);
  form.append("file", file, file.name);
  const request = new XMLHttpRequest();
  const job = new Promise<ImportJob>((resolve, reject) => {
    request.open("POST", `${collectionUrl(id)}/imports`);
    request.setRequestHeader("authorization", `Bearer ${key}`);
    request.responseType = "json";
    request.upload.onprogress = (event) => onSent?.(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () => {
      const reply = request.response as { job?: ImportJob; error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null;
      if (request.status >= 200 && request.status < 300 && reply?.job) return resolve(reply.job);
      reject(new ApiError(request.status, reply?.error?.code ?? "unknown", reply?.error?.message ?? `The import was refused (HTTP ${request.status}).`, reply?.error?.details));
    };
    request.onerror = () => reject(new Error("The file could not be sent: the connection to the server failed."));
    request.onabort = () => reject(new ApiError(0, "aborted", "Sending the file was stopped."));
    request.send(form);
  });
  return { job, abort: () => request.abort() };
}

/** A failed import back in the queue: it goes on after the last row it stored. */
export async function resumeImportJob(id: string, key: string, jobId: string): Promise<ImportJob> {
  return (await callApi<{ job: ImportJob }>(`${collectionUrl(id)}/jobs/${encodeURIComponent(jobId)}/resume`, { editKey: key })).job;
}

/** An ended import's rows taken back out of the collection. */
export async function discardImportJob(id: string, key: string, jobId: string): Promise<{ job: ImportJob; discardedRows: number }> {
  return callApi(`${collectionUrl(id)}/jobs/${encodeURIComponent(jobId)}/discard`, { editKey: key });
}

/** Any job of the collection, as GET …/jobs/{job} reports it: an upload's or an import's. */
export type CollectionJob = UploadJob | ImportJob;

export async function fetchJob<J extends CollectionJob = UploadJob>(id: string, key: string, jobId: string): Promise<J> {
  return (await callApi<{ job: J }>(`${collectionUrl(id)}/jobs/${encodeURIComponent(jobId)}`, { method: "GET", editKey: key })).job;
}

/** The collection's jobs, newest first; `kind` keeps one kind ("documents" for uploads, "import"). */
export async function fetchJobs<J extends CollectionJob = UploadJob>(id: string, key: string, kind?: string): Promise<J[]> {
  const { jobs } = await callApi<{ jobs: J[] }>(`${collectionUrl(id)}/jobs`, { method: "GET", editKey: key });
  return kind === undefined ? jobs : jobs.filter((job) => job.kind === kind);
}

/** Cancels a job; the reply lists what it stored before it stopped. */
export async function cancelJob<J extends CollectionJob = UploadJob>(id: string, key: string, jobId: string): Promise<J> {
  return (await callApi<{ job: J }>(`${collectionUrl(id)}/jobs/${encodeURIComponent(jobId)}`, { method: "DELETE", editKey: key })).job;
}

export function deleteDocument(id: string, key: string, documentId: string): Promise<void> {
  return callApi(`${collectionUrl(id)}/documents/${encodeURIComponent(documentId)}`, { method: "DELETE", editKey: key });
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
export async function countDocumentTokens(id: string, key: string | null, tokenizer: string): Promise<Map<string, number | null>> {
  const reply = await callApi<{ documents: { documentId: string; count: number | null }[] }>("/api/tokens", { body: { tokenizer, collection: id }, editKey: key ?? undefined });
  return new Map(reply.documents.map((document) => [document.documentId, document.count]));
}

/** Every point of the collection's map, coloured by a metadata key when given (binary columns: lib/maps/points-format.ts). */
export async function fetchPoints(id: string, key: string | null, color?: string): Promise<DecodedPoints> {
  const query = color ? `?color=${encodeURIComponent(color)}` : "";
  const response = await fetch(`${collectionUrl(id)}/points${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!response.ok) {
    const reply = await response.json().catch(() => null);
    throw new ApiError(response.status, reply?.error?.code ?? "unknown", reply?.error?.message ?? `Request failed (HTTP ${response.status}).`);
  }
  return decodePoints(await response.arrayBuffer());
}

export interface MapPoint {
  index: number;
  chunkId: string;
  documentId: string;
  text: string;
  metadata: Metadata;
  x: number;
  y: number;
}

/** The chunk of point `index` of the points read at `version` (409 when they have changed since). */
export function fetchPoint(id: string, key: string | null, index: number, version: string): Promise<MapPoint> {
  return callApi(`${collectionUrl(id)}/points/${index}?version=${encodeURIComponent(version)}`, { method: "GET", editKey: key ?? undefined });
}

export async function relayoutMap(id: string, key: string): Promise<JobInfo> {
  return (await callApi<{ job: JobInfo }>(`${collectionUrl(id)}/map/layout`, { editKey: key })).job;
}
