import { AppError } from "../api/errors";
import { csvFormat, tsvFormat } from "./formats/delimited";
import { jsonlFormat } from "./formats/jsonl";
import { parquetFormat } from "./formats/parquet";
import type { ImportFormat } from "./types";

/** The formats a collection imports: a new one is a file under formats/ and a line here. */
export const importFormats: readonly ImportFormat[] = [csvFormat, tsvFormat, jsonlFormat, parquetFormat];

/** The format asked for by id, or else the one the file name's ending (or media type) says. */
export function resolveImportFormat({ format, filename, mediaType }: { format?: string; filename?: string; mediaType?: string }): ImportFormat {
  const ids = importFormats.map((candidate) => candidate.id);
  if (format !== undefined) {
    const named = importFormats.find((candidate) => candidate.id === format);
    if (!named) throw new AppError("bad_request:format", `format "${format}" is not one this app imports; use ${ids.map((id) => `"${id}"`).join(", ")}.`);
    return named;
  }
  const ending = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const byEnding = ending ? importFormats.find((candidate) => candidate.extensions.includes(ending)) : undefined;
  if (byEnding) return byEnding;
  const type = mediaType?.split(";")[0].trim().toLowerCase();
  const byType = type ? importFormats.find((candidate) => candidate.mediaTypes.includes(type)) : undefined;
  if (byType) return byType;
  const endings = importFormats.flatMap((candidate) => candidate.extensions.map((extension) => `.${extension}`));
  throw new AppError(
    "bad_request:format",
    `Which format is ${filename ? `"${filename}"` : "this file"}? Name it with one of ${endings.join(", ")}, or say "format" (${ids.join(", ")}).`,
  );
}
