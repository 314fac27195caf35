import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkPublicId, insertCollection, insertDocumentsWithChunks, type CollectionRow } from "@/lib/db/collection-queries";
import type { Database } from "@/lib/db/connection";
import { analyze, isStopTerm, queryTerms } from "@/lib/hybrid-search/analyze";
import { analysePendingChunks, explainKeywordSearch, keywordSearchChunks, matchingChunkStatistics } from "@/lib/hybrid-search/keyword-queries";
import { normalize } from "@/lib/vectors";
import { testBackends, type TestDatabase } from "../support/databases";

const passages = [
  { text: "Honey bees gather nectar and turn it into honey inside the hive.", topic: "bees" },
  { text: "A bee colony has one queen, thousands of workers and a few hundred drones.", topic: "bees" },
  { text: "Volcanoes erupt when magma rises through the crust; lava flows downhill.", topic: "earth" },
  { text: "猫是一种宠物，也是动物。很多人把猫当作家人。", topic: "pets" },
  { text: "人工智能的未来将会改变世界。大语言模型是一个词元生成器。", topic: "ai" },
  { text: "rm removes each file; with -r it removes directories and their contents recursively.", topic: "shell" },
  { text: "The queen bee lays eggs; worker bees feed the larvae with royal jelly and honey.", topic: "bees" },
  { text: "东京的猫 and the bees of Kyoto: a mixed passage about 猫 and honey.", topic: "mixed" },
];

/** Chunk-sized text (~800 characters) of varied words, as real chunks are. */
const filler = (seed: number) =>
  Array.from({ length: 120 }, (_, i) => `w${(seed * 31 + i * 17) % 997}`).join(" ");

const unit = (i: number) => normalize(Array.from({ length: 512 }, (_, d) => Math.sin(d * (i + 1) * 0.37) + (d === i ? 3 : 0)));

/**
 * Okapi BM25 computed here from the analyser's output alone, to check the SQL against: over the
 * chunks holding a term of the question other than a stop word (stop words only count in the score).
 */
function referenceBm25(texts: string[], question: string): Map<number, number> {
  const terms = queryTerms(question);
  const documents = texts.map((text) => analyze(text).map((term) => term.term));
  const lookup = terms.filter((term) => !isStopTerm(term) && documents.some((doc) => doc.includes(term)));
  const candidate = (doc: string[]) => lookup.length === 0 || lookup.some((term) => doc.includes(term));
  const average = documents.reduce((sum, doc) => sum + doc.length, 0) / documents.length;
  const scores = new Map<number, number>();
  for (const term of terms) {
    const df = documents.filter((doc) => doc.includes(term)).length;
    if (df === 0) continue;
    const idf = Math.log(1 + (documents.length - df + 0.5) / (df + 0.5));
    documents.forEach((doc, i) => {
      const tf = doc.filter((t) => t === term).length;
      if (tf === 0 || !candidate(doc)) return;
      scores.set(i, (scores.get(i) ?? 0) + (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * doc.length) / average)));
    });
  }
  return scores;
}

describe.each(testBackends)("keyword search storage on $name", (backend) => {
  let handle: TestDatabase;
  let db: Database;
  let collection: CollectionRow;
  let chunkIds: string[];

  beforeAll(async () => {
    if (!backend.enabled) return;
    handle = await backend.open();
    db = handle.db;
    collection = await insertCollection(db, {
      publicId: "keyword-test",
      name: "t",
      model: "use-lite",
      isPublic: true,
      readKeyHash: "0".repeat(64),
      writeKeyHash: "1".repeat(64),
      chunkSize: 800,
      chunkOverlap: 100,
    });
    const documents = passages.map((passage, i) => ({
      contentHash: String(i).padStart(64, "0"),
      text: passage.text,
      metadata: { topic: passage.topic },
      chunks: [{ position: 0, text: passage.text, start: 0, end: passage.text.length, vector: unit(i) }],
    }));
    // One chunk per document: the chunk ids in passage order.
    chunkIds = (await insertDocumentsWithChunks(db, { collectionId: collection.id, documents })).map((documentId) => chunkPublicId(documentId, 0));
  });
  afterAll(async () => handle?.dispose());

  const search = async (question: string, filter: Record<string, string> = {}, limit = 10) => {
    const terms = queryTerms(question);
    return keywordSearchChunks(db, { collectionId: collection.id, terms, limit, filter, statistics: await matchingChunkStatistics(db, { collectionId: collection.id, filter, terms }) });
  };

  it.skipIf(!backend.enabled)("scores chunks with plain Okapi BM25 over the analysed terms", async () => {
    for (const question of ["honey bees", "the queen bee and her eggs", "volcano lava", "猫 宠物", "人工智能的未来", "remove directories"]) {
      const expected = referenceBm25(
        passages.map((passage) => passage.text),
        question,
      );
      const hits = await search(question);
      expect(hits.length, question).toBe(expected.size);
      for (const hit of hits) expect(hit.score, `${question}: chunk ${hit.chunkId}`).toBeCloseTo(expected.get(chunkIds.indexOf(hit.chunkId))!, 9);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    }
  });

  it.skipIf(!backend.enabled)("finds Chinese words inside unspaced text, and mixed passages, naming the matched terms", async () => {
    const cats = await search("猫");
    expect(cats.map((hit) => hit.text)).toEqual(expect.arrayContaining([passages[3].text, passages[7].text]));
    expect(cats).toHaveLength(2);
    expect(cats[0].terms).toEqual(["猫"]);
    const ai = await search("人工智能");
    expect(ai[0].text).toBe(passages[4].text);
    const stem = await search("removing directory");
    expect(stem[0].text).toBe(passages[5].text);
    // Other forms of the words meet through their stems.
    expect(stem[0].terms).toEqual(["~directori", "~remov"]);
  });

  it.skipIf(!backend.enabled)("applies the metadata filter, with document frequencies counted among the filtered chunks", async () => {
    const hits = await search("honey", { topic: "bees" });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.metadata.topic === "bees")).toBe(true);
    const bees = passages.filter((passage) => passage.topic === "bees").map((passage) => passage.text);
    const expected = referenceBm25(bees, "honey");
    for (const hit of hits) expect(hit.score).toBeCloseTo(expected.get(bees.indexOf(hit.text))!, 9);
  });

  it.skipIf(!backend.enabled)("returns nothing for a question none of whose words is in the collection, and honours the limit", async () => {
    expect(await search("zzqx quuxplode")).toEqual([]);
    // Stop words alone still find chunks (scored by BM25, so barely); with other words they only add to the score.
    expect((await search("the and of")).length).toBeGreaterThan(0);
    expect(await search("bee honey queen", {}, 2)).toHaveLength(2);
  });

  it.skipIf(!backend.enabled)("analyses chunks stored without terms before they are searched", async () => {
    await db.prisma.$executeRaw`UPDATE "collection_chunks" SET "search_terms" = '', "search_length" = NULL WHERE "collection_id" = ${collection.id}`;
    expect(await search("volcano")).toEqual([]);
    expect(await analysePendingChunks(db, { collectionId: collection.id, batchSize: 3 })).toBe(passages.length);
    expect((await search("volcano"))[0].text).toBe(passages[2].text);
    expect(await analysePendingChunks(db, { collectionId: collection.id })).toBe(0);
  });

  it.skipIf(!backend.enabled)("reads the GIN index of the chunks' terms in a large collection", async () => {
    const { id: _id, createdAt: _createdAt, ...fields } = collection;
    const large = await insertCollection(db, { ...fields, publicId: "keyword-large" });
    const documents = Array.from({ length: 40 }, (_, d) => ({
      contentHash: `f${String(d).padStart(63, "0")}`,
      text: `document ${d}`,
      metadata: {},
      chunks: Array.from({ length: 100 }, (_, c) => ({
        position: c,
        text: d === 7 && c === 3 ? "a lone volcano" : filler(d * 100 + c),
        start: 0,
        end: 1,
        // Three numbers keep the insert quick (no HNSW index has that dimension); keyword search ignores them.
        vector: normalize([1, d, c]),
      })),
    }));
    await insertDocumentsWithChunks(db, { collectionId: large.id, documents });
    // What autovacuum does on PostgreSQL: merge GIN's pending list and gather statistics.
    await db.prisma.$executeRawUnsafe(`VACUUM ANALYZE "collection_chunks"`);
    const filter = {};
    const terms = queryTerms("the volcano");
    const statistics = await matchingChunkStatistics(db, { collectionId: large.id, filter, terms });
    expect(statistics.count).toBe(4000);
    expect(statistics.documentFrequencies.get("volcano")).toBe(1);
    const args = { collectionId: large.id, terms, limit: 5, filter, statistics };
    expect(await explainKeywordSearch(db, args)).toMatch(/Bitmap Index Scan on collection_chunks_search_terms_idx/);
    const hits = await keywordSearchChunks(db, args);
    expect(hits.map((hit) => hit.text)).toEqual(["a lone volcano"]);
    expect(hits[0].cosine).toBeNull();
  });
});
