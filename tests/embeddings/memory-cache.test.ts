import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { getEmbeddingsByTexts } from "@/lib/db/queries";
import { VectorMemoryCache } from "@/lib/embeddings/memory-cache";
import { embedTexts } from "@/lib/embeddings/service";
import { pgliteBackend, type TestDatabase } from "../support/databases";

describe("VectorMemoryCache", () => {
  it("answers what was set, per model, as a copy the caller may change", () => {
    const cache = new VectorMemoryCache(100);
    cache.set("a", "cat", [1, 2, 3]);
    const first = cache.get("a", "cat")!;
    first[0] = 99;
    expect(cache.get("a", "cat")).toEqual([1, 2, 3]);
    expect(cache.get("b", "cat")).toBeUndefined();
  });

  it("keeps at most maxValues numbers, dropping the least recently used vectors first", () => {
    const cache = new VectorMemoryCache(6);
    cache.set("m", "one", [1, 1]);
    cache.set("m", "two", [2, 2]);
    cache.set("m", "three", [3, 3]);
    cache.get("m", "one"); // now "two" is the least recently used
    cache.set("m", "four", [4, 4]);
    expect(cache.get("m", "two")).toBeUndefined();
    expect(cache.get("m", "one")).toEqual([1, 1]);
    expect(cache.get("m", "three")).toEqual([3, 3]);
    expect(cache.get("m", "four")).toEqual([4, 4]);
    expect(cache.size).toBe(3);
  });

  it("replacing a vector does not count it twice, and a vector larger than the bound is not kept", () => {
    const cache = new VectorMemoryCache(4);
    cache.set("m", "x", [1, 2]);
    cache.set("m", "x", [3, 4]);
    cache.set("m", "y", [5, 6]);
    expect(cache.get("m", "x")).toEqual([3, 4]);
    expect(cache.get("m", "y")).toEqual([5, 6]);
    cache.set("m", "huge", [1, 2, 3, 4, 5]);
    expect(cache.get("m", "huge")).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});

describe("embedTexts with the memory cache in front of the database", () => {
  let handle: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    handle = await pgliteBackend.open();
    db = handle.db;
  });
  afterAll(async () => handle?.dispose());

  it("answers a text embedded before from memory, identical to the database's vector", async () => {
    const fresh = await embedTexts(db, { model: "glove-100d", texts: ["cat", "dog"] });
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
    expect((await getEmbeddingsByTexts(db, { model: "glove-100d", texts: ["private"] })).size).toBe(1);
  });

  it("hands out copies: changing a returned vector changes no later answer", async () => {
    const first = await embedTexts(db, { model: "glove-100d", texts: ["truck"] });
    const original = first.vectors[0].slice();
    first.vectors[0].fill(0);
    expect((await embedTexts(db, { model: "glove-100d", texts: ["truck"] })).vectors[0]).toEqual(original);
  });
});
