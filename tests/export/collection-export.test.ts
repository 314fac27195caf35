import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parquetMetadata } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvFormat } from "@/lib/imports/formats/delimited";
import { jsonlFormat } from "@/lib/imports/formats/jsonl";
import { parquetFormat } from "@/lib/imports/formats/parquet";
import { RowMapper, importMappingSchema } from "@/lib/imports/mapping";
import type { ImportFormat, ImportRow } from "@/lib/imports/types";
import { fromSql } from "@/lib/vectors";
import { pointAppDatabaseAt, testBackends } from "../support/databases";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

/**
 * GET /api/collections/:id/export on PGlite and PostgreSQL: every chunk with its id, document,
 * text, x/y, metadata and vector, streamed as CSV, JSON Lines or Parquet, and read back by the
 * app's own import readers (lib/imports/formats/) as the same texts, metadata, vectors and positions.
 */

process.env.RATE_LIMIT_COMPUTE_PER_MINUTE = "0";
process.env.RATE_LIMIT_WRITE_PER_MINUTE = "0";
delete process.env.DATABASE_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { exportPageRows } = await import("@/lib/export/collection/export");
const { getExportShape } = await import("@/lib/db/export-queries");
const collections = await import("@/app/api/collections/route");
const documents = await import("@/app/api/collections/[id]/documents/route");
const exportRoute = await import("@/app/api/collections/[id]/export/route");

type Collection = { id: string; readKey: string; writeKey: string };

const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-collection-export-"));
afterAll(() => fs.rmSync(scratchDir, { recursive: true, force: true }));

const context = (id: string) => ({ params: Promise.resolve({ id }) });
const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

async function createCollection(body: Record<string, unknown>): Promise<Collection> {
  const created = await readJson<Collection & ErrorReply>(await collections.POST(jsonRequest("/api/collections", body), {}));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function exportOf(id: string, query: string, key?: string): Promise<Response> {
  return exportRoute.GET(new Request(`http://localhost/api/collections/${id}/export${query}`, { headers: auth(key) }), context(id));
}

/** The reply's body as a file, read back with the app's import reader of that format. */
async function readBack(response: Response, format: ImportFormat): Promise<ImportRow[]> {
  const at = path.join(scratchDir, `${Math.random().toString(36).slice(2)}.${format.extensions[0]}`);
  fs.writeFileSync(at, Buffer.from(await response.arrayBuffer()));
  const rows: ImportRow[] = [];
  for await (const batch of format.rows(at, { batchSize: 1_000 })) rows.push(...batch);
  return rows;
}

const sql = async (query: string, ...values: unknown[]) => (await getDatabase()).prisma.$executeRawUnsafe(query, ...values);
const select = async <T>(query: string, ...values: unknown[]) => (await getDatabase()).prisma.$queryRawUnsafe<T[]>(query, ...values);

const uploaded = [
  { text: 'Bees, wasps and "hornets": a field guide.', metadata: { topic: "insects", year: 2021, reviewed: true } },
  { text: "Two lines:\nthe first, and the second.", metadata: { topic: "lines", year: 2022.5 } },
  { text: "A diesel engine ignites its fuel by compression alone.", metadata: { reviewed: false } },
  { text: "Honey keeps for years in a sealed jar.", metadata: {} },
];
/** Set by SQL on the first chunk, as an imported row of a Chinese table would be stored. */
const chineseText = "人工智能的未来，将会改变\"世界\"\r\n第二行";
const formats = { csv: csvFormat, jsonl: jsonlFormat, parquet: parquetFormat } as const;

interface StoredChunk {
  chunk_id: string;
  document_id: string;
  text: string;
  metadata: Record<string, unknown>;
  x: number | null;
  y: number | null;
  embedding: string | null;
}

describe.each(testBackends)("collection export on $name", (backend) => {
  let dispose = async () => {};
  let notes: Collection;
  let big: Collection;
  let stored: StoredChunk[];

  beforeAll(async () => {
    if (!backend.enabled) return;
    dispose = await pointAppDatabaseAt(backend, "notebook-export-pglite-");
    await getDatabase();
    notes = await createCollection({ name: '新闻 "摘要", 2024', model: "use-lite", chunking: { size: 400, overlap: 0 } });
    const request = jsonRequest(`/api/collections/${notes.id}/documents`, { documents: uploaded }, { headers: { "content-type": "application/json", ...auth(notes.writeKey) } });
    expect((await documents.POST(request, context(notes.id))).status).toBe(201);

    // As an import of a table would leave them: map positions on all but the third chunk, which
    // the model could not read either (no vector), and a Chinese row with a Chinese metadata key.
    const ids = await select<{ id: bigint }>(`SELECT c.id FROM collection_chunks c JOIN collections k ON k.id = c.collection_id WHERE k.public_id = $1 ORDER BY c.id`, notes.id);
    expect(ids).toHaveLength(4);
    await sql(`INSERT INTO collection_points (chunk_id, collection_id, x, y) SELECT id, collection_id, 0.1 * id, -1.5 + id FROM collection_chunks WHERE id = ANY($1::bigint[])`, [ids[0].id, ids[1].id, ids[3].id]);
    await sql(`UPDATE collection_chunks SET text = $2, metadata = metadata || '{"发布日期": "2024-05-31"}'::jsonb WHERE id = $1`, ids[3].id, chineseText);
    await sql(`UPDATE collection_chunks SET embedding = NULL WHERE id = $1`, ids[2].id);

    stored = await select<StoredChunk>(
      `SELECT d.public_id || '.' || c.position AS chunk_id, d.public_id AS document_id, c.text, c.metadata, p.x, p.y, c.embedding::text AS embedding
       FROM collection_chunks c JOIN collection_documents d ON d.id = c.document_id JOIN collections k ON k.id = c.collection_id
         LEFT JOIN collection_points p ON p.chunk_id = c.id
       WHERE k.public_id = $1 ORDER BY c.id`,
      notes.id,
    );

    // 5,000 chunks (2.5 pages) of 3-d own vectors, by SQL; every 1,000th with one more metadata key.
    big = await createCollection({ name: "Rows", model: "own:rows", public: true });
    const [{ id: bigId }] = await select<{ id: bigint }>(`SELECT id FROM collections WHERE public_id = $1`, big.id);
    await sql(
      `INSERT INTO collection_documents (collection_id, public_id, content_hash, text, metadata)
       SELECT $1, 'row' || lpad(i::text, 13, '0'), lpad(to_hex(i), 64, '0'), 'Row ' || i,
              CASE WHEN i % 1000 = 0 THEN jsonb_build_object('n', i, 'flag', true) ELSE jsonb_build_object('n', i) END
       FROM generate_series(1, 5000) i`,
      bigId,
    );
    await sql(
      `INSERT INTO collection_chunks (collection_id, document_id, position, text, start_offset, end_offset, metadata, dims, embedding)
       SELECT d.collection_id, d.id, 0, d.text, 0, length(d.text), d.metadata, 3, ('[' || (d.metadata->>'n') || ',1,0.5]')::vector
       FROM collection_documents d WHERE d.collection_id = $1 ORDER BY d.id`,
      bigId,
    );
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
    delete process.env.DATABASE_URL;
    await dispose();
  });

  it.skipIf(!backend.enabled)("answers each format's media type, the name as an attachment (ASCII and RFC 5987), and the model", async () => {
    const expected = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson", parquet: "application/vnd.apache.parquet" };
    for (const [format, mediaType] of Object.entries(expected)) {
      const response = await exportOf(notes.id, `?format=${format}&vectors=true`, notes.readKey);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(mediaType);
      expect(response.headers.get("content-disposition")).toBe(
        `attachment; filename="__ ____, 2024.${format}"; filename*=UTF-8''%E6%96%B0%E9%97%BB%20%22%E6%91%98%E8%A6%81%22%2C%202024.${format}`,
      );
      expect(response.headers.get("x-collection-model")).toBe("use-lite");
      expect(response.headers.get("x-collection-dims")).toBe("512");
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      await response.body?.cancel();
    }
  });

  it.skipIf(!backend.enabled)("CSV: a header row, then every chunk in order, quoted where RFC 4180 says, a vector as JSON text", async () => {
    const response = await exportOf(notes.id, "?format=csv&vectors=true", notes.readKey);
    const text = await response.text();
    const [header] = text.split("\r\n");
    expect(header).toBe("id,document,text,x,y,reviewed,topic,year,发布日期,vector");
    expect(text).toContain(`,"${chineseText.replaceAll('"', '""')}",`);
    expect(text).toContain(`,"Bees, wasps and ""hornets"": a field guide.",`);
    expect(text).toContain(`,"Two lines:\nthe first, and the second.",`);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it.skipIf(!backend.enabled).each(Object.keys(formats) as (keyof typeof formats)[])(
    "%s read back by the import gives the same ids, texts, metadata, x/y and vectors (to float32)",
    async (format) => {
      const rows = await readBack(await exportOf(notes.id, `?format=${format}&vectors=true`, notes.writeKey), formats[format]);
      expect(rows.map((row) => row.values.id)).toEqual(stored.map((chunk) => chunk.chunk_id));
      expect(rows.map((row) => row.values.document)).toEqual(stored.map((chunk) => chunk.document_id));
      expect(rows.map((row) => row.values.text)).toEqual(stored.map((chunk) => chunk.text));

      // The import's own mapping, typed where CSV only has text.
      const mapping = importMappingSchema.parse({
        text: "text",
        vector: "vector",
        x: "x",
        y: "y",
        metadata: { reviewed: "boolean", topic: "string", year: "number", 发布日期: "string" },
      });
      const mapper = new RowMapper(mapping);
      rows.forEach((row, i) => {
        const chunk = stored[i];
        if (chunk.embedding === null || chunk.x === null) {
          // Not imported as it is (the mapper wants a vector and a position): the values are empty, never made up.
          if (chunk.embedding === null) expect(row.values.vector ?? "").toBe("");
          if (chunk.x === null) expect([row.values.x ?? "", row.values.y ?? ""]).toEqual(["", ""]);
          return;
        }
        const mapped = mapper.map(row);
        expect(mapped.metadata).toEqual(chunk.metadata);
        expect(mapped.vector!.map(Math.fround)).toEqual(fromSql(chunk.embedding).map(Math.fround));
        expect([Math.fround(mapped.position!.x), Math.fround(mapped.position!.y)]).toEqual([Math.fround(chunk.x), Math.fround(chunk.y!)]);
      });
      expect(rows.filter((row) => (row.values.vector ?? "") === "")).toHaveLength(1);
    },
  );

  it.skipIf(!backend.enabled)("JSON Lines keeps metadata types and writes a missing value, x/y or vector as null", async () => {
    const lines = (await (await exportOf(notes.id, "?format=jsonl&vectors=true", notes.readKey)).text()).trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(Object.keys(lines[0])).toEqual(["id", "document", "text", "x", "y", "reviewed", "topic", "year", "发布日期", "vector"]);
    expect(lines[0]).toMatchObject({ topic: "insects", year: 2021, reviewed: true, 发布日期: null });
    expect(lines[1]).toMatchObject({ year: 2022.5, reviewed: null });
    expect(lines[2]).toMatchObject({ reviewed: false, x: null, y: null, vector: null });
    expect(lines[3]).toMatchObject({ text: chineseText, topic: null, 发布日期: "2024-05-31" });
    expect(lines[0].vector).toHaveLength(512);
  });

  it.skipIf(!backend.enabled)("without vectors=true there is no vector column", async () => {
    for (const format of ["csv", "jsonl", "parquet"] as const) {
      const rows = await readBack(await exportOf(notes.id, `?format=${format}`, notes.readKey), formats[format]);
      expect(rows).toHaveLength(4);
      expect(Object.keys(rows[0].values)).toEqual(["id", "document", "text", "x", "y", "reviewed", "topic", "year", "发布日期"]);
    }
  });

  it.skipIf(!backend.enabled)("Parquet carries the collection's id, name, model and dims in its key-value metadata", async () => {
    const metadata = parquetMetadata(await (await exportOf(notes.id, "?format=parquet&vectors=true", notes.readKey)).arrayBuffer());
    expect(Object.fromEntries((metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value]))).toEqual({
      "collection.id": notes.id,
      "collection.name": '新闻 "摘要", 2024',
      "collection.model": "use-lite",
      "collection.dims": "512",
    });
  });

  it.skipIf(!backend.enabled)(`5,000 chunks come out in ${exportPageRows.toLocaleString("en")}-chunk pages, each once and in order, in every format`, async () => {
    for (const format of ["csv", "jsonl", "parquet"] as const) {
      const response = await exportOf(big.id, `?format=${format}&vectors=true`);
      expect(response.headers.get("cache-control")).toBeNull();
      expect(response.headers.get("x-collection-model")).toBe("own:rows");
      const rows = await readBack(response, formats[format]);
      expect(rows).toHaveLength(5_000);
      expect(rows.map((row) => row.values.text)).toEqual(Array.from({ length: 5_000 }, (_, i) => `Row ${i + 1}`));
      expect(new Set(rows.map((row) => row.values.id)).size).toBe(5_000);
      const last = rows[4_999].values;
      expect(format === "csv" ? { ...last, n: Number(last.n), flag: last.flag === "true", vector: JSON.parse(last.vector as string) } : last).toMatchObject({
        n: 5_000,
        flag: true,
        vector: [5_000, 1, 0.5],
      });
      expect(rows.filter((row) => row.values.flag !== null && row.values.flag !== "" && row.values.flag !== undefined)).toHaveLength(5);
    }
  });

  it.skipIf(!backend.enabled)("getExportShape() reads keys, types and dims slice by slice, and finds a key only some slices hold", async () => {
    const db = await getDatabase();
    const [{ id }] = await select<{ id: bigint }>(`SELECT id FROM collections WHERE public_id = $1`, big.id);
    const whole = await getExportShape(db, { collectionId: id });
    const sliced = await getExportShape(db, { collectionId: id, sliceIds: 700 });
    expect(sliced).toEqual(whole);
    expect(sliced.metadata).toEqual([
      { key: "flag", types: ["boolean"] },
      { key: "n", types: ["number"] },
    ]);
    expect(sliced.dims).toBe(3);
    expect(sliced.chunkIds!.last - sliced.chunkIds!.first).toBe(4_999n);
    const notesShape = await getExportShape(db, { collectionId: (await select<{ id: bigint }>(`SELECT id FROM collections WHERE public_id = $1`, notes.id))[0].id, sliceIds: 1 });
    expect(notesShape.metadata).toEqual([
      { key: "reviewed", types: ["boolean"] },
      { key: "topic", types: ["string"] },
      { key: "year", types: ["number"] },
      { key: "发布日期", types: ["string"] },
    ]);
  });

  it.skipIf(!backend.enabled)("an empty collection exports a header (CSV), nothing (JSON Lines) and a valid empty Parquet file", async () => {
    const empty = await createCollection({ name: "Empty", public: true });
    expect(await (await exportOf(empty.id, "?format=csv")).text()).toBe("id,document,text,x,y\r\n");
    expect(await (await exportOf(empty.id, "?format=jsonl")).text()).toBe("");
    expect(await readBack(await exportOf(empty.id, "?format=parquet&vectors=true"), parquetFormat)).toEqual([]);
  });

  it.skipIf(!backend.enabled)("a private collection needs its read or write key: none is 401, another's 403, an unknown id 404", async () => {
    const none = await readJson<ErrorReply>(await exportOf(notes.id, "?format=csv"));
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized:collection");
    const wrong = await readJson<ErrorReply>(await exportOf(notes.id, "?format=csv", big.writeKey));
    expect(wrong.status).toBe(403);
    const missing = await readJson<ErrorReply>(await exportOf("AAAAAAAAAAAAAAAA", "?format=csv"));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found:collection");
  });

  it.skipIf(!backend.enabled)("a missing or unknown format, or vectors other than true/false, is a 400 naming the parameter", async () => {
    const cases: [string, string, string][] = [
      ["", "bad_request:format", "format is required: one of csv, jsonl, parquet."],
      ["?format=xlsx", "bad_request:format", 'format "xlsx" is not one this app exports; use one of csv, jsonl, parquet.'],
      ["?format=csv&format=jsonl", "bad_request:format", "format is given 2 times; give it once."],
      ["?format=csv&vectors=yes", "bad_request:vectors", 'vectors must be true or false, not "yes".'],
    ];
    for (const [query, code, message] of cases) {
      const reply = await readJson<ErrorReply>(await exportOf(notes.id, query, notes.readKey));
      expect(reply.status).toBe(400);
      expect(reply.body.error).toEqual({ code, message });
    }
  });
});
