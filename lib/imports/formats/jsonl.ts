import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { AppError } from "../../api/errors";
import type { ImportFormat, ImportRow, ReadOptions } from "../types";

/**
 * JSON Lines: one JSON object per line (blank lines skipped), UTF-8 with or without a byte-order
 * mark. Values keep their JSON types; a vector is an array of numbers.
 */
export const jsonlFormat: ImportFormat = {
  id: "jsonl",
  label: "JSON Lines",
  extensions: ["jsonl", "ndjson"],
  mediaTypes: ["application/jsonl", "application/x-ndjson", "application/json-lines"],
  async *rows(path: string, { batchSize, fromRow = 1, signal }: ReadOptions): AsyncIterable<ImportRow[]> {
    const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
    let row = 0;
    let batch: ImportRow[] = [];
    try {
      for await (const raw of lines) {
        if (signal?.aborted) break;
        const line = row === 0 ? raw.replace(/^\uFEFF/, "") : raw;
        if (line.trim() === "") continue;
        row += 1;
        if (row < fromRow) continue;
        batch.push({ row, values: parseObject(line, row) });
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
    } finally {
      lines.close();
    }
    if (batch.length > 0) yield batch;
  },
};

function parseObject(line: string, row: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new AppError("bad_request:file", `This JSON Lines file is malformed at row ${row.toLocaleString("en")}: ${(error as Error).message}.`, { details: { row } });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError("bad_request:file", `This JSON Lines file is malformed at row ${row.toLocaleString("en")}: each line must be a JSON object ({"text": …}), not ${Array.isArray(value) ? "an array" : JSON.stringify(value)}.`, {
      details: { row },
    });
  }
  return value as Record<string, unknown>;
}
