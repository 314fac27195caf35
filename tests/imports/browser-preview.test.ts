import { compress, init as initZstd } from "@bokuweb/zstd-wasm";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { browserPreviewDefaults, importFileAccept, importFileEndings, importFormatOf, previewImportFile } from "@/lib/imports/browser-preview";
import { importFormats } from "@/lib/imports/registry";

/**
 * The page's preview of an import file, from real Blobs and Files: CSV/TSV (BOM, quoted line
 * breaks, Chinese), JSON Lines with vectors, Parquet (zstd, list<float>), and large files of which
 * only the head is read, as a Blob that counts the bytes sliced from it shows.
 */

/** A Blob that counts the bytes read through slice() and refuses to be read whole. */
class CountingBlob extends Blob {
  sliced = 0;
  slice(start?: number, end?: number, type?: string): Blob {
    const part = super.slice(start, end, type);
    this.sliced += part.size;
    return part;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error("read whole");
  }
  text(): Promise<string> {
    throw new Error("read whole");
  }
  stream(): ReturnType<Blob["stream"]> {
    throw new Error("read whole");
  }
}

const vectorSchema = (extra: object[] = []) =>
  [
    { name: "root", num_children: 3 + extra.length },
    { name: "title", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
    { name: "embedding", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
    { name: "year", type: "INT64", repetition_type: "REQUIRED" },
    ...extra,
  ] as never;

function parquetFile(rows: number, { rowGroupSize = rows, offsetIndex = true, pageSize = 1024 ** 2, dims = 4 } = {}) {
  const titles = Array.from({ length: rows }, (_, i) => `标题 ${i + 1}`);
  const bytes = parquetWriteBuffer({
    codec: "ZSTD",
    compressors: { ZSTD: (input: Uint8Array) => compress(input, 3) },
    rowGroupSize,
    pageSize,
    schema: vectorSchema(),
    columnData: [
      { name: "title", data: titles, offsetIndex },
      { name: "embedding", data: titles.map((_, i) => Array.from({ length: dims }, (_, d) => (d === 0 ? i + 0.5 : Math.sin(i * dims + d)))), offsetIndex },
      { name: "year", data: titles.map((_, i) => BigInt(2000 + (i % 25))), offsetIndex },
    ],
  });
  return new CountingBlob([bytes]);
}

beforeAll(async () => {
  await initZstd();
});

describe("importFormatOf(name)", () => {
  it("knows the endings the server's formats know, and no others", () => {
    for (const format of importFormats) expect([...importFileEndings[format.id as keyof typeof importFileEndings]].sort()).toEqual([...format.extensions].sort());
    expect(Object.keys(importFileEndings).sort()).toEqual(importFormats.map((format) => format.id).sort());
    expect(importFormatOf("Tickets.CSV")).toBe("csv");
    expect(importFormatOf("papers.pq")).toBe("parquet");
    expect(importFormatOf("notes.txt")).toBeUndefined();
    expect(importFileAccept).toBe(".csv,.tsv,.tab,.jsonl,.ndjson,.parquet,.pq");
  });
});

describe("previewImportFile(file) for CSV and TSV", () => {
  it("reads a BOM, quoted fields with line breaks, and Chinese column names and values", async () => {
    const text = '\uFEFF标题,正文,年份\r\n猫,"猫是一种小型食肉动物。\n它们喜欢睡觉。",2021\r\n"狗, 忠诚",狗是人类的朋友。,2019\r\n';
    const preview = await previewImportFile(new File([text], "动物.csv"));
    expect(preview.format).toBe("csv");
    expect(preview.columns).toEqual([
      { name: "标题", kind: "string" },
      { name: "正文", kind: "string" },
      { name: "年份", kind: "number" },
    ]);
    expect(preview.rows).toEqual([
      { row: 1, values: { 标题: "猫", 正文: "猫是一种小型食肉动物。\n它们喜欢睡觉。", 年份: "2021" } },
      { row: 2, values: { 标题: "狗, 忠诚", 正文: "狗是人类的朋友。", 年份: "2019" } },
    ]);
    expect(preview.totalRows).toBeUndefined();
  });

  it("reads TSV with a vector column written as JSON text, and tells its dimension", async () => {
    const text = "id\tvector\tok\n1\t[0.1, 0.2, 0.3]\ttrue\n2\t[1, 0, -1]\tfalse\n";
    const preview = await previewImportFile(new File([text], "vectors.tsv"));
    expect(preview.columns).toEqual([
      { name: "id", kind: "number" },
      { name: "vector", kind: "vector", dims: 3 },
      { name: "ok", kind: "boolean" },
    ]);
  });

  it("names the malformed row and the header's problems", async () => {
    await expect(previewImportFile(new File(["a,b\n1,2\n3\n"], "bad.csv"))).rejects.toThrow("This CSV file is malformed at row 2: it has 1 fields, and the header has 2.");
    await expect(previewImportFile(new File(['a,b\n1,"2\n'], "bad.csv"))).rejects.toThrow(/^This CSV file is malformed at row 1: a quoted field is not closed/);
    await expect(previewImportFile(new File(["a,a\n1,2\n"], "twice.csv"))).rejects.toThrow('The header row names column "a" twice; each name must be once.');
    await expect(previewImportFile(new File(["a,\n1,2\n"], "blank.csv"))).rejects.toThrow("The header row's column 2 has no name; every column needs one.");
  });

  it("refuses an unknown ending and an empty file, saying which endings it takes", async () => {
    await expect(previewImportFile(new File(["x"], "notes.txt"))).rejects.toThrow('"notes.txt" is not a file this app imports: choose one ending in .csv, .tsv, .tab, .jsonl, .ndjson, .parquet, .pq.');
    await expect(previewImportFile(new File([], "empty.csv"))).rejects.toThrow("The file is empty.");
    expect((await previewImportFile(new File(["a\n1\n"], "notes.txt"), { format: "csv" })).rows).toEqual([{ row: 1, values: { a: "1" } }]);
  });

  it("reads only the head of a 38 MB file: 200 rows to tell the kinds, 20 shown, none cut in two", async () => {
    const line = (i: number) => `${i},"row ${i} says ""hello"", and more",${i % 2 === 0}\n`;
    const body = Array.from({ length: 800_000 }, (_, i) => line(i + 1)).join("");
    const file = new CountingBlob(["n,text,even\n", body]);
    expect(file.size).toBeGreaterThan(38 * 1024 ** 2);
    const preview = await previewImportFile(file, { name: "big.csv" });
    expect(file.sliced).toBe(browserPreviewDefaults.headBytes);
    expect(preview.bytesRead).toBe(browserPreviewDefaults.headBytes);
    expect(preview.rowsRead).toBe(200);
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[19]).toEqual({ row: 20, values: { n: "20", text: 'row 20 says "hello", and more', even: "true" } });
    expect(preview.columns.map((column) => column.kind)).toEqual(["number", "string", "boolean"]);
  });

  it("keeps the rows before a quoted field the head's end cuts open", async () => {
    // Each row's text holds line breaks, so the head's last line break is inside a quoted field.
    const row = (i: number) => `${i},"first line of ${i}\nsecond line of ${i}\n${"x".repeat(50)}"\n`;
    const text = `n,text\n${Array.from({ length: 50 }, (_, i) => row(i + 1)).join("")}`;
    const headBytes = text.indexOf("second line of 9") + 5;
    const preview = await previewImportFile(new CountingBlob([text]), { name: "multi.csv", headBytes });
    expect(preview.rowsRead).toBe(8);
    expect(preview.rows[7].values).toEqual({ n: "8", text: `first line of 8\nsecond line of 8\n${"x".repeat(50)}` });
  });

  it("reads further when the first rows are longer than the head, up to maxHeadBytes", async () => {
    const long = "y".repeat(300 * 1024);
    const file = new CountingBlob([`a,b\n1,${long}\n2,${long}\n3,${long}\n4,${long}\n`]);
    const preview = await previewImportFile(file, { name: "long.csv" });
    expect(preview.rowsRead).toBe(3); // the 1 MB head holds three rows and a part of the fourth
    expect(file.sliced).toBe(256 * 1024 + 1024 * 1024);
    await expect(previewImportFile(new CountingBlob([`a\n${long}\n${long}\n`]), { name: "long.csv", maxHeadBytes: 256 * 1024 })).rejects.toThrow(
      "The file's first row is longer than 0.25 MB; a row that long is not one this app imports.",
    );
  });
});

describe("previewImportFile(file) for JSON Lines", () => {
  it("keeps JSON types, skips blank lines, drops a BOM, and finds the vector column", async () => {
    const text = '\uFEFF{"name":"猫","embedding":[0.1,0.2],"year":2021,"at":"2021-05-01"}\n\n{"name":"狗","embedding":[0.3,0.4],"year":2019,"at":"2019-01-02"}\n';
    const preview = await previewImportFile(new File([text], "pets.jsonl"));
    expect(preview.columns).toEqual([
      { name: "name", kind: "string" },
      { name: "embedding", kind: "vector", dims: 2 },
      { name: "year", kind: "number" },
      { name: "at", kind: "date" },
    ]);
    expect(preview.rows[1]).toEqual({ row: 2, values: { name: "狗", embedding: [0.3, 0.4], year: 2019, at: "2019-01-02" } });
  });

  it("names the row that is not a JSON object", async () => {
    await expect(previewImportFile(new File(['{"a":1}\n[1]\n'], "x.jsonl"))).rejects.toThrow('This JSON Lines file is malformed at row 2: each line must be a JSON object ({"text": …}), not an array.');
    await expect(previewImportFile(new File(['{"a":1}\n{"a":\n'], "x.ndjson"))).rejects.toThrow(/^This JSON Lines file is malformed at row 2: /);
  });

  it("reads only the head of a large file, and never half a line", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ id: i + 1, vector: [i, 1, 2, 3], text: `line ${i + 1}` })).join("\n");
    const file = new CountingBlob([lines]);
    const preview = await previewImportFile(file, { name: "big.jsonl", headBytes: 4096 });
    expect(file.sliced).toBe(4096);
    expect(preview.rowsRead).toBeGreaterThan(20);
    expect(preview.columns).toEqual([
      { name: "id", kind: "number" },
      { name: "vector", kind: "vector", dims: 4 },
      { name: "text", kind: "string" },
    ]);
  });
});

describe("previewImportFile(file) for Parquet", () => {
  it("reads a zstd file's rows: texts, list<float> vectors as numbers, int64 as numbers, and its row count", async () => {
    const preview = await previewImportFile(parquetFile(30, { rowGroupSize: 10 }), { name: "papers.parquet" });
    expect(preview.totalRows).toBe(30);
    expect(preview.rowsRead).toBe(30);
    expect(preview.rows).toHaveLength(20);
    expect(preview.columns).toEqual([
      { name: "title", kind: "string" },
      { name: "embedding", kind: "vector", dims: 4 },
      { name: "year", kind: "number" },
    ]);
    expect(preview.rows[0].values.title).toBe("标题 1");
    expect((preview.rows[0].values.embedding as number[])[0]).toBe(0.5);
    expect(preview.rows[3].values.year).toBe(2003);
  });

  it("reads the footer and the first rows of a large file, not the rest", async () => {
    const file = parquetFile(20_000, { rowGroupSize: 1000, dims: 64 });
    expect(file.size).toBeGreaterThan(4 * 1024 ** 2);
    const preview = await previewImportFile(file, { name: "large.parquet" });
    expect(preview.totalRows).toBe(20_000);
    expect(preview.rowsRead).toBe(200);
    // hyparquet's first read of the footer is its last 512 KB; then the first row group's pages.
    expect(file.sliced).toBeLessThan(1024 ** 2);
    expect(preview.bytesRead).toBe(file.sliced);
  });

  it("reads only the first pages of a large row group that has a page index", async () => {
    const file = parquetFile(20_000, { pageSize: 16 * 1024, dims: 32 });
    const preview = await previewImportFile(file, { name: "indexed.parquet", maxParquetGroupBytes: 64 * 1024 });
    expect(preview.rowsRead).toBe(200);
    expect(preview.rows[19].values.title).toBe("标题 20");
    expect(file.sliced).toBeLessThan(512 * 1024 + 256 * 1024);
    expect(file.size).toBeGreaterThan(2 * 1024 ** 2);
  });

  it("shows the schema's columns without rows when the first row group is too large to read and has no page index", async () => {
    const file = parquetFile(20_000, { offsetIndex: false, dims: 32 });
    expect(file.size).toBeGreaterThan(2 * 1024 ** 2);
    const preview = await previewImportFile(file, { name: "one-group.parquet", maxParquetGroupBytes: 64 * 1024 });
    expect(preview.rows).toEqual([]);
    expect(preview.totalRows).toBe(20_000);
    expect(preview.columns).toEqual([
      { name: "title", kind: "string" },
      { name: "embedding", kind: "vector" },
      { name: "year", kind: "number" },
    ]);
    expect(preview.note).toMatch(/^Its first row group takes \d+ MB, more than this page reads for a preview/);
    expect(file.sliced).toBe(512 * 1024);
  });

  it("says a file is not Parquet", async () => {
    await expect(previewImportFile(new File(["a,b\n1,2\n"], "fake.parquet"))).rejects.toThrow(/^This is not a Parquet file that can be read: /);
  });
});
