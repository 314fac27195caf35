import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDocuments, createCollection, searchCollection } from "@/lib/collections/service";
import type { Database } from "@/lib/db/connection";
import { reciprocalRankFusion } from "@/lib/hybrid-search/fusion";
import { fusion } from "@/lib/hybrid-search/search";
import { testBackends, type TestDatabase } from "../support/databases";

const english = [
  { text: "Honey bees gather nectar from flowers and store it as honey in wax combs.", metadata: { topic: "bees" } },
  { text: "The queen bee lays up to two thousand eggs a day during the summer.", metadata: { topic: "bees" } },
  { text: "Volcanoes erupt when molten rock rises through cracks in the crust.", metadata: { topic: "earth" } },
  { text: "rm removes each given file; with -r it removes directories and their contents recursively.", metadata: { topic: "shell" } },
  { text: "A diesel engine ignites its fuel by compression alone, without a spark plug.", metadata: { topic: "machines" } },
  { text: "Glaciers carve valleys as they slowly flow downhill under their own weight.", metadata: { topic: "earth" } },
];

const chinese = [
  { text: "猫是一种宠物，也是动物。很多人把猫当作家人。" },
  { text: "汽车和卡车都在公路上行驶。" },
  { text: "香蕉是一种黄色的水果，富含钾。" },
  { text: "人工智能的未来将会改变世界。大语言模型是一个词元生成器。" },
];

describe.each(testBackends)("collection search modes on $name", (backend) => {
  let handle: TestDatabase;
  let db: Database;
  let id: string;
  let chineseId: string;

  beforeAll(async () => {
    if (!backend.enabled) return;
    handle = await backend.open();
    db = handle.db;
    const created = await createCollection(db, { name: "modes", model: "use-lite", public: true });
    id = created.collection.id;
    await addDocuments(db, { id, key: created.writeKey, documents: english });
    const zh = await createCollection(db, { name: "中文", model: "cedict-glove-100d", public: true });
    chineseId = zh.collection.id;
    await addDocuments(db, { id: chineseId, key: zh.writeKey, documents: chinese });
  }, 120_000);
  afterAll(async () => handle?.dispose());

  const ask = (question: string | number[], extra: Record<string, unknown> = {}, collection = () => id) =>
    searchCollection(db, { id: collection(), key: null, query: question, k: 5, ...extra });

  it.skipIf(!backend.enabled)("searches a text query in hybrid mode by default, each result carrying both sides' scores and ranks", async () => {
    const reply = await ask("how do bees make honey");
    expect(reply.mode).toBe("hybrid");
    expect(reply.strategy).toBe("exact");
    expect(reply.terms).toEqual(expect.arrayContaining(["bees", "~bee", "honey", "~honei"]));
    expect(reply.results[0].text).toBe(english[0].text);
    const top = reply.results[0];
    expect(top.parts.vector).toEqual({ score: expect.any(Number), rank: expect.any(Number) });
    expect(top.parts.keyword).toEqual({ score: expect.any(Number), rank: 1, terms: expect.arrayContaining(["bees", "~bee", "honey", "~honei"]) });
    expect(top.highlights.map(([start, end]) => top.text.slice(start, end))).toEqual(["Honey", "bees", "honey"]);
    for (let i = 1; i < reply.results.length; i++) expect(reply.results[i - 1].score).toBeGreaterThanOrEqual(reply.results[i].score);
  });

  it.skipIf(!backend.enabled)("fuses the two lists by reciprocal rank, exactly", async () => {
    const question = "removing folders recursively";
    const [hybrid, vector, keyword] = await Promise.all([
      ask(question, { k: 6 }),
      ask(question, { mode: "vector", k: 6 }),
      ask(question, { mode: "keyword", k: 6 }),
    ]);
    const fused = reciprocalRankFusion([vector.results.map((r) => r.chunkId), keyword.results.map((r) => r.chunkId)], { c: fusion.c, weights: [fusion.weights.vector, fusion.weights.keyword] });
    for (const result of hybrid.results) {
      expect(result.score).toBeCloseTo(fused.get(result.chunkId)!, 12);
      expect(result.parts.vector?.rank ?? null).toBe(vector.results.findIndex((r) => r.chunkId === result.chunkId) + 1 || null);
    }
    expect(hybrid.results[0].text).toBe(english[3].text);
  });

  it.skipIf(!backend.enabled)("vector mode answers cosines as before, keyword mode BM25 scores with its matched terms", async () => {
    const vector = await ask("molten rock and lava", { mode: "vector" });
    expect(vector.mode).toBe("vector");
    expect(vector.results.every((r) => r.parts.keyword === null && r.parts.vector!.score === r.score && r.score <= 1)).toBe(true);
    const keyword = await ask("molten rock and lava", { mode: "keyword" });
    expect(keyword.strategy).toBeUndefined();
    expect(keyword.results.map((r) => r.text)).toEqual([english[2].text]);
    expect(keyword.results[0].parts).toEqual({ vector: null, keyword: { score: keyword.results[0].score, rank: 1, terms: expect.arrayContaining(["molten", "~molten", "rock", "~rock"]) } });
  });

  it.skipIf(!backend.enabled)("applies the metadata filter and k in every mode", async () => {
    for (const mode of ["hybrid", "vector", "keyword"]) {
      const reply = await ask("bees eggs honey rock", { mode, k: 2, filter: { topic: "bees" } });
      expect(reply.results.length, mode).toBe(2);
      expect(reply.results.every((r) => r.metadata.topic === "bees"), mode).toBe(true);
    }
  });

  it.skipIf(!backend.enabled)("minScore is a cosine in the vector and hybrid modes and a BM25 score in keyword mode", async () => {
    const hybrid = await ask("honey bees", { minScore: 0.3 });
    expect(hybrid.results.length).toBeGreaterThan(0);
    expect(hybrid.results.every((r) => r.parts.vector!.score >= 0.3)).toBe(true);
    const all = await ask("honey bees", { mode: "keyword" });
    const cut = (all.results[0].score + all.results[all.results.length - 1].score) / 2;
    const keyword = await ask("honey bees", { mode: "keyword", minScore: cut });
    expect(keyword.results.length).toBeLessThan(all.results.length);
    expect(keyword.results.every((r) => r.score >= cut)).toBe(true);
  });

  it.skipIf(!backend.enabled)("a vector query searches by vector; asking it for keyword or hybrid search is a 400 naming the mode", async () => {
    const vector = (await ask("honey bees", { mode: "vector" })).results[0];
    const chunkVector = await db.prisma.$queryRaw<{ embedding: string }[]>`
      SELECT c."embedding"::text AS "embedding" FROM "collection_chunks" c JOIN "collection_documents" d ON d."id" = c."document_id"
      WHERE d."public_id" = ${vector.documentId} AND c."position" = ${vector.position}`;
    const query = JSON.parse(chunkVector[0].embedding) as number[];
    const reply = await ask(query);
    expect(reply.mode).toBe("vector");
    expect(reply.results[0].chunkId).toBe(vector.chunkId);
    expect(reply.results[0].highlights).toEqual([]);
    for (const mode of ["keyword", "hybrid"]) {
      await expect(ask(query, { mode })).rejects.toMatchObject({ code: "bad_request:mode", status: 400, message: expect.stringContaining("needs a text query") });
    }
  });

  it.skipIf(!backend.enabled)("finds Chinese words in unspaced Chinese documents by keyword and in hybrid mode", async () => {
    const chineseCollection = () => chineseId;
    const keyword = await ask("猫", { mode: "keyword" }, chineseCollection);
    expect(keyword.results.map((r) => r.text)).toEqual([chinese[0].text]);
    const top = keyword.results[0];
    expect(top.highlights.map(([start, end]) => top.text.slice(start, end))).toEqual(["猫", "猫"]);
    const hybrid = await ask("人工智能会怎样改变世界", {}, chineseCollection);
    expect(hybrid.results[0].text).toBe(chinese[3].text);
    expect(hybrid.results[0].parts.keyword?.terms).toEqual(expect.arrayContaining(["改变", "世界"]));
  });
});
