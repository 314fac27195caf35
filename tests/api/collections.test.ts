import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-collections-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { readExampleDocuments, readExampleQuestions } = await import("@/lib/collections/example");
const create = await import("@/app/api/collections/route");
const single = await import("@/app/api/collections/[id]/route");
const documents = await import("@/app/api/collections/[id]/documents/route");
const oneDocument = await import("@/app/api/collections/[id]/documents/[documentId]/route");
const chunks = await import("@/app/api/collections/[id]/chunks/route");
const search = await import("@/app/api/collections/[id]/search/route");
const map = await import("@/app/api/collections/[id]/map/route");
const textSearch = await import("@/app/api/search/route");

type Created = { id: string; readKey: string; writeKey: string };
type Added = { documents: { documentId: string; chunks: number; duplicate: boolean }[] };
type Results = { model: string; strategy: string; results: { chunkId: string; documentId: string; text: string; score: number; metadata: Record<string, unknown> }[] };

const context = <Extra extends Record<string, string>>(id: string, extra = {} as Extra) => ({ params: Promise.resolve({ id, ...extra }) });
const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

async function createCollection(body: unknown) {
  return readJson<Created & ErrorReply>(await create.POST(jsonRequest("/api/collections", body), {}));
}
async function addDocuments(id: string, body: unknown, key?: string) {
  const request = jsonRequest(`/api/collections/${id}/documents`, body, { headers: { "content-type": "application/json", ...auth(key) } });
  return readJson<Added & ErrorReply>(await documents.POST(request, context(id)));
}
async function searchCollection(id: string, body: unknown, key?: string) {
  const request = jsonRequest(`/api/collections/${id}/search`, body, { headers: { "content-type": "application/json", ...auth(key) } });
  return readJson<Results & ErrorReply>(await search.POST(request, context(id)));
}

const fruit = "Apples grow on trees in orchards. They are picked in autumn and keep for months in a cool cellar.";
const engines = "A diesel engine ignites its fuel by compression alone, without a spark plug, which makes it efficient.";
const oceans = "The Pacific is the largest and deepest ocean; the Mariana Trench reaches almost eleven kilometres down.";

let db: Database;
let privateCollection: Created;

beforeAll(async () => {
  db = await getDatabase();
  privateCollection = (await createCollection({ name: "Private notes", chunking: { size: 200, overlap: 20 } })).body;
  await addDocuments(
    privateCollection.id,
    {
      documents: [
        { text: fruit, metadata: { topic: "food" } },
        { text: engines, metadata: { topic: "machines", year: 1893 } },
        { text: oceans, metadata: { topic: "geography" } },
      ],
    },
    privateCollection.writeKey,
  );
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("collections API", () => {
  it("POST /api/collections returns an id and two different keys", async () => {
    const { status, body } = await createCollection({ name: "Another" });
    expect(status).toBe(201);
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(body.readKey).not.toBe(body.writeKey);
    expect(body.readKey.length).toBeGreaterThanOrEqual(32);
  });

  it("adding documents reports chunks per document, and an identical document is not stored twice", async () => {
    const { body: collection } = await createCollection({ name: "Dedup" });
    const first = await addDocuments(collection.id, { documents: [{ text: fruit }, { text: engines }] }, collection.writeKey);
    expect(first.status).toBe(201);
    expect(first.body.documents.map((document) => document.duplicate)).toEqual([false, false]);
    expect(first.body.documents[0].chunks).toBeGreaterThan(0);
    const again = await addDocuments(collection.id, { documents: [{ text: fruit }, { text: fruit }] }, collection.writeKey);
    expect(again.body.documents).toEqual([
      { documentId: first.body.documents[0].documentId, chunks: 0, duplicate: true },
      { documentId: first.body.documents[0].documentId, chunks: 0, duplicate: true },
    ]);
    const info = await readJson<{ documents: number; chunks: number }>(await single.GET(new Request("http://localhost/x", { headers: auth(collection.readKey) }), context(collection.id)));
    expect(info.body.documents).toBe(2);
  });

  it("lists the documents with a preview, size, chunk count and metadata; private ones need a key", async () => {
    const list = (key?: string) => documents.GET(new Request("http://localhost/x", { headers: auth(key) }), context(privateCollection.id));
    expect((await list()).status).toBe(401);
    const { status, body } = await readJson<{ documents: { preview: string; characters: number; chunks: number; metadata: Record<string, unknown> }[] }>(await list(privateCollection.readKey));
    expect(status).toBe(200);
    expect(body.documents.map((document) => document.metadata.topic)).toEqual(["food", "machines", "geography"]);
    expect(body.documents[0]).toMatchObject({ preview: fruit.slice(0, 160), characters: fruit.length });
    expect(body.documents.every((document) => document.chunks >= 1)).toBe(true);
  });

  it("splits a long document into overlapping chunks of the collection's size", async () => {
    const { body: collection } = await createCollection({ name: "Chunky", chunking: { size: 200, overlap: 40 } });
    const long = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} talks about a different small thing in the story.`).join(" ");
    const added = await addDocuments(collection.id, { documents: [{ text: long }] }, collection.writeKey);
    expect(added.body.documents[0].chunks).toBeGreaterThan(3);
    const listed = await readJson<{ chunks: { chunkId: string; documentId: string; text: string; position: number }[] }>(
      await chunks.GET(new Request(`http://localhost/api/collections/${collection.id}/chunks`, { headers: auth(collection.readKey) }), context(collection.id)),
    );
    expect(listed.body.chunks.map((chunk) => chunk.position)).toEqual(listed.body.chunks.map((_, i) => i));
    // A chunk's id is its document's and its position.
    expect(listed.body.chunks.map((chunk) => chunk.chunkId)).toEqual(listed.body.chunks.map((_, i) => `${added.body.documents[0].documentId}.${i}`));
    expect(listed.body.chunks.every((chunk) => chunk.text.length <= 200)).toBe(true);
  });

  it("search finds the right document first, with scores best first", async () => {
    const { status, body } = await searchCollection(privateCollection.id, { query: "Which engine works without spark plugs?", k: 3 }, privateCollection.readKey);
    expect(status).toBe(200);
    expect(body.results[0].text).toContain("diesel");
    expect(body.results[0].metadata).toEqual({ topic: "machines", year: 1893 });
    const scores = body.results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("search accepts a vector as the query and applies minScore", async () => {
    const embedded = await searchCollection(privateCollection.id, { query: "deep sea trench", k: 1 }, privateCollection.readKey);
    const { POST: embed } = await import("@/app/api/embed/route");
    const vector = (await readJson<{ vectors: number[][] }>(await embed(jsonRequest("/api/embed", { texts: ["deep sea trench"] }), {}))).body.vectors[0];
    const byVector = await searchCollection(privateCollection.id, { query: vector, k: 1 }, privateCollection.readKey);
    expect(byVector.body.results[0].chunkId).toBe(embedded.body.results[0].chunkId);
    const strict = await searchCollection(privateCollection.id, { query: vector, k: 3, minScore: 0.99 }, privateCollection.readKey);
    expect(strict.body.results).toEqual([]);
    const wrongDims = await searchCollection(privateCollection.id, { query: [1, 2, 3] }, privateCollection.readKey);
    expect(wrongDims.status).toBe(400);
    expect(wrongDims.body.error.message).toMatch(/3 numbers; use-lite vectors have 512/);
  });

  it("a metadata filter returns only matching chunks, and all k of them when k match", async () => {
    const { body } = await searchCollection(privateCollection.id, { query: "ocean", k: 5, filter: { topic: "food" } }, privateCollection.readKey);
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.every((result) => result.metadata.topic === "food")).toBe(true);
    const byNumber = await searchCollection(privateCollection.id, { query: "ocean", filter: { year: 1893 } }, privateCollection.readKey);
    expect(byNumber.body.results.map((result) => result.metadata.topic)).toEqual(["machines"]);
  });

  it("a selective filter never returns fewer than k when more chunks match", async () => {
    const { body: collection } = await createCollection({ name: "Filtered", chunking: { size: 100, overlap: 0 } });
    const many = Array.from({ length: 40 }, (_, i) => ({ text: `Note ${i}: the weather on day ${i} was mild with light wind.`, metadata: { kind: i < 30 ? "common" : "rare" } }));
    await addDocuments(collection.id, { documents: many }, collection.writeKey);
    const { body } = await searchCollection(collection.id, { query: "weather", k: 10, filter: { kind: "rare" } }, collection.readKey);
    expect(body.results).toHaveLength(10);
    expect(body.results.every((result) => result.metadata.kind === "rare")).toBe(true);
  });

  it("keys: a private collection can't be searched without a key (401) or with a wrong one (403)", async () => {
    expect((await searchCollection(privateCollection.id, { query: "x" })).status).toBe(401);
    const wrong = await searchCollection(privateCollection.id, { query: "x" }, "not-a-key");
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("forbidden:collection");
    expect((await searchCollection(privateCollection.id, { query: "x" }, privateCollection.writeKey)).status).toBe(200);
  });

  it("GET tells what the presented key may do: write, read, or nothing beyond public", async () => {
    const info = async (id: string, key?: string) => (await readJson<{ access: string }>(await single.GET(new Request("http://localhost/x", { headers: auth(key) }), context(id)))).body.access;
    expect(await info(privateCollection.id, privateCollection.writeKey)).toBe("write");
    expect(await info(privateCollection.id, privateCollection.readKey)).toBe("read");
    const { body: open } = await createCollection({ name: "Open access", public: true });
    expect(await info(open.id)).toBe("public");
    expect(await info(open.id, "someone-elses-key")).toBe("public");
  });

  it("keys: a public collection is searched without a key, but changed only with the write key", async () => {
    const { body: collection } = await createCollection({ name: "Open", public: true });
    expect((await searchCollection(collection.id, { query: "x" })).status).toBe(200);
    const before = await db.prisma.collectionDocument.count();
    expect((await addDocuments(collection.id, { documents: [{ text: fruit }] })).status).toBe(401);
    expect((await addDocuments(collection.id, { documents: [{ text: fruit }] }, collection.readKey)).status).toBe(403);
    expect(await db.prisma.collectionDocument.count()).toBe(before);
  });

  it("DELETE of a document and of a collection need the write key, and nothing changes without it", async () => {
    const { body: collection } = await createCollection({ name: "Doomed" });
    const added = await addDocuments(collection.id, { documents: [{ text: fruit }, { text: oceans }] }, collection.writeKey);
    const documentId = added.body.documents[0].documentId;
    const deleteDocument = (key?: string) =>
      oneDocument.DELETE(new Request("http://localhost/x", { method: "DELETE", headers: auth(key) }), context(collection.id, { documentId }));
    expect((await deleteDocument()).status).toBe(401);
    expect((await deleteDocument(collection.readKey)).status).toBe(403);
    const chunksOf = (publicId: string) => db.prisma.collectionChunk.count({ where: { document: { publicId, collection: { publicId: collection.id } } } });
    expect(await chunksOf(documentId)).toBeGreaterThan(0);
    expect((await deleteDocument(collection.writeKey)).status).toBe(204);
    expect(await chunksOf(documentId)).toBe(0);
    expect((await deleteDocument(collection.writeKey)).status).toBe(404);

    const deleteCollection = (key?: string) => single.DELETE(new Request("http://localhost/x", { method: "DELETE", headers: auth(key) }), context(collection.id));
    expect((await deleteCollection(collection.readKey)).status).toBe(403);
    expect((await deleteCollection(collection.writeKey)).status).toBe(204);
    expect((await searchCollection(collection.id, { query: "x" }, collection.writeKey)).status).toBe(404);
    expect(await db.prisma.collectionDocument.count({ where: { collection: { publicId: collection.id } } })).toBe(0);
  });

  it.each([
    [{ documents: [] }, "bad_request:documents"],
    [{ documents: [{ text: "  " }] }, "bad_request:documents"],
    [{ documents: [{ text: "ok", metadata: { nested: { a: 1 } } }] }, "bad_request:documents"],
    [{ documents: [{ text: "ok" }], extra: true }, "bad_request:extra"],
  ])("answers 400 for %j and writes nothing", async (body, code) => {
    const before = await db.prisma.collectionDocument.count();
    const reply = await addDocuments(privateCollection.id, body, privateCollection.writeKey);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
    expect(await db.prisma.collectionDocument.count()).toBe(before);
  });

  it("keeps a private collection's chunks and questions out of the shared text search", async () => {
    await searchCollection(privateCollection.id, { query: "a secret question about orchards" }, privateCollection.readKey);
    const { body } = await readJson<{ results: { text: string }[] }>(await textSearch.POST(jsonRequest("/api/search", { query: "apple orchards", k: 100 }), {}));
    const texts = body.results.map((result) => result.text);
    expect(texts.some((text) => text.includes("Apples grow on trees"))).toBe(false);
    expect(texts).not.toContain("a secret question about orchards");
    expect(await db.prisma.embedding.count({ where: { text: { contains: "diesel engine" } } })).toBe(0);
  });

  it("maps the chunks from their stored vectors with the question placed among them, deterministically", async () => {
    const request = (key?: string) =>
      map.POST(jsonRequest(`/api/collections/${privateCollection.id}/map`, { question: "Which engine has no spark plug?" }, { headers: { "content-type": "application/json", ...auth(key) } }), context(privateCollection.id));
    expect((await request()).status).toBe(401);
    type MapReply = { chunks: { chunkId: string; x: number; y: number; metadata: Record<string, unknown> }[]; question: { x: number; y: number } };
    const first = await readJson<MapReply>(await request(privateCollection.readKey));
    expect(first.status).toBe(200);
    expect(first.body.chunks.length).toBeGreaterThanOrEqual(3);
    expect(Number.isFinite(first.body.question.x) && Number.isFinite(first.body.question.y)).toBe(true);
    const again = await readJson<MapReply>(await request(privateCollection.readKey));
    expect(again.body).toEqual(first.body);
  });

  it("DELETE of a document answers 404 in the error shape for an old numeric id, a malformed one and another collection's", async () => {
    const { body: mine } = await createCollection({ name: "Mine" });
    const { body: theirs } = await createCollection({ name: "Theirs" });
    await addDocuments(mine.id, { documents: [{ text: fruit }] }, mine.writeKey);
    const [{ documentId: foreign }] = (await addDocuments(theirs.id, { documents: [{ text: engines }] }, theirs.writeKey)).body.documents;
    const remove = (documentId: string) =>
      oneDocument.DELETE(new Request("http://localhost/x", { method: "DELETE", headers: auth(mine.writeKey) }), context(mine.id, { documentId })).then((response) => readJson<ErrorReply>(response));
    for (const documentId of ["1", "12", "abc", "%00", "x".repeat(300)]) {
      const reply = await remove(documentId);
      expect(reply.status, documentId).toBe(404);
      expect(reply.body.error.code).toBe("not_found:document");
      expect(reply.body.error.message).toMatch(/document ids are the 16 letters, digits, '-' and '_' that uploads and GET \/api\/collections\/.+\/documents answer\.$/);
    }
    const reply = await remove(foreign);
    expect(reply.status).toBe(404);
    expect(reply.body.error).toEqual({ code: "not_found:document", message: `Collection ${mine.id} has no document ${foreign}.` });
    expect(await db.prisma.collectionDocument.count({ where: { publicId: foreign } })).toBe(1);
  });

  it("answers 404 for an unknown collection", async () => {
    expect((await searchCollection("nope-nope-nope-1", { query: "x" })).status).toBe(404);
  });
});

describe("the example collection", () => {
  it("ships public, made on first use from the bundled documents", async () => {
    const info = await readJson<{ public: boolean; documents: number; chunks: number }>(await single.GET(new Request("http://localhost/x"), context("example")));
    expect(info.status).toBe(200);
    expect(info.body.public).toBe(true);
    expect(info.body.documents).toBe(readExampleDocuments().length);
    expect(info.body.chunks).toBeGreaterThanOrEqual(20);
  });

  it("retrieves the source document of every hand-written question in the top 3", async () => {
    const bySlug = new Map(readExampleDocuments().map((document) => [document.slug, document.metadata.topic]));
    const misses: string[] = [];
    for (const { question, document } of readExampleQuestions()) {
      const { body } = await searchCollection("example", { query: question, k: 3 });
      const topics = body.results.map((result) => result.metadata.topic);
      if (!topics.includes(bySlug.get(document))) misses.push(`${question} → ${topics.join(", ")}`);
    }
    expect(readExampleQuestions().length).toBeGreaterThanOrEqual(10);
    expect(misses).toEqual([]);
  });

  it("can't be changed: nobody holds its write key", async () => {
    const reply = await addDocuments("example", { documents: [{ text: "vandalism" }] }, "guess");
    expect(reply.status).toBe(403);
  });
});
