import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

/**
 * Imports through the route handlers, on the process-wide embedded database and its runner (as in
 * the app): a multipart form and a raw body, the job's progress and outcome, a collection of its
 * own vectors and how it may be searched, keys, and what a wrong request is told.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-imports-api-"));
process.env.PGLITE_DIR = path.join(dataDir, "pglite");
process.env.IMPORTS_DIR = path.join(dataDir, "imports");
delete process.env.DATABASE_URL;
process.env.RATE_LIMIT_WRITE_PER_MINUTE = "0";

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const create = await import("@/app/api/collections/route");
const imports = await import("@/app/api/collections/[id]/imports/route");
const oneJob = await import("@/app/api/collections/[id]/jobs/[job]/route");
const search = await import("@/app/api/collections/[id]/search/route");
const map = await import("@/app/api/collections/[id]/map/route");
const models = await import("@/app/api/models/route");
const documents = await import("@/app/api/collections/[id]/documents/route");

type Created = { id: string; readKey: string; writeKey: string; collection: { model: string } };
type Job = {
  id: string;
  kind: string;
  url: string;
  state: string;
  progress: { files: { done: number; total: number }; rows: { done: number; total: number | null }; rowsPerSecond: number | null; etaSeconds: number | null };
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  files?: { index: number; label?: string; status: string; rows?: number; stored?: number; duplicates?: number; unreadable?: { count: number; rows: number[] } }[];
};
type Results = { mode: string; results: { chunkId: string; text: string; score: number; metadata: Record<string, unknown> }[] };

const context = <Params extends Record<string, string>>(params: Params) => ({ params: Promise.resolve(params) });
const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

async function createCollection(body: unknown) {
  return (await readJson<Created & ErrorReply>(await create.POST(jsonRequest("/api/collections", body), {}))).body;
}
async function importForm(id: string, key: string | undefined, file: { name: string; content: BlobPart }, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([file.content]), file.name);
  const response = await imports.POST(new Request(`http://localhost/api/collections/${id}/imports`, { method: "POST", headers: auth(key), body: form }), context({ id }));
  return { ...(await readJson<{ job: Job } & ErrorReply>(response)), location: response.headers.get("location") };
}
async function finished(id: string, job: string, key: string): Promise<Job> {
  for (const started = Date.now(); Date.now() - started < 120_000; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const { body } = await readJson<{ job: Job }>(await oneJob.GET(new Request("http://localhost/x", { headers: auth(key) }), context({ id, job })));
    if (!["queued", "running"].includes(body.job.state)) return body.job;
  }
  throw new Error(`job ${job} did not finish`);
}
async function searchCollection(id: string, body: unknown, key: string) {
  return readJson<Results & ErrorReply>(await search.POST(jsonRequest(`/api/collections/${id}/search`, body, { headers: { "content-type": "application/json", ...auth(key) } }), context({ id })));
}

const tickets = [
  "标题,正文,优先级,发布日期",
  "T-1,打印机无法连接到网络，重启后仍然离线,high,2024-05-01",
  "T-2,\"The laptop battery drains within an hour, even when idle\",low,2024-05-02",
  "T-3,\"VPN drops every few minutes; reconnecting works\nbut only for a while\",high,2024-05-03",
  "T-4,Password reset email never arrives in the inbox,medium,2024-05-04",
].join("\r\n");

beforeAll(async () => {
  await getDatabase();
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("POST /api/collections/:id/imports", () => {
  it("imports a CSV sent as multipart/form-data: 202 with the job; the job counts rows and reports the outcome; Chinese columns stay metadata keys", async () => {
    const collection = await createCollection({ name: "Tickets" });
    const mapping = { text: "正文", id: "标题", metadata: { 优先级: "string", 发布日期: "date" } };
    const { status, body, location } = await importForm(collection.id, collection.writeKey, { name: "tickets.csv", content: `\uFEFF${tickets}` }, { mapping: JSON.stringify(mapping) });
    expect(status, JSON.stringify(body)).toBe(202);
    expect(body.job).toMatchObject({ kind: "import", state: "queued", progress: { files: { done: 0, total: 1 }, rows: { done: 0, total: null } } });
    expect(location).toBe(body.job.url);

    const job = await finished(collection.id, body.job.id, collection.writeKey);
    expect(job).toMatchObject({ state: "done", error: null, progress: { files: { done: 1, total: 1 }, rows: { done: 4, total: 4 } } });
    // use-lite reads no Chinese: that row is kept (keyword search finds it) without a vector.
    expect(job.files).toEqual([{ index: 0, label: "tickets.csv", status: "imported", rows: 4, stored: 4, duplicates: 0, unreadable: { count: 1, rows: [1] } }]);

    const found = await searchCollection(collection.id, { query: "VPN reconnecting", k: 2, filter: { 优先级: "high" } }, collection.readKey);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.results[0]).toMatchObject({ text: "VPN drops every few minutes; reconnecting works\nbut only for a while", metadata: { id: "T-3", 优先级: "high", 发布日期: "2024-05-03T00:00:00.000Z" } });
    const chinese = await searchCollection(collection.id, { query: "打印机", mode: "keyword" }, collection.readKey);
    expect(chinese.body.results.map((result) => result.metadata.id)).toEqual(["T-1"]);
    // The documents come a page at a time: a table may hold 100,000 rows.
    const page = async (query: string) =>
      readJson<{ documents: { metadata: Record<string, unknown> }[]; next: string | null; total: number } & ErrorReply>(
        await documents.GET(new Request(`http://localhost/api/collections/${collection.id}/documents?${query}`, { headers: auth(collection.readKey) }), context({ id: collection.id })),
      );
    const first = await page("limit=3");
    expect(first.body.documents.map((document) => document.metadata.id)).toEqual(["T-1", "T-2", "T-3"]);
    expect(first.body).toMatchObject({ total: 4, next: expect.any(String) });
    const second = await page(`limit=3&after=${first.body.next}`);
    expect(second.body.documents.map((document) => document.metadata.id)).toEqual(["T-4"]);
    expect(second.body.next).toBeNull();
    expect((await page("after=nonexistent00000")).body.error).toMatchObject({ code: "bad_request:after" });
    expect((await page("limit=0")).body.error.message).toBe("limit must be a whole number from 1 to 1,000.");
    // Off the map: the row without a vector is not drawn with a made-up place.
    const drawn = await readJson<{ chunks: { metadata: Record<string, unknown> }[] }>(await map.POST(jsonRequest(`/api/collections/${collection.id}/map`, {}, { headers: { "content-type": "application/json", ...auth(collection.readKey) } }), context({ id: collection.id })));
    expect(drawn.body.chunks.map((chunk) => chunk.metadata.id).sort()).toEqual(["T-2", "T-3", "T-4"]);
  });

  it("a collection of its own vectors: imported as the raw body of a JSONL file, searched by keyword by default and by vector, refused a text in vector mode", async () => {
    const collection = await createCollection({ name: "Own", model: "own:tickets-v1" });
    expect(collection.collection.model).toBe("own:tickets-v1");
    const jsonl = [
      { id: "a", text: "printer offline", v: [1, 0, 0, 0.1] },
      { id: "b", text: "battery drains", v: [0, 1, 0, 0] },
      { id: "c", text: "printer jams", v: [0.9, 0.1, 0, 0] },
    ].map((line) => JSON.stringify(line)).join("\n");
    const query = new URLSearchParams({ format: "jsonl", filename: "own.jsonl", mapping: JSON.stringify({ text: "text", id: "id", vector: "v" }) });
    const response = await imports.POST(
      new Request(`http://localhost/api/collections/${collection.id}/imports?${query}`, { method: "POST", headers: { ...auth(collection.writeKey), "content-type": "application/x-ndjson" }, body: jsonl }),
      context({ id: collection.id }),
    );
    expect(response.status).toBe(202);
    const { job } = (await response.json()) as { job: Job };
    expect((await finished(collection.id, job.id, collection.writeKey)).files?.[0]).toMatchObject({ status: "imported", stored: 3 });

    const keyword = await searchCollection(collection.id, { query: "printer" }, collection.readKey);
    expect(keyword.body.mode).toBe("keyword");
    expect(keyword.body.results.map((result) => result.metadata.id).sort()).toEqual(["a", "c"]);
    const byVector = await searchCollection(collection.id, { query: [1, 0, 0, 0], k: 2 }, collection.readKey);
    expect(byVector.body.results.map((result) => result.metadata.id)).toEqual(["a", "c"]);
    const wrongLength = await searchCollection(collection.id, { query: [1, 0, 0] }, collection.readKey);
    expect(wrongLength.body.error.message).toBe("query has 3 numbers; own:tickets-v1 vectors have 4.");
    const text = await searchCollection(collection.id, { query: "printer", mode: "hybrid" }, collection.readKey);
    expect(text.status).toBe(400);
    expect(text.body.error.message).toMatch(/^own:tickets-v1 is a collection's own vectors, imported with its rows: no model here turns a text into their space/);

    // The collection's model is private to it: not listed for everyone.
    const listed = (await (await models.GET(new Request("http://localhost/api/models"), {})).json()) as { models: { id: string }[] };
    expect(listed.models.map((model) => model.id)).not.toContain("own:tickets-v1");
  });

  it("needs the write key, a mapping that fits the file, and a format it knows, each named in a 4xx", async () => {
    const collection = await createCollection({ name: "Refusals" });
    const file = { name: "tickets.csv", content: tickets };
    expect((await importForm(collection.id, collection.readKey, file, { mapping: JSON.stringify({ text: "正文" }) })).status).toBe(403);
    expect((await importForm(collection.id, undefined, file, { mapping: JSON.stringify({ text: "正文" }) })).status).toBe(401);
    const missing = await importForm(collection.id, collection.writeKey, file, { mapping: JSON.stringify({ text: "body" }) });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "bad_request:mapping", message: 'mapping.text names column "body", which the file does not have; its columns are "标题", "正文", "优先级", "发布日期".' });
    const unknown = await importForm(collection.id, collection.writeKey, file, { mapping: JSON.stringify({ text: "正文", extra: 1 }) });
    expect(unknown.body.error.message).toBe('mapping has unknown field "extra".');
    const format = await importForm(collection.id, collection.writeKey, { name: "tickets.xlsx", content: tickets }, { mapping: "{}" });
    expect(format.body.error).toMatchObject({ code: "bad_request:format" });
    // Nothing is left waiting in the imports folder by a refused import.
    expect(fs.readdirSync(process.env.IMPORTS_DIR!).filter((name) => name.endsWith(".upload"))).toEqual([]);
  });
});
