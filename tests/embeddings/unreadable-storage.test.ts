import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites, saveEmbeddings } from "@/lib/db/queries";
import { searchNearest } from "@/lib/embeddings/search";
import { embedTexts } from "@/lib/embeddings/service";
import { useLite } from "@/lib/embeddings/use-lite";
import { createExploration } from "@/lib/explorations/service";
import { testBackends, useScratchDatabase } from "../support/databases";

const essayWords = ["猫", "动物", "宠物", "汽车", "卡车", "香蕉"];

describe.each(testBackends)("texts a model cannot read, on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));
  const storedRows = async () => (await flushEmbeddingWrites(db), db.prisma.embedding.count());
  const explorations = () => db.prisma.exploration.count();

  it.skipIf(!backend.enabled)("are refused by name before anything is embedded or stored, readable texts of the batch included", async () => {
    const before = await storedRows();
    await expect(embedTexts(db, { model: "use-lite", texts: ["cat", ...essayWords] })).rejects.toMatchObject({
      code: "unreadable:texts",
      details: { texts: essayWords },
    });
    expect(await storedRows()).toBe(before);
  });

  it.skipIf(!backend.enabled)("are embedded with a warning when only some pieces are unknown", async () => {
    const { vectors, warnings } = await embedTexts(db, { model: "use-lite", texts: ["my cat 猫 sleeps", "dog"] });
    expect(vectors).toHaveLength(2);
    expect(warnings).toEqual([expect.objectContaining({ code: "unknown_pieces", text: "my cat 猫 sleeps", unknown: ["猫"] })]);
    // Asked again, the vector comes from the cache and the warning still comes with it.
    expect((await embedTexts(db, { model: "use-lite", texts: ["my cat 猫 sleeps"] })).warnings).toHaveLength(1);
  });

  it.skipIf(!backend.enabled)("keep an exploration from being saved, and nothing of it is written", async () => {
    const before = await explorations();
    await expect(
      createExploration(db, { title: "猫", model: "use-lite", items: essayWords.map((text) => ({ text })) }),
    ).rejects.toMatchObject({ code: "unreadable:texts" });
    expect(await explorations()).toBe(before);
  });

  it.skipIf(!backend.enabled)("stored before texts were checked, never come back as neighbours", async () => {
    // Vectors use-lite gave Chinese words before: one and the same vector for every one of them.
    const [unknownPiece] = await useLite.embed(["猫"]);
    await saveEmbeddings(db, { model: "use-lite", entries: ["老虎", "狮子"].map((text) => ({ text, vector: unknownPiece })) });
    await embedTexts(db, { model: "use-lite", texts: ["a cat", "a tiger"] });
    // An exploration saved before texts were checked holds them all; its slug makes them searchable.
    await db.prisma.exploration.create({
      data: { slug: "unreadableItems1", editKeyHash: "0".repeat(64), title: "Old", model: "use-lite", cells: [], items: { create: ["a cat", "a tiger", "老虎", "狮子"].map((text, position) => ({ text, position })) } },
    });
    const { results } = await searchNearest(db, { model: "use-lite", query: "a lion", k: 10, scope: "texts", within: { explorations: ["unreadableItems1"], collections: [] } });
    expect(results.map(({ text }) => text)).toContain("a tiger");
    expect(results.map(({ text }) => text)).not.toContain("老虎");
    expect(results.map(({ text }) => text)).not.toContain("狮子");
  });
});
