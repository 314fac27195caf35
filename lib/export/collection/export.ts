import { AppError } from "../../api/errors";
import { findReadable } from "../../collections/service";
import type { Database } from "../../db/connection";
import { getExportShape, listExportChunksAfter, type ExportChunkRow, type ExportShape, type ExportVectors } from "../../db/export-queries";
import { exportColumns, maxMetadataColumns } from "./columns";
import { asciiHeaderValue, contentDisposition } from "./download";
import { exportFormats, type ExportFormat } from "./formats";
import { pullStream } from "./stream";

/**
 * A collection as a file (issue 16): every chunk with its id, document, text, map position,
 * metadata and, when asked, its vector, as CSV, JSON Lines or Parquet. Streamed: chunks are read
 * in pages by chunk id as the download asks for them (`exportPageRows` at a time), so memory
 * follows a page, whatever the collection's size (measured with 384-d vectors on PostgreSQL: RSS
 * +270 MB for CSV at 200k and at 1M rows, +362 and +382 MB for Parquet). No transaction spans the export (on the embedded
 * database it would hold the one connection for the whole download): the export holds the chunks
 * that were there when it began and are still there when their page is read; a chunk added
 * meanwhile is left out, and none appears twice.
 */

/** Chunks per query. */
export const exportPageRows = 2_000;

export interface ExportOptions {
  format: ExportFormat;
  vectors: boolean;
}

/**
 * `format` (csv, jsonl or parquet; required) and `vectors` (true or false; default false) from
 * a query string; anything else there is ignored. Throws 400 naming the parameter.
 */
export function parseExportOptions(query: URLSearchParams): ExportOptions {
  const ids = exportFormats.map((format) => format.id).join(", ");
  const asked = single(query, "format", `format is required: one of ${ids}.`);
  const format = exportFormats.find((candidate) => candidate.id === asked);
  if (!format) throw new AppError("bad_request:format", `format "${asked!.slice(0, 40)}" is not one this app exports; use one of ${ids}.`);
  const vectors = single(query, "vectors") ?? "false";
  if (vectors !== "true" && vectors !== "false") {
    throw new AppError("bad_request:vectors", `vectors must be true or false, not "${vectors.slice(0, 40)}".`);
  }
  return { format, vectors: vectors === "true" };
}

function single(query: URLSearchParams, name: string, missing?: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new AppError(`bad_request:${name}`, `${name} is given ${values.length} times; give it once.`);
  if (values.length === 0 && missing) throw new AppError(`bad_request:${name}`, missing);
  return values[0];
}

/**
 * The export of a collection `key` may read (public ones need none; else 401/403/404 as its other
 * reads), as a body that reads the database only as it is pulled, and its response headers.
 */
export async function exportCollection(
  db: Database,
  { id, key, format, vectors }: { id: string; key: string | null } & ExportOptions,
): Promise<{ body: ReadableStream<Uint8Array>; headers: Record<string, string> }> {
  const row = await findReadable(db, id, key);
  const shape = await getExportShape(db, { collectionId: row.id });
  if (shape.metadata.length > maxMetadataColumns) {
    throw new AppError(
      "conflict:export",
      `This collection's documents use ${shape.metadata.length.toLocaleString("en")} different metadata keys; an export has at most ${maxMetadataColumns.toLocaleString("en")} metadata columns.`,
    );
  }
  const columns = exportColumns(shape, { vectors });
  const pages = chunkPages(db, { collectionId: row.id, chunkIds: shape.chunkIds, vectors: vectors ? format.vectorsAs : "none" });
  const pieces = format.write(pages, { collection: { id: row.publicId, name: row.name, model: row.model }, dims: shape.dims, columns });
  return {
    body: pullStream(pieces, `export of collection ${row.publicId}`),
    headers: {
      "Content-Type": format.mediaType,
      "Content-Disposition": contentDisposition(row.name, format.extension),
      "X-Collection-Model": asciiHeaderValue(row.model),
      ...(shape.dims === null ? {} : { "X-Collection-Dims": String(shape.dims) }),
      ...(row.isPublic ? {} : { "Cache-Control": "private, no-store" }),
    },
  };
}

/**
 * The collection's chunks as they were when the export began (its first to its last chunk id then),
 * in pages of `exportPageRows` in chunk id order; each page is read when the previous one has been used.
 */
async function* chunkPages(
  db: Database,
  { collectionId, chunkIds, vectors }: { collectionId: bigint; chunkIds: ExportShape["chunkIds"]; vectors: ExportVectors },
): AsyncGenerator<ExportChunkRow[]> {
  if (!chunkIds) return;
  for (let afterId = chunkIds.first - 1n; ; ) {
    const page = await listExportChunksAfter(db, { collectionId, afterId, lastId: chunkIds.last, limit: exportPageRows, vectors });
    if (page.length > 0) yield page;
    if (page.length < exportPageRows) return;
    afterId = page[page.length - 1].cursor;
  }
}
