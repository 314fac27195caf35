import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites } from "@/lib/db/queries";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

// The route handlers use the process-wide database: point it at a fresh PGlite directory first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-routes-"));
process.env.PGLITE_DIR = dataDir;
process.env.GLOVE_VOCABULARY_SIZE = "2000";
delete process.env.DATABASE_URL;
delete process.env.HF_TOKEN;
delete process.env.HF_ENDPOINT_URL;

const { vocabularyStore } = await import("@/lib/db/vocabulary-store");
const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { loadVocabulary } = await import("@/lib/embeddings/vocabulary");
const models = await import("@/app/api/models/route");
const embed = await import("@/app/api/embed/route");
const similarity = await import("@/app/api/similarity/route");
const search = await import("@/app/api/search/route");
const analogy = await import("@/app/api/analogy/route");

type EmbedReply = { model: string; dims: number; vectors: number[][] };
type SimilarityReply = { model: string; texts: string[]; matrix: number[][] };
type SearchReply = { model: string; results: { text: string; score: number }[] };

const post = {
  embed: async (body: unknown) => readJson<EmbedReply & ErrorReply>(await embed.POST(jsonRequest("/api/embed", body), {})),
  similarity: async (body: unknown) =>
    readJson<SimilarityReply & ErrorReply>(await similarity.POST(jsonRequest("/api/similarity", body), {})),
  search: async (body: unknown) => readJson<SearchReply & ErrorReply>(await search.POST(jsonRequest("/api/search", body), {})),
  analogy: async (body: unknown) => readJson<SearchReply & ErrorReply>(await analogy.POST(jsonRequest("/api/analogy", body), {})),
};

let db: Database;
/** Rows in the embeddings cache, once the writes made after earlier replies are done. */
const countEmbeddings = async () => (await flushEmbeddingWrites(db), db.prisma.embedding.count());
const length = (vector: number[]) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

beforeAll(async () => {
  db = await getDatabase();
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("GET /api/models", () => {
  it("lists both local models as available and a remote one as unavailable without a token", async () => {
    const { status, body } = await readJson<{ models: Record<string, unknown>[] }>(await models.GET(new Request("http://localhost/api/models"), {}));
    expect(status).toBe(200);
    const byId = Object.fromEntries(body.models.map((model) => [model.id, model]));
    expect(byId["use-lite"]).toMatchObject({ dims: 512, kind: "sentence", local: true, available: true });
    expect(byId["glove-100d"]).toMatchObject({ dims: 100, kind: "word", local: true, available: true });
    expect(byId["glove-100d"].vocabulary).toMatchObject({ state: "absent", wordsTarget: 2000 });
    const remote = body.models.find((model) => String(model.id).startsWith("hf:"));
    expect(remote).toMatchObject({ kind: "sentence", local: false, available: false, dims: null });
  });
});

describe("POST /api/embed", () => {
  it("returns 512-dimensional unit vectors for cat and dog with the default model", async () => {
    const { status, body } = await post.embed({ texts: ["cat", "dog"] });
    expect(status).toBe(200);
    expect(body.model).toBe("use-lite");
    expect(body.dims).toBe(512);
    expect(body.vectors).toHaveLength(2);
    for (const vector of body.vectors) {
      expect(vector).toHaveLength(512);
      expect(length(vector)).toBeCloseTo(1, 5);
    }
  });

  it("keeps order, allows duplicates and answers from the cache the second time", async () => {
    const first = await post.embed({ texts: ["truck", "cat", "truck"] });
    const rows = await countEmbeddings();
    const second = await post.embed({ texts: ["cat", "truck"] });
    expect(first.body.vectors[0]).toEqual(first.body.vectors[2]);
    expect(second.body.vectors).toEqual([first.body.vectors[1], first.body.vectors[0]]);
    expect(await countEmbeddings()).toBe(rows);
  });

  it("stores each text once per model", async () => {
    await post.embed({ texts: ["unique sentence about otters"] });
    await post.embed({ texts: ["unique sentence about otters", "unique sentence about otters"] });
    await flushEmbeddingWrites(db);
    const stored = await db.prisma.embedding.count({ where: { text: "unique sentence about otters", model: "use-lite" } });
    expect(stored).toBe(1);
  });

  it("embeds with glove-100d: 100 dimensions, a phrase as the mean of its words", async () => {
    const { status, body } = await post.embed({ model: "glove-100d", texts: ["king", "New York"] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: "glove-100d", dims: 100 });
    expect(length(body.vectors[1])).toBeCloseTo(1, 5);
  });

  it("answers 400 naming the unknown words, and writes nothing for the rest of the batch", async () => {
    const before = await countEmbeddings();
    const { status, body } = await post.embed({ model: "glove-100d", texts: ["zebra", "qwzxv blorfk"] });
    expect(status).toBe(400);
    expect(body.error.code).toBe("unreadable:texts");
    expect(body.error.message).toMatch(/^glove-100d cannot read "qwzxv blorfk" \(it reads English\)/);
    expect(body.error.details).toMatchObject({ model: "glove-100d", texts: ["qwzxv blorfk"] });
    expect(await countEmbeddings()).toBe(before);
  });

  it("answers 400 for an unknown model, naming the models there are", async () => {
    const { status, body } = await post.embed({ model: "word2vec", texts: ["cat"] });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:model");
    expect(body.error.message).toMatch(/use-lite, glove-100d/);
  });

  it("answers 503 for a remote model without HF_TOKEN, saying what to set, and writes nothing", async () => {
    const before = await countEmbeddings();
    const { status, body } = await post.embed({ model: "hf:BAAI/bge-small-en-v1.5", texts: ["cat"] });
    expect(status).toBe(503);
    expect(body.error.code).toBe("unavailable:model");
    expect(body.error.message).toMatch(/HF_TOKEN/);
    expect(await countEmbeddings()).toBe(before);
  });

  it.each([
    ["malformed JSON", "{", "bad_request:body"],
    ["missing texts", {}, "bad_request:texts"],
    ["a whitespace-only text", { texts: [" "] }, "bad_request:texts"],
    ["an extra field", { texts: ["cat"], k: 3 }, "bad_request:k"],
    ["too many texts", { texts: Array.from({ length: 2001 }, (_, i) => `t${i}`) }, "bad_request:texts"],
    ["a text that is too long", { texts: ["a".repeat(10_001)] }, "bad_request:texts"],
  ])("answers 400 for %s and writes nothing", async (_, body, code) => {
    const before = await countEmbeddings();
    const reply = await post.embed(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
    expect(await countEmbeddings()).toBe(before);
  });
});

describe("POST /api/similarity", () => {
  it.each(["use-lite", "glove-100d"])("with %s: symmetric, diagonal 1, cat nearer dog than truck, car nearer truck than banana", async (model) => {
    const texts = ["cat", "dog", "truck", "car", "banana"];
    const { status, body } = await post.similarity({ model, texts });
    expect(status).toBe(200);
    expect(body.texts).toEqual(texts);
    const m = body.matrix;
    texts.forEach((_, i) => {
      expect(m[i][i]).toBe(1);
      texts.forEach((__, j) => expect(m[i][j]).toBe(m[j][i]));
    });
    const [cat, dog, truck, car, banana] = [0, 1, 2, 3, 4];
    expect(m[cat][dog]).toBeGreaterThan(m[cat][truck]);
    expect(m[car][truck]).toBeGreaterThan(m[car][banana]);
  });

  it("answers 400 naming the limit when asked for more than 500 texts", async () => {
    const { status, body } = await post.similarity({ texts: Array.from({ length: 501 }, (_, i) => `t${i}`) });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/at most 500 texts/);
  });
});

describe("POST /api/search", () => {
  it("scope texts: finds stored texts best first, the query itself excluded", async () => {
    await post.embed({ texts: ["kitten", "puppy", "lorry", "apple pie", "violin"] });
    const { status, body } = await post.search({ query: "cat", k: 3 });
    expect(status).toBe(200);
    expect(body.model).toBe("use-lite");
    expect(body.results).toHaveLength(3);
    expect(body.results.map((result) => result.text)).not.toContain("cat");
    expect(body.results[0].text).toMatch(/kitten|dog/);
    const scores = body.results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("scope texts: default k is 10, among texts anyone may read, never another model's", async () => {
    // Items of the built-in examples (lib/explorations/examples.ts): everyone may read them.
    await post.embed({ texts: ["dog", "animal", "pet", "kitten", "puppy", "car", "truck", "bus", "bicycle", "banana", "apple", "bread"] });
    await post.embed({ model: "glove-100d", texts: ["queen"] });
    const { body } = await post.search({ query: "cat" });
    expect(body.results).toHaveLength(10);
    expect(body.results.map((result) => result.text)).not.toContain("queen");
  });

  it("scope vocabulary: 503 with Retry-After while loading, then GloVe's nearest words", async () => {
    const first = await search.POST(jsonRequest("/api/search", { model: "glove-100d", query: "king", scope: "vocabulary", k: 5 }), {});
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("5");
    expect(((await first.json()) as ErrorReply).error.code).toBe("unavailable:vocabulary");

    await loadVocabulary(db, { onProgress: () => {} });
    const { status, body } = await post.search({ model: "glove-100d", query: "king", scope: "vocabulary", k: 5 });
    expect(status).toBe(200);
    const words = body.results.map((result) => result.text);
    expect(words).not.toContain("king");
    expect(words).toEqual(expect.arrayContaining(["queen", "prince"]));
    // Where the words live: the database itself, or on PGlite the vocabulary's own (vocabulary-store.ts).
    const [{ count }] = await vocabularyStore(db).query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "vocabulary_words"`);
    expect(count).toBe(2000);
  });

  it("scope vocabulary with a sentence model: 400 explaining it needs glove-100d", async () => {
    const { status, body } = await post.search({ query: "king", scope: "vocabulary" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:scope");
    expect(body.error.message).toMatch(/glove-100d/);
  });

  it.each([
    [{ query: "cat", k: 0 }, "bad_request:k"],
    [{ query: "cat", k: 101 }, "bad_request:k"],
    [{ query: "" }, "bad_request:query"],
    [{ k: 5 }, "bad_request:query"],
  ])("answers 400 for %j", async (body, code) => {
    const reply = await post.search(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
  });
});

describe("POST /api/analogy", () => {
  // Runs after the vocabulary test above has loaded GloVe's 2,000 most frequent words.
  it("king − man + woman → queen first, inputs excluded (glove-100d vocabulary by default)", async () => {
    await loadVocabulary(db, { onProgress: () => {} });
    const { status, body } = await post.analogy({ a: "king", b: "man", c: "woman", k: 5 });
    expect(status).toBe(200);
    expect(body.model).toBe("glove-100d");
    const words = body.results.map((result) => result.text);
    expect(words[0]).toBe("queen");
    expect(words).not.toEqual(expect.arrayContaining(["king"]));
    expect(words.some((word) => ["man", "woman"].includes(word))).toBe(false);
  });

  it("returns k answers for paris − france + italy", async () => {
    const { status, body } = await post.analogy({ a: "paris", b: "france", c: "italy", k: 3 });
    expect(status).toBe(200);
    expect(body.results).toHaveLength(3);
  });

  it("with a sentence model, answers come from the texts embedded so far", async () => {
    const { status, body } = await post.analogy({ model: "use-lite", a: "kitten", b: "cat", c: "dog", k: 3 });
    expect(status).toBe(200);
    expect(body.results.map((result) => result.text)).not.toEqual(expect.arrayContaining(["kitten", "cat", "dog"]));
  });

  it("answers 400 naming c when it is missing", async () => {
    const { status, body } = await post.analogy({ a: "king", b: "man" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:c");
  });
});
