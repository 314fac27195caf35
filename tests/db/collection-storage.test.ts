import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  explainChunkSearch,
  insertCollection,
  insertDocumentsWithChunks,
  searchChunks,
  type CollectionRow,
} from "@/lib/db/collection-queries";
import type { Database } from "@/lib/db/connection";
import { matchingChunkStatistics } from "@/lib/hybrid-search/keyword-queries";
import { normalize } from "@/lib/vectors";
import { testBackends, type TestDatabase } from "../support/databases";

const unit = (seed: number[], dims = 512, jitter = 0) =>
  normalize(Array.from({ length: dims }, (_, i) => (seed[i % seed.length] ?? 0) + jitter * Math.sin(i * 3.7 + jitter)));

describe.each(testBackends)("collection storage on $name", (backend) => {
  let handle: TestDatabase;
  let db: Database;
  let collection: CollectionRow;

  beforeAll(async () => {
    if (!backend.enabled) return;
    handle = await backend.open();
    db = handle.db;
    collection = await insertCollection(db, {
      publicId: "storage-test",
      name: "t",
      model: "use-lite",
      isPublic: true,
      readKeyHash: "0".repeat(64),
      writeKeyHash: "1".repeat(64),
      chunkSize: 800,
      chunkOverlap: 100,
    });
    const documents = Array.from({ length: 30 }, (_, d) => ({
      contentHash: String(d).padStart(64, "0"),
      text: `document ${d}`,
      metadata: { parity: d % 2 === 0 ? "even" : "odd", d },
      chunks: Array.from({ length: 40 }, (_, c) => ({ position: c, text: `d${d} c${c}`, start: 0, end: 1, vector: unit([1, d % 5, c % 7], 512, (d * 40 + c) / 500) })),
    }));
    await insertDocumentsWithChunks(db, { collectionId: collection.id, documents });
  });
  afterAll(async () => handle?.dispose());

  it.skipIf(!backend.enabled)("counts the chunks a metadata filter lets through, and their mean term count", async () => {
    const count = async (filter: Record<string, string | number>) => (await matchingChunkStatistics(db, { collectionId: collection.id, filter })).count;
    expect(await count({})).toBe(1200);
    expect(await count({ parity: "even" })).toBe(600);
    expect(await count({ d: 3 })).toBe(40);
    // "d3 c12" is two terms (words with digits get no stem).
    expect((await matchingChunkStatistics(db, { collectionId: collection.id, filter: {} })).averageLength).toBe(2);
  });

  it.skipIf(!backend.enabled)("exact and HNSW search agree on the nearest chunks, filter applied", async () => {
    const vector = unit([1, 2, 3]);
    const exact = await searchChunks(db, { collectionId: collection.id, vector, k: 10, filter: { parity: "odd" }, strategy: "exact" });
    const hnsw = await searchChunks(db, { collectionId: collection.id, vector, k: 10, filter: { parity: "odd" }, strategy: "hnsw" });
    expect(exact).toHaveLength(10);
    expect(hnsw).toHaveLength(10);
    expect(exact.every((chunk) => chunk.metadata.parity === "odd")).toBe(true);
    const overlap = hnsw.filter((chunk) => exact.some((other) => other.chunkId === chunk.chunkId)).length;
    expect(overlap).toBeGreaterThanOrEqual(9);
  });

  it.skipIf(!backend.enabled)("an HNSW search with a selective filter still returns k rows (iterative scan)", async () => {
    const rows = await searchChunks(db, { collectionId: collection.id, vector: unit([1, 0, 0]), k: 30, filter: { d: 29 }, strategy: "hnsw" });
    expect(rows).toHaveLength(30);
  });

  it.skipIf(!backend.enabled)("the hnsw strategy uses the chunks' HNSW index, the exact one does not", async () => {
    const args = { collectionId: collection.id, vector: unit([1, 1]), k: 5, filter: {} };
    expect(await explainChunkSearch(db, { ...args, strategy: "hnsw" })).toMatch(/Index Scan using collection_chunks_hnsw_512/);
    expect(await explainChunkSearch(db, { ...args, strategy: "exact" })).not.toMatch(/hnsw/);
  });
});
