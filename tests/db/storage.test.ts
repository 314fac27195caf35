import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { readMigrations, runMigrations } from "@/lib/db/migrate";
import {
  findNearestEmbeddings,
  getEmbeddingsByTexts,
  saveEmbeddings,
} from "@/lib/db/queries";
import { normalize } from "@/lib/vectors";
import { testBackends, useScratchDatabase } from "../support/databases";

/** A deterministic unit vector of `dims` dimensions pointing roughly along `seed`. */
function vectorNear(seed: number[], dims: number, jitter = 0): number[] {
  return normalize(Array.from({ length: dims }, (_, i) => (seed[i % seed.length] ?? 0) + jitter * Math.sin(i * 7.1 + jitter)));
}

describe.each(testBackends)("storage on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("records every migration in _prisma_migrations with Prisma's checksum", async () => {
    const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations" ORDER BY "migration_name"`;
    const files = readMigrations();
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    expect(rows.map((row) => row.checksum)).toEqual(files.map((file) => file.checksum));
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  it.skipIf(!backend.enabled)("applies nothing the second time migrations run", async () => {
    const applied = await runMigrations(
      {
        exec: async (script) => void (await db.prisma.$executeRawUnsafe(script)),
        query: (text, params = []) => db.prisma.$queryRawUnsafe(text, ...params),
      },
      { lock: false },
    );
    expect(applied).toEqual([]);
  });

  it.skipIf(!backend.enabled)("stores vectors once per (model, text) and reads them back exactly", async () => {
    const cat = vectorNear([1, 1, 1], 512);
    await saveEmbeddings(db, { model: "m512", entries: [{ text: "cat", vector: cat }] });
    await saveEmbeddings(db, { model: "m512", entries: [{ text: "cat", vector: vectorNear([2, 0, 0], 512) }] });
    await saveEmbeddings(db, { model: "other", entries: [{ text: "cat", vector: vectorNear([0, 0, 1], 512) }] });
    const stored = await getEmbeddingsByTexts(db, { model: "m512", texts: ["cat", "never-stored"] });
    expect([...stored.keys()]).toEqual(["cat"]);
    expect(stored.get("cat")).toEqual(cat);
    const count = await db.prisma.embedding.count({ where: { text: "cat" } });
    expect(count).toBe(2);
  });

  it.skipIf(!backend.enabled)("keys long texts by hash: a 10,000-character text is stored", async () => {
    const long = "word ".repeat(2000).trim();
    await saveEmbeddings(db, { model: "m512", entries: [{ text: long, vector: vectorNear([3, 1], 512) }] });
    const stored = await getEmbeddingsByTexts(db, { model: "m512", texts: [long] });
    expect(stored.has(long)).toBe(true);
  });

  it.skipIf(!backend.enabled)("writes nothing when one row of a batch is invalid", async () => {
    const before = await db.prisma.embedding.count();
    const entries = [
      { text: "good", vector: vectorNear([1, 0], 512) },
      { text: "bad", vector: [Number.NaN, ...vectorNear([1, 0], 511)] },
    ];
    await expect(saveEmbeddings(db, { model: "m512", entries })).rejects.toThrow();
    expect(await db.prisma.embedding.count()).toBe(before);
  });

  it.skipIf(!backend.enabled)("finds nearest texts best first, excluding the query text and other models", async () => {
    const entries = [
      { text: "a", vector: vectorNear([1, 1, 1], 100) },
      { text: "b", vector: vectorNear([1, 1, 2], 100) },
      { text: "c", vector: vectorNear([2, 2, -2], 100) },
      { text: "d", vector: vectorNear([-1, -1, -1], 100) },
    ];
    await saveEmbeddings(db, { model: "m100", entries });
    await saveEmbeddings(db, { model: "decoy", entries: [{ text: "x", vector: vectorNear([1, 1, 1], 100) }] });
    const results = await findNearestEmbeddings(db, { model: "m100", vector: entries[0].vector, k: 3, excludeTexts: ["a"] });
    expect(results.map((result) => result.text)).toEqual(["b", "c", "d"]);
    expect(results[0].score).toBeCloseTo(4 / Math.sqrt(18), 5);
    expect(results[2].score).toBeCloseTo(-1, 5);
  });

  it.skipIf(!backend.enabled)("returns k rows when a filtered HNSW scan has to look past ef_search", async () => {
    // 300 rows of another model crowd the graph near the query; the 60 of ours lie further out.
    const decoys = Array.from({ length: 300 }, (_, i) => ({ text: `decoy ${i}`, vector: vectorNear([1, 1, 1], 100, 0.01 * (i + 1)) }));
    const ours = Array.from({ length: 60 }, (_, i) => ({ text: `ours ${i}`, vector: vectorNear([1, -1, 1], 100, 0.01 * (i + 1)) }));
    await saveEmbeddings(db, { model: "crowd", entries: decoys });
    await saveEmbeddings(db, { model: "sparse", entries: ours });
    const results = await findNearestEmbeddings(db, { model: "sparse", vector: vectorNear([1, 1, 1], 100), k: 50 });
    expect(results).toHaveLength(50);
    expect(results.every((result) => result.text.startsWith("ours"))).toBe(true);
  });

  it.skipIf(!backend.enabled)("rejects a vector whose length disagrees with its dims column", async () => {
    await expect(
      db.prisma.$executeRaw`INSERT INTO "embeddings" ("model", "text", "text_hash", "dims", "embedding")
        VALUES ('m', 't', ${"0".repeat(64)}, 3, '[1,2]'::vector)`,
    ).rejects.toThrow(/embeddings_dims_check/);
  });
});
