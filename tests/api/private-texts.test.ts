import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAppDatabaseAt, testBackends } from "../support/databases";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

/**
 * Two clients of one server: A saves an exploration and never shares it, and keeps a private
 * collection; B holds no slug and no key. Scope `texts` must never show B what only A may read.
 */

// No memory cache in front of the database: a cached vector comes from the table, as it does on
// another server or after a restart.
process.env.EMBEDDING_MEMORY_CACHE_MB = "0";
process.env.RATE_LIMIT_COMPUTE_PER_MINUTE = "0";
process.env.RATE_LIMIT_WRITE_PER_MINUTE = "0";
delete process.env.DATABASE_URL;
delete process.env.HF_TOKEN;
delete process.env.HF_ENDPOINT_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { flushEmbeddingWrites } = await import("@/lib/db/queries");
const embed = await import("@/app/api/embed/route");
const search = await import("@/app/api/search/route");
const analogy = await import("@/app/api/analogy/route");
const explorations = await import("@/app/api/explorations/route");
const collections = await import("@/app/api/collections/route");
const documents = await import("@/app/api/collections/[id]/documents/route");

type Results = { results: { text: string; score: number }[] } & ErrorReply;
type Collection = { id: string; readKey: string; writeKey: string };

const secretItem = "codename bluebird launch plan";
const secretChunk = "The bluebird launch moves to March; only the board knows.";
const publicChunk = "Our bakery's bluebird cake is sold on Saturdays.";
/** Items of the built-in example "From text to retrieval" (lib/explorations/examples.ts). */
const exampleItems = ["dog", "animal", "truck"];

const post = async <T>(handler: { POST: (request: Request, context: never) => Promise<Response> }, route: string, body: unknown, context = {}) =>
  readJson<T & ErrorReply>(await handler.POST(jsonRequest(route, body), context as never));
const searchTexts = (body: Record<string, unknown>) => post<Results>(search, "/api/search", { model: "use-lite", k: 100, scope: "texts", ...body });
const analogyTexts = (body: Record<string, unknown>) =>
  post<Results>(analogy, "/api/analogy", { model: "use-lite", a: "bluebird", b: "bird", c: "plan", k: 100, scope: "texts", ...body });
const texts = (reply: { body: Results }) => reply.body.results.map((result) => result.text);

async function createCollection(name: string, isPublic: boolean, text: string): Promise<Collection> {
  const created = await post<Collection>(collections, "/api/collections", { name, model: "use-lite", public: isPublic, chunking: { size: 400, overlap: 0 } });
  expect(created.status).toBe(201);
  const request = jsonRequest(`/api/collections/${created.body.id}/documents`, { documents: [{ text }] }, {
    headers: { "content-type": "application/json", authorization: `Bearer ${created.body.writeKey}` },
  });
  expect((await documents.POST(request, { params: Promise.resolve({ id: created.body.id }) })).status).toBe(201);
  return created.body;
}

describe.each(testBackends)("scope texts on $name: a client finds only what it may read", (backend) => {
  let dispose = async () => {};
  let slug: string;
  let privateCollection: Collection;

  beforeAll(async () => {
    if (!backend.enabled) return;
    dispose = await pointAppDatabaseAt(backend, "notebook-private-texts-");
    await getDatabase();
    // Client A: an exploration saved and never shared, a private collection, a public one.
    const saved = await post<{ slug: string }>(explorations, "/api/explorations", {
      title: "Launch",
      model: "use-lite",
      items: [{ text: secretItem }, { text: "bird" }],
      cells: [],
    });
    expect(saved.status).toBe(201);
    slug = saved.body.slug;
    privateCollection = await createCollection("Board notes", false, secretChunk);
    await createCollection("Bakery", true, publicChunk);
    // Client B opens the example: its items are embedded (and cached) as the notebook does.
    expect((await post(embed, "/api/embed", { model: "use-lite", texts: exampleItems })).status).toBe(200);
    await flushEmbeddingWrites(await getDatabase());
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
    delete process.env.DATABASE_URL;
    await dispose();
  });

  it.skipIf(!backend.enabled)("without a slug or key, search returns the examples' items and public chunks, never A's", async () => {
    const reply = await searchTexts({ query: "bluebird launch" });
    expect(reply.status).toBe(200);
    expect(texts(reply)).toEqual(expect.arrayContaining([...exampleItems, publicChunk]));
    expect(texts(reply)).not.toContain(secretItem);
    expect(texts(reply)).not.toContain("bird");
    expect(texts(reply)).not.toContain(secretChunk);
  });

  it.skipIf(!backend.enabled)("without a slug or key, analogy answers never include A's texts", async () => {
    const reply = await analogyTexts({});
    expect(reply.status).toBe(200);
    expect(texts(reply)).toEqual(expect.arrayContaining(exampleItems));
    expect(texts(reply)).not.toContain(secretItem);
    expect(texts(reply)).not.toContain(secretChunk);
  });

  it.skipIf(!backend.enabled)("texts B embedded itself are not searched either, unless saved and named", async () => {
    await post(embed, "/api/embed", { model: "use-lite", texts: ["bluebird migration routes"] });
    expect(texts(await searchTexts({ query: "bluebird launch" }))).not.toContain("bluebird migration routes");
  });

  it.skipIf(!backend.enabled)("with A's slug, A's items are found, best first", async () => {
    const reply = await searchTexts({ query: "bluebird launch", within: { explorations: [slug] } });
    expect(reply.status).toBe(200);
    expect(texts(reply)).toEqual(expect.arrayContaining([secretItem, "bird", ...exampleItems]));
    expect(texts(reply)).not.toContain(secretChunk);
    const scores = reply.body.results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(texts(await searchTexts({ query: "bluebird launch", k: 1, within: { explorations: [slug] } }))).toEqual([secretItem]);
  });

  it.skipIf(!backend.enabled)("with A's slug, analogy may answer A's items (its inputs excluded)", async () => {
    const reply = await analogyTexts({ within: { explorations: [slug] } });
    expect(reply.status).toBe(200);
    expect(texts(reply)).toContain(secretItem);
    expect(texts(reply)).not.toContain("bird");
  });

  it.skipIf(!backend.enabled)("a private collection's chunks only with its key; a wrong or missing key is refused", async () => {
    const withKey = await searchTexts({ query: "bluebird launch", within: { collections: [{ id: privateCollection.id, key: privateCollection.readKey }] } });
    expect(withKey.status).toBe(200);
    expect(texts(withKey)).toContain(secretChunk);
    expect(texts(withKey)).not.toContain(secretItem);

    const noKey = await searchTexts({ query: "bluebird launch", within: { collections: [{ id: privateCollection.id }] } });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error.message).toMatch(/within\.collections\[0\].*key/);
    const wrongKey = await searchTexts({ query: "bluebird launch", within: { collections: [{ id: privateCollection.id, key: "x".repeat(32) }] } });
    expect(wrongKey.status).toBe(403);
    expect(JSON.stringify([noKey.body, wrongKey.body])).not.toContain("bluebird launch moves");
  });

  it.skipIf(!backend.enabled)("an unknown slug is 404 naming it; within with scope vocabulary is 400", async () => {
    const unknown = await searchTexts({ query: "bluebird", within: { explorations: ["AAAAAAAAAAAAAAAA"] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "not_found:exploration", message: expect.stringContaining("AAAAAAAAAAAAAAAA") });
    const vocabulary = await post<Results>(search, "/api/search", { model: "glove-100d", query: "bird", scope: "vocabulary", within: { explorations: [slug] } });
    expect(vocabulary.status).toBe(400);
    expect(vocabulary.body.error.code).toBe("bad_request:within");
  });

  it.skipIf(!backend.enabled)("a collection of another model is 400, not a silent empty answer", async () => {
    const reply = await post<Results>(search, "/api/search", {
      model: "glove-100d",
      query: "bird",
      within: { collections: [{ id: privateCollection.id, key: privateCollection.readKey }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "bad_request:within", message: expect.stringContaining("use-lite") });
  });

  it.skipIf(!backend.enabled)("/api/embed answers the same numbers whether a vector is computed now or read from the cache", async () => {
    const first = await post<{ vectors: number[][] }>(embed, "/api/embed", { model: "use-lite", texts: ["a text nobody typed before"] });
    await flushEmbeddingWrites(await getDatabase());
    const again = await post<{ vectors: number[][] }>(embed, "/api/embed", { model: "use-lite", texts: ["a text nobody typed before"] });
    expect(Object.keys(again.body).sort()).toEqual(["dims", "model", "vectors"]);
    expect(again.body.vectors).toEqual(first.body.vectors);
  });
});
