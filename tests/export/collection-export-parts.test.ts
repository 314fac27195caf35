import { parquetReadObjects, parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import type { ExportChunkRow } from "@/lib/db/export-queries";
import { exportColumns, valueAsText } from "@/lib/export/collection/columns";
import { writeCsv } from "@/lib/export/collection/csv";
import { asciiHeaderValue, contentDisposition } from "@/lib/export/collection/download";
import { exportFormats, type ExportInfo } from "@/lib/export/collection/formats";
import { writeJsonl } from "@/lib/export/collection/jsonl";
import { writeParquet } from "@/lib/export/collection/parquet";
import { pullStream } from "@/lib/export/collection/stream";

/** The export's parts without a database: columns, file names, the pull-based stream, the writers. */

const row = (n: number, metadata: Record<string, unknown> = {}, vector: ExportChunkRow["vector"] = null): ExportChunkRow => ({
  cursor: BigInt(n),
  chunkId: `doc${n}.0`,
  documentId: `doc${n}`,
  text: `Row ${n}`,
  metadata: metadata as ExportChunkRow["metadata"],
  x: n,
  y: -n,
  vector,
});

/** Pages of rows, counting how many the consumer has asked for. */
function countedPages(pages: ExportChunkRow[][]): { pages: AsyncIterable<ExportChunkRow[]>; pulled: () => number; finished: () => boolean } {
  let pulled = 0;
  let finished = false;
  async function* generate() {
    try {
      for (const page of pages) {
        pulled += 1;
        yield page;
      }
    } finally {
      finished = true;
    }
  }
  return { pages: generate(), pulled: () => pulled, finished: () => finished };
}

const info = (columns: ExportInfo["columns"]): ExportInfo => ({ collection: { id: "c1", name: "Notes", model: "use-lite" }, dims: 3, columns });

async function bytesOf(pieces: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece);
  return new Uint8Array(Buffer.concat(parts));
}

describe("exportColumns(shape, options)", () => {
  it("lists id, document, text, x, y, the metadata keys in order, then vector when asked", () => {
    const shape = { metadata: [{ key: "topic", types: ["string"] }, { key: "year", types: ["number"] }] };
    expect(exportColumns(shape, { vectors: true }).map((column) => column.name)).toEqual(["id", "document", "text", "x", "y", "topic", "year", "vector"]);
    expect(exportColumns(shape, { vectors: false }).map((column) => column.name)).toEqual(["id", "document", "text", "x", "y", "topic", "year"]);
  });

  it("names a metadata key that is also a column name metadata.<key>, so neither is lost", () => {
    const columns = exportColumns({ metadata: [{ key: "id", types: ["string"] }, { key: "text", types: ["string"] }] }, { vectors: false });
    expect(columns.map((column) => column.name)).toEqual(["id", "document", "text", "x", "y", "metadata.id", "metadata.text"]);
    const [, , , , , ownId] = columns;
    expect(ownId.value(row(1, { id: "ticket-7" }))).toBe("ticket-7");
  });

  it("types a key by its values: one type keeps it, mixed types (or objects) become text", () => {
    const kinds = exportColumns(
      { metadata: [{ key: "a", types: ["number"] }, { key: "b", types: ["boolean", "null"] }, { key: "c", types: ["number", "string"] }, { key: "d", types: ["object"] }] },
      { vectors: false },
    ).slice(5);
    expect(kinds.map((column) => column.kind)).toEqual(["double", "boolean", "string", "string"]);
  });

  it("reads only a row's own keys: __proto__ and constructor are values like any other, or null", () => {
    const columns = exportColumns({ metadata: [{ key: "__proto__", types: ["string"] }, { key: "constructor", types: ["string"] }] }, { vectors: false }).slice(5);
    const own = row(1, JSON.parse('{"__proto__": "mine", "constructor": "also mine"}'));
    expect(columns.map((column) => column.value(own))).toEqual(["mine", "also mine"]);
    expect(columns.map((column) => column.value(row(2)))).toEqual([null, null]);
  });
});

describe("valueAsText(value)", () => {
  it("writes numbers and booleans as JSON does, objects as JSON, null as empty", () => {
    expect([valueAsText("a,b"), valueAsText(2022.5), valueAsText(false), valueAsText({ a: [1] }), valueAsText(null)]).toEqual(["a,b", "2022.5", "false", '{"a":[1]}', ""]);
  });
});

describe("contentDisposition(name, extension)", () => {
  it("gives an ASCII name as it is, with no filename*", () => {
    expect(contentDisposition("Support tickets 2024", "csv")).toBe('attachment; filename="Support tickets 2024.csv"');
  });

  it("adds the exact name as RFC 5987 filename* beside an ASCII fallback for other names", () => {
    expect(contentDisposition("新闻摘要 (2024)", "parquet")).toBe(
      "attachment; filename=\"____ (2024).parquet\"; filename*=UTF-8''%E6%96%B0%E9%97%BB%E6%91%98%E8%A6%81%20%282024%29.parquet",
    );
  });

  it("falls back to collection when no letter or digit is left, and never lets a quote, backslash or slash through", () => {
    expect(contentDisposition("新闻", "csv")).toBe("attachment; filename=\"collection.csv\"; filename*=UTF-8''%E6%96%B0%E9%97%BB.csv");
    expect(contentDisposition('a"b\\c/../d', "jsonl")).toBe("attachment; filename=\"a_b_c_.._d.jsonl\"; filename*=UTF-8''a%22b_c_.._d.jsonl");
  });
});

describe("asciiHeaderValue(value)", () => {
  it("keeps printable ASCII and percent-encodes anything else", () => {
    expect([asciiHeaderValue("own:papers-2024"), asciiHeaderValue("own:论文")]).toEqual(["own:papers-2024", "own:%E8%AE%BA%E6%96%87"]);
  });
});

describe("pullStream(pieces, what)", () => {
  it("makes nothing until read, one piece per read, and stops the source when cancelled", async () => {
    let made = 0;
    let stopped = false;
    async function* pieces() {
      try {
        for (;;) {
          made += 1;
          yield new Uint8Array([made]);
        }
      } finally {
        stopped = true;
      }
    }
    const stream = pullStream(pieces(), "test");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(made).toBe(0);
    const reader = stream.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    expect((await reader.read()).value).toEqual(new Uint8Array([2]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(made).toBe(2);
    await reader.cancel();
    expect(stopped).toBe(true);
  });

  it("errors the stream when the source fails midway, so the download breaks instead of looking complete", async () => {
    async function* pieces() {
      yield new Uint8Array([1]);
      throw new Error("database went away");
    }
    const reader = pullStream(pieces(), "test").getReader();
    await reader.read();
    await expect(reader.read()).rejects.toThrow("database went away");
  });
});

describe("the writers", () => {
  const columns = exportColumns({ metadata: [{ key: "topic", types: ["string"] }] }, { vectors: true });
  const pages = [
    [row(1, { topic: "a" }, "[1,2,3]"), row(2, {}, null)],
    [row(3, { topic: 'quote " and, comma' }, "[0.5,-1,2]")],
  ];

  it.each([
    ["writeCsv", writeCsv],
    ["writeJsonl", writeJsonl],
  ] as const)("%s(pages, info) reads a page only when the previous one has been handed on", async (_name, write) => {
    const counted = countedPages(pages);
    const iterator = write(counted.pages, info(columns))[Symbol.asyncIterator]();
    if (write === writeCsv) await iterator.next(); // the header row
    await iterator.next();
    expect(counted.pulled()).toBe(1);
    await iterator.next();
    expect(counted.pulled()).toBe(2);
    expect((await iterator.next()).done).toBe(true);
    expect(counted.finished()).toBe(true);
  });

  it("writeCsv(pages, info) quotes what RFC 4180 says to, leaves missing values empty, ends records with CRLF", async () => {
    const text = new TextDecoder().decode(await bytesOf(writeCsv(countedPages(pages).pages, info(columns))));
    expect(text).toBe(
      "id,document,text,x,y,topic,vector\r\n" +
        'doc1.0,doc1,Row 1,1,-1,a,"[1,2,3]"\r\n' +
        "doc2.0,doc2,Row 2,2,-2,,\r\n" +
        'doc3.0,doc3,Row 3,3,-3,"quote "" and, comma","[0.5,-1,2]"\r\n',
    );
  });

  it("writeJsonl(pages, info) writes one object a line, keys in column order, null for what is missing", async () => {
    const text = new TextDecoder().decode(await bytesOf(writeJsonl(countedPages(pages).pages, info(columns))));
    expect(text.split("\n")).toEqual([
      '{"id":"doc1.0","document":"doc1","text":"Row 1","x":1,"y":-1,"topic":"a","vector":[1,2,3]}',
      '{"id":"doc2.0","document":"doc2","text":"Row 2","x":2,"y":-2,"topic":null,"vector":null}',
      '{"id":"doc3.0","document":"doc3","text":"Row 3","x":3,"y":-3,"topic":"quote \\" and, comma","vector":[0.5,-1,2]}',
      "",
    ]);
  });

  it("writeParquet(pages, info) writes row groups of at most 2,000 rows with typed columns, and the collection in its metadata", async () => {
    const many = Array.from({ length: 4_500 }, (_, i) => row(i + 1, i % 2 ? { topic: "odd" } : {}, [i, 1, -0.5]));
    const typed = exportColumns({ metadata: [{ key: "topic", types: ["string"] }, { key: "year", types: ["number"] }] }, { vectors: true });
    const bytes = await bytesOf(writeParquet(countedPages([many.slice(0, 2_000), many.slice(2_000, 4_000), many.slice(4_000)]).pages, info(typed)));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(file);
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([2_000, 2_000, 500]);
    expect(metadata.key_value_metadata).toEqual([
      { key: "collection.id", value: "c1" },
      { key: "collection.name", value: "Notes" },
      { key: "collection.model", value: "use-lite" },
      { key: "collection.dims", value: "3" },
    ]);
    const rows = await parquetReadObjects({ file, rowStart: 4_498, rowEnd: 4_500 });
    expect(rows.map((values) => ({ ...values, vector: Array.from(values.vector as number[]) }))).toEqual([
      { id: "doc4499.0", document: "doc4499", text: "Row 4499", x: 4499, y: -4499, topic: null, year: null, vector: [4498, 1, -0.5] },
      { id: "doc4500.0", document: "doc4500", text: "Row 4500", x: 4500, y: -4500, topic: "odd", year: null, vector: [4499, 1, -0.5] },
    ]);
  });
});

describe("exportFormats", () => {
  it("are csv, jsonl and parquet with their media types and file endings", () => {
    expect(exportFormats.map(({ id, extension, mediaType }) => [id, extension, mediaType])).toEqual([
      ["csv", "csv", "text/csv; charset=utf-8"],
      ["jsonl", "jsonl", "application/x-ndjson"],
      ["parquet", "parquet", "application/vnd.apache.parquet"],
    ]);
  });
});
