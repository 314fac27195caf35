import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites, getEmbeddingsByTexts } from "@/lib/db/queries";
import { VectorMemoryCache } from "@/lib/embeddings/memory-cache";
import { embedTexts } from "@/lib/embeddings/service";
import { pgliteBackend, useScratchDatabase } from "../support/databases";

describe("VectorMemoryCache", () => {
  /** What an entry of model "m", a text of `length` characters and a 2-number vector costs. */
  const entry = (length: number) => 96 + 2 * (2 + length) + 16;

  it("answers what was set, per model, as a copy the caller may change", () => {
    const cache = new VectorMemoryCache(10_000);
    cache.set("a", "cat", [1, 2, 3]);
    const first = cache.get("a", "cat")!;
    first[0] = 99;
    expect(cache.get("a", "cat")).toEqual([1, 2, 3]);
    expect(cache.get("b", "cat")).toBeUndefined();
  });

  it("stays within its bytes, dropping the least recently used vectors first", () => {
    const cache = new VectorMemoryCache(3 * entry(3));
    cache.set("m", "one", [1, 1]);
    cache.set("m", "two", [2, 2]);
    cache.set("m", "six", [6, 6]);
    cache.get("m", "one"); // now "two" is the least recently used
    cache.set("m", "ten", [10, 10]);
    expect(cache.get("m", "two")).toBeUndefined();
    expect(cache.get("m", "one")).toEqual([1, 1]);
    expect(cache.get("m", "six")).toEqual([6, 6]);
    expect(cache.get("m", "ten")).toEqual([10, 10]);
    expect(cache.size).toBe(3);
  });

  it("counts the text: one long text pushes out several short ones", () => {
    const cache = new VectorMemoryCache(3 * entry(3));
    cache.set("m", "one", [1, 1]);
    cache.set("m", "two", [2, 2]);
    cache.set("m", "six", [6, 6]);
    const long = "x".repeat(64); // entry(64) = 2 × entry(3)
    cache.set("m", long, [7, 7]);
    expect(cache.get("m", "one")).toBeUndefined();
    expect(cache.get("m", "two")).toBeUndefined();
    expect(cache.get("m", "six")).toEqual([6, 6]);
    expect(cache.get("m", long)).toEqual([7, 7]);
    cache.set("m", "y".repeat(1000), [8, 8]); // larger than the whole budget: not kept, nothing dropped
    expect(cache.size).toBe(2);
  });

  it("delete drops an entry and gives its bytes back", () => {
    const cache = new VectorMemoryCache(2 * entry(3));
    cache.set("m", "one", [1, 1]);
    cache.set("m", "two", [2, 2]);
    cache.delete("m", "one");
    cache.delete("m", "absent");
    cache.set("m", "six", [6, 6]);
    expect(cache.get("m", "one")).toBeUndefined();
    expect(cache.get("m", "two")).toEqual([2, 2]);
    expect(cache.get("m", "six")).toEqual([6, 6]);
  });

  it("replacing a vector does not count it twice", () => {
    const cache = new VectorMemoryCache(2 * entry(1));
    cache.set("m", "x", [1, 2]);
    cache.set("m", "x", [3, 4]);
    cache.set("m", "y", [5, 6]);
    expect(cache.get("m", "x")).toEqual([3, 4]);
    expect(cache.get("m", "y")).toEqual([5, 6]);
  });
});

describe("embedTexts with the memory cache in front of the database", () => {
  let db: Database;
  useScratchDatabase(pgliteBackend, (opened) => (db = opened));

  it("answers a text embedded before from memory, identical to the database's vector", async () => {
    const fresh = await embedTexts(db, { model: "glove-100d", texts: ["cat", "dog"] });
    await flushEmbeddingWrites(db);
    const fromDatabase = await getEmbeddingsByTexts(db, { model: "glove-100d", texts: ["cat"] });
    expect(fromDatabase.get("cat")).toEqual(fresh.vectors[0]);
    // Take the row away behind the cache's back: only memory can still answer without the model.
    await db.prisma.$executeRaw`UPDATE "embeddings" SET "embedding" = ${"[" + Array(100).fill(0.1).join(",") + "]"}::vector WHERE "text" = 'cat'`;
    const again = await embedTexts(db, { model: "glove-100d", texts: ["cat"] });
    expect(again.vectors[0]).toEqual(fresh.vectors[0]);
  });

  it("holds only what the database holds: a text embedded with store: false is still written when stored later", async () => {
    await embedTexts(db, { model: "glove-100d", texts: ["private"], store: false });
    expect((await getEmbeddingsByTexts(db, { model: "glove-100d", texts: ["private"] })).size).toBe(0);
    await embedTexts(db, { model: "glove-100d", texts: ["private"] });
    await flushEmbeddingWrites(db);
    expect((await getEmbeddingsByTexts(db, { model: "glove-100d", texts: ["private"] })).size).toBe(1);
  });

  it("hands out copies: changing a returned vector changes no later answer", async () => {
    const first = await embedTexts(db, { model: "glove-100d", texts: ["truck"] });
    const original = first.vectors[0].slice();
    first.vectors[0].fill(0);
    expect((await embedTexts(db, { model: "glove-100d", texts: ["truck"] })).vectors[0]).toEqual(original);
  });
});
