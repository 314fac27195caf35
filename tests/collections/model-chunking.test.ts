import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-model-chunking-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { defaultChunking } = await import("@/lib/collections/model-chunking");
const { chunkText } = await import("@/lib/collections/chunker");
const { resolveModel } = await import("@/lib/embeddings/registry");
const { readUseLite } = await import("@/lib/embeddings/use-lite-tokens");
const create = await import("@/app/api/collections/route");
const documents = await import("@/app/api/collections/[id]/documents/route");

type Created = { id: string; writeKey: string; collection: { chunking: { size: number; overlap: number } } };
type Added = { documents: { documentId: string; chunks: number; duplicate: boolean; truncated?: { chunks: number; maxTokens: number; message: string } }[] };

const context = (id: string) => ({ params: Promise.resolve({ id }) });

async function createCollection(body: unknown) {
  return readJson<Created & ErrorReply>(await create.POST(jsonRequest("/api/collections", body), {}));
}
async function addDocuments(collection: Created, body: unknown) {
  const request = jsonRequest(`/api/collections/${collection.id}/documents`, body, {
    headers: { "content-type": "application/json", authorization: `Bearer ${collection.writeKey}` },
  });
  return readJson<Added & ErrorReply>(await documents.POST(request, context(collection.id)));
}

// Prose nobody on the project wrote would be better; this is plain English of ordinary density
// (about 4 characters per use-lite token), which is what the default is sized for.
const paragraph = Array.from(
  { length: 30 },
  (_, i) => `The river keeper counted ${i + 3} herons on the northern bank before the morning fog lifted from the water meadows.`,
).join(" ");

beforeAll(async () => {
  await getDatabase();
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("defaultChunking(model)", () => {
  it("sizes chunks to what the model reads: use-lite's 128 tokens, a Chinese model's tokens, no limit for word models", () => {
    expect(defaultChunking(resolveModel("use-lite").info())).toEqual({ size: 350, overlap: 40 });
    expect(defaultChunking(resolveModel("glove-100d").info())).toEqual({ size: 800, overlap: 100 });
    expect(defaultChunking({ maxTokens: 512, reads: { scripts: ["Han", "Latin"], languages: ["zh", "en"] } })).toEqual({ size: 500, overlap: 60 });
    expect(defaultChunking({ maxTokens: 512, reads: { scripts: ["Latin"], languages: ["en"] } })).toEqual({ size: 800, overlap: 100 });
    expect(defaultChunking({ maxTokens: 16, reads: null })).toEqual({ size: 100, overlap: 10 });
  });

  it("use-lite reads every default-sized chunk of ordinary English whole", async () => {
    const chunks = chunkText(paragraph, defaultChunking(resolveModel("use-lite").info())).map((chunk) => chunk.text);
    expect(chunks.length).toBeGreaterThan(5);
    const readings = await readUseLite(chunks);
    expect(readings.filter((reading) => reading.truncated)).toEqual([]);
    const long = await readUseLite(chunkText(paragraph, { size: 800, overlap: 100 }).map((chunk) => chunk.text));
    expect(long.every((reading) => reading.truncated && reading.truncated.tokens > 128)).toBe(true);
  });
});

describe("a collection's chunking and the model's reading limit", () => {
  it("a use-lite collection created without chunking gets chunks use-lite reads whole, and its upload has no note", async () => {
    const { status, body: collection } = await createCollection({ name: "Herons", model: "use-lite" });
    expect(status).toBe(201);
    expect(collection.collection.chunking).toEqual({ size: 350, overlap: 40 });
    const added = await addDocuments(collection, { documents: [{ text: paragraph }] });
    expect(added.status).toBe(201);
    expect(added.body.documents[0].chunks).toBeGreaterThan(5);
    expect(added.body.documents[0]).not.toHaveProperty("truncated");
  });

  it("an upload into 800-character chunks says how many of each document's chunks use-lite reads only in part", async () => {
    const { body: collection } = await createCollection({ name: "Long herons", model: "use-lite", chunking: { size: 800 } });
    expect(collection.collection.chunking).toEqual({ size: 800, overlap: 100 });
    const short = "Herons wade in shallow water.";
    const added = await addDocuments(collection, { documents: [{ text: paragraph }, { text: short }] });
    const [long, small] = added.body.documents;
    expect(long.truncated).toMatchObject({ chunks: long.chunks, maxTokens: 128 });
    expect(long.truncated!.message).toMatch(/All \d+ of its chunks are longer than use-lite reads \(128 tokens\)/);
    expect(small).not.toHaveProperty("truncated");
  });

  it("glove-100d has no reading limit: the default stays 800 characters", async () => {
    const { body: collection } = await createCollection({ name: "Glove herons", model: "glove-100d" });
    expect(collection.collection.chunking).toEqual({ size: 800, overlap: 100 });
  });

  it("an overlap above half the model's default size is a 400 naming it", async () => {
    const { status, body } = await createCollection({ name: "Too much overlap", model: "use-lite", chunking: { overlap: 300 } });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:chunking.overlap");
    expect(body.error.message).toMatch(/300 is more than half of 350/);
  });
});
