import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { compress, init as initZstd } from "@bokuweb/zstd-wasm";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvFormat, tsvFormat } from "@/lib/imports/formats/delimited";
import { jsonlFormat } from "@/lib/imports/formats/jsonl";
import { parquetFormat } from "@/lib/imports/formats/parquet";
import { previewFile } from "@/lib/imports/preview";
import { importFormats, resolveImportFormat } from "@/lib/imports/registry";
import type { ImportFormat, ImportRow } from "@/lib/imports/types";
import { appErrorOf } from "../support/app-errors";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-imports-"));
const file = (name: string, content: string | Uint8Array) => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, content);
  return at;
};

async function readAll(format: ImportFormat, at: string, options: { batchSize?: number; fromRow?: number } = {}): Promise<ImportRow[][]> {
  const batches: ImportRow[][] = [];
  for await (const batch of format.rows(at, { batchSize: options.batchSize ?? 100, fromRow: options.fromRow })) batches.push(batch);
  return batches;
}

beforeAll(async () => {
  await initZstd();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("CSV and TSV", () => {
  it("reads a header row, quoted fields with commas, quotes and line breaks, and a byte-order mark", async () => {
    const at = file("notes.csv", '\uFEFFid,text,year\r\n1,"Bees, wasps and ""hornets""",2021\r\n2,"two\nlines",2022\n\n3,plain,\n');
    const [rows] = await readAll(csvFormat, at);
    expect(rows).toEqual([
      { row: 1, values: { id: "1", text: 'Bees, wasps and "hornets"', year: "2021" } },
      { row: 2, values: { id: "2", text: "two\nlines", year: "2022" } },
      { row: 3, values: { id: "3", text: "plain", year: "" } },
    ]);
  });

  it("reads tab-separated files the same way", async () => {
    const at = file("notes.tsv", "name\tscore\ncat\t0.9\n\"tab\there\"\t0.1\n");
    const [rows] = await readAll(tsvFormat, at);
    expect(rows.map((row) => row.values)).toEqual([
      { name: "cat", score: "0.9" },
      { name: "tab\there", score: "0.1" },
    ]);
  });

  it("names the row of a malformed record, counted in rows (not lines), and how it is malformed", async () => {
    const wrongLength = file("long.csv", 'a,b\n1,"x\ny"\n2,2\n3,3,3\n');
    const error = await appErrorOf(readAll(csvFormat, wrongLength));
    expect(error).toMatchObject({ code: "bad_request:file", status: 400, details: { row: 3 } });
    expect(error.message).toBe("This CSV file is malformed at row 3: it has 3 fields, and the header has 2.");
    const badQuote = await appErrorOf(readAll(csvFormat, file("quote.csv", 'a,b\n1,"bad"x\n')));
    expect(badQuote.message).toMatch(/^This CSV file is malformed at row 1: a quoted field is not closed/);
  });

  it("refuses a header row with an empty or repeated column name", async () => {
    expect((await appErrorOf(readAll(csvFormat, file("empty-name.csv", "a,,c\n1,2,3\n")))).message).toBe("The header row's column 2 has no name; every column needs one.");
    expect((await appErrorOf(readAll(csvFormat, file("twice.csv", "a,b,a\n1,2,3\n")))).message).toBe('The header row names column "a" twice; each name must be once.');
  });

  it("reads in batches, and resumes from a given row", async () => {
    const at = file("many.csv", `n\n${Array.from({ length: 10 }, (_, i) => i + 1).join("\n")}\n`);
    const batches = await readAll(csvFormat, at, { batchSize: 4 });
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    const resumed = (await readAll(csvFormat, at, { batchSize: 4, fromRow: 7 })).flat();
    expect(resumed.map((row) => [row.row, row.values.n])).toEqual([
      [7, "7"],
      [8, "8"],
      [9, "9"],
      [10, "10"],
    ]);
  });
});

describe("JSON Lines", () => {
  it("keeps JSON types, skips blank lines and a byte-order mark", async () => {
    const at = file("rows.jsonl", '\uFEFF{"text":"猫","n":1,"ok":true,"v":[0.5,1]}\n\n{"text":"dog","n":2.5,"ok":false,"v":null}\r\n');
    const [rows] = await readAll(jsonlFormat, at);
    expect(rows).toEqual([
      { row: 1, values: { text: "猫", n: 1, ok: true, v: [0.5, 1] } },
      { row: 2, values: { text: "dog", n: 2.5, ok: false, v: null } },
    ]);
  });

  it("names the row of a line that is not a JSON object", async () => {
    const broken = await appErrorOf(readAll(jsonlFormat, file("broken.jsonl", '{"a":1}\n{"a":\n')));
    expect(broken).toMatchObject({ code: "bad_request:file", details: { row: 2 } });
    expect(broken.message).toMatch(/^This JSON Lines file is malformed at row 2: /);
    const array = await appErrorOf(readAll(jsonlFormat, file("array.jsonl", '{"a":1}\n\n[1,2]\n')));
    expect(array.message).toBe('This JSON Lines file is malformed at row 2: each line must be a JSON object ({"text": …}), not an array.');
  });
});

describe("Parquet", () => {
  const schema = [
    { name: "root", num_children: 3 },
    { name: "text", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
    { name: "vector", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
    { name: "year", type: "INT64", repetition_type: "REQUIRED" },
  ] as const;
  const texts = ["a cat", "a dog", "a car", "a truck", "a banana"];
  const writeParquet = (name: string, codec: "SNAPPY" | "GZIP" | "ZSTD") =>
    file(
      name,
      new Uint8Array(
        parquetWriteBuffer({
          codec,
          compressors: { GZIP: (bytes: Uint8Array) => zlib.gzipSync(bytes), ZSTD: (bytes: Uint8Array) => compress(bytes, 3) },
          rowGroupSize: 2,
          schema: schema as never,
          columnData: [
            { name: "text", data: texts },
            { name: "vector", data: texts.map((_, i) => [i + 0.5, -i - 0.25, 1]) },
            { name: "year", data: texts.map((_, i) => BigInt(2020 + i)) },
          ],
        }),
      ),
    );

  it.each(["SNAPPY", "GZIP", "ZSTD"] as const)("reads %s-compressed row groups: texts, list<float> vectors as numbers, int64 as numbers", async (codec) => {
    const at = writeParquet(`rows-${codec}.parquet`, codec);
    const rows = (await readAll(parquetFormat, at, { batchSize: 10 })).flat();
    expect(rows).toEqual(texts.map((text, i) => ({ row: i + 1, values: { text, vector: [i + 0.5, -i - 0.25, 1], year: 2020 + i } })));
    expect(await parquetFormat.countRows!(at)).toBe(5);
  });

  it("batches within row groups and resumes from a row in a later group", async () => {
    const at = writeParquet("resume.parquet", "SNAPPY");
    const batches = await readAll(parquetFormat, at, { batchSize: 1, fromRow: 4 });
    expect(batches.map((batch) => batch.map((row) => [row.row, row.values.text]))).toEqual([[[4, "a truck"]], [[5, "a banana"]]]);
  });

  it("says so when the file is not Parquet", async () => {
    const error = await appErrorOf(readAll(parquetFormat, file("fake.parquet", "text\nnot parquet\n")));
    expect(error.code).toBe("bad_request:file");
    expect(error.message).toMatch(/^This is not a Parquet file that can be read: /);
  });
});

describe("previewFile(format, path)", () => {
  it("lists the columns with what they hold, vectors with their dimension, and the first rows", async () => {
    const at = file(
      "preview.csv",
      'text,year,score,ok,day,embedding,note\ncat,2021,0.5,true,2024-05-31,"[0.1, 0.2, 0.3]",\ndog,2022,1e-3,false,2024-06-01,"[1, 2, 3]",x\n',
    );
    const preview = await previewFile(csvFormat, at);
    expect(preview.format).toBe("csv");
    expect(preview.columns).toEqual([
      { name: "text", kind: "string" },
      { name: "year", kind: "number" },
      { name: "score", kind: "number" },
      { name: "ok", kind: "boolean" },
      { name: "day", kind: "date" },
      { name: "embedding", kind: "vector", dims: 3 },
      { name: "note", kind: "string" },
    ]);
    expect(preview.rows).toHaveLength(2);
  });
});

describe("resolveImportFormat", () => {
  it("goes by the name asked for, then the file's ending, then its media type", () => {
    expect(resolveImportFormat({ format: "tsv", filename: "x.csv" }).id).toBe("tsv");
    expect(resolveImportFormat({ filename: "Papers.PARQUET" }).id).toBe("parquet");
    expect(resolveImportFormat({ filename: "export.ndjson" }).id).toBe("jsonl");
    expect(resolveImportFormat({ filename: "blob", mediaType: "text/csv; charset=utf-8" }).id).toBe("csv");
    expect(importFormats.map((format) => format.id)).toEqual(["csv", "tsv", "jsonl", "parquet"]);
  });

  it("says which formats there are when it cannot tell", async () => {
    expect(() => resolveImportFormat({ filename: "notes.xlsx" })).toThrow(/Which format is "notes.xlsx"\? Name it with one of \.csv, \.tsv, \.tab, \.jsonl, \.ndjson, \.parquet, \.pq/);
    expect(() => resolveImportFormat({ format: "xml" })).toThrow('format "xml" is not one this app imports; use "csv", "tsv", "jsonl", "parquet".');
  });
});
