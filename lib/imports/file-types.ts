/**
 * The files an import takes, by name ending: plain data, so the page can say and check them
 * without loading the parsers (browser-preview.ts loads those when a file is chosen).
 */

export type ImportFormatId = "csv" | "tsv" | "jsonl" | "parquet";

/**
 * File name endings per format, as lib/imports/formats/ has them (a test checks they agree); the
 * server-side formats import node: modules, so the page reads this table instead.
 */
export const importFileEndings: Record<ImportFormatId, readonly string[]> = {
  csv: ["csv"],
  tsv: ["tsv", "tab"],
  jsonl: ["jsonl", "ndjson"],
  parquet: ["parquet", "pq"],
};

/** ".csv,.tsv,…": the endings, for an `<input type="file" accept>`. */
export const importFileAccept = Object.values(importFileEndings)
  .flat()
  .map((ending) => `.${ending}`)
  .join(",");

/** The format a file name's ending says, or undefined. */
export function importFormatOf(name: string): ImportFormatId | undefined {
  const ending = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return ending ? (Object.keys(importFileEndings) as ImportFormatId[]).find((id) => importFileEndings[id].includes(ending)) : undefined;
}

