import type { ExportChunkRow, ExportVectors } from "../../db/export-queries";
import type { ExportColumn } from "./columns";
import { writeCsv } from "./csv";
import { writeJsonl } from "./jsonl";
import { writeParquet } from "./parquet";

/** What a file says about the collection it came from, where the format has room for it (Parquet's key-value metadata). */
export interface ExportInfo {
  collection: { id: string; name: string; model: string };
  /** The vectors' dimensions; null when the collection has none, or they differ. */
  dims: number | null;
  columns: ExportColumn[];
}

/**
 * Turns pages of chunks into a file's bytes, piece by piece: it asks for the next page only when
 * its consumer asks for the next piece, so a slow download holds one page, not the collection.
 */
export type ExportWriter = (pages: AsyncIterable<ExportChunkRow[]>, info: ExportInfo) => AsyncIterable<Uint8Array>;

export interface ExportFormat {
  id: "csv" | "jsonl" | "parquet";
  extension: string;
  mediaType: string;
  /** How its writer wants vectors: text (copied into CSV and JSON as it is) or numbers (Parquet's floats). */
  vectorsAs: Exclude<ExportVectors, "none">;
  write: ExportWriter;
}

/** The formats a collection exports as; each is one the app's import reads (lib/imports/formats/). */
export const exportFormats: readonly ExportFormat[] = [
  { id: "csv", extension: "csv", mediaType: "text/csv; charset=utf-8", vectorsAs: "text", write: writeCsv },
  { id: "jsonl", extension: "jsonl", mediaType: "application/x-ndjson", vectorsAs: "text", write: writeJsonl },
  { id: "parquet", extension: "parquet", mediaType: "application/vnd.apache.parquet", vectorsAs: "numbers", write: writeParquet },
];
