import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { AppError } from "../../api/errors";
import type { ImportFormat, ImportRow, ReadOptions } from "../types";

/**
 * Parquet through hyparquet (pure JavaScript) and hyparquet-compressors (snappy, gzip, zstd,
 * brotli, lz4: without them a zstd file fails). Read one row group at a time, so memory follows the
 * row group, not the file (measured: ~4.5× a row group). A list or fixed-size list of floats comes
 * back as an array of numbers: a vector column. parquet-wasm is faster but adds 15 MB of wasm and
 * needs Next.js to leave it unbundled; hyparquet reads 20–25k rows of 384-d vectors a second here,
 * above what storing them costs.
 */
/** Uncompressed bytes of rows read at once (decoded, they take a few times as much). */
const windowBytes = 32 * 1024 ** 2;

export const parquetFormat: ImportFormat = {
  id: "parquet",
  label: "Parquet",
  extensions: ["parquet", "pq"],
  mediaTypes: ["application/vnd.apache.parquet", "application/x-parquet"],
  async countRows(path: string): Promise<number> {
    return Number((await readMetadata(path)).metadata.num_rows);
  },
  async *rows(path: string, { batchSize, fromRow = 1, signal }: ReadOptions): AsyncIterable<ImportRow[]> {
    const { file, metadata } = await readMetadata(path);
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const groupEnd = groupStart + Number(group.num_rows);
      // hyparquet decodes every page a read touches: reading a batch at a time decoded a row group
      // written as one page once per batch (10,000 rows of 384 floats: 1,300 rows/s). A window of
      // rows is read at once, as many as fit in `windowBytes` by the group's size, and cut into batches.
      const bytesPerRow = Number(group.total_byte_size) / Math.max(1, Number(group.num_rows));
      const window = Math.max(batchSize, Math.floor(windowBytes / Math.max(1, bytesPerRow)));
      // Rows are numbered from 1; a row group's rows are [groupStart, groupEnd) from 0.
      for (let start = Math.max(groupStart, fromRow - 1); start < groupEnd; start += window) {
        if (signal?.aborted) return;
        const end = Math.min(groupEnd, start + window);
        let objects: Record<string, unknown>[];
        try {
          objects = await parquetReadObjects({ file, metadata, compressors, rowStart: start, rowEnd: end });
        } catch (error) {
          throw new AppError("bad_request:file", `This Parquet file could not be read at rows ${(start + 1).toLocaleString("en")}–${end.toLocaleString("en")}: ${(error as Error).message}.`, {
            details: { row: start + 1 },
          });
        }
        for (let from = 0; from < objects.length; from += batchSize) {
          if (signal?.aborted) return;
          yield objects.slice(from, from + batchSize).map((values, i) => ({ row: start + from + i + 1, values: plainValues(values) }));
        }
      }
      groupStart = groupEnd;
    }
  },
};

async function readMetadata(path: string): Promise<{ file: Awaited<ReturnType<typeof asyncBufferFromFile>>; metadata: FileMetaData }> {
  const file = await asyncBufferFromFile(path);
  try {
    return { file, metadata: await parquetMetadataAsync(file) };
  } catch (error) {
    throw new AppError("bad_request:file", `This is not a Parquet file that can be read: ${(error as Error).message}.`);
  }
}

/** Typed arrays become number arrays and bigints numbers (when exact), as the other formats give them. */
function plainValues(values: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) plain[name] = plainValue(value);
  return plain;
}

function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (item) => plainValue(item));
  // A vector's list of floats, as it nearly always is: nothing in it to convert.
  if (Array.isArray(value)) return value.every((item) => typeof item === "number") ? value : value.map(plainValue);
  return value;
}
