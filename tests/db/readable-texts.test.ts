import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { explainNearestReadable, findNearestReadableTexts, saveEmbeddings, type ReadableSources } from "@/lib/db/queries";
import { toSql } from "@/lib/vectors";
import { testBackends, useScratchDatabase } from "../support/databases";

/** 3-d unit vectors whose order around [1, 0, 0] is obvious. */
const near = (angle: number) => [Math.cos(angle), Math.sin(angle), 0];

describe.each(testBackends)("findNearestReadableTexts({ model, vector, k, readable }) on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));
  const none: ReadableSources = { publicTexts: [], explorationSlugs: [], collectionIds: [] };

  async function seed() {
    // 200 cached texts nobody may read, nearer the query than anything readable.
    await saveEmbeddings(db, { model: "m3", entries: Array.from({ length: 200 }, (_, i) => ({ text: `private ${i}`, vector: near(0.001 * i) })) });
    await saveEmbeddings(db, { model: "m3", entries: [0.5, 0.6, 0.7, 0.8].map((angle, i) => ({ text: `readable ${i}`, vector: near(angle) })) });
    await db.prisma.exploration.create({
      data: {
        slug: "readableTexts001",
        editKeyHash: "0".repeat(64),
        title: "Mine",
        model: "m3",
        cells: [],
        items: { create: ["readable 2", "readable 3", "never embedded"].map((text, position) => ({ text, position })) },
      },
    });
    const collection = async (publicId: string, isPublic: boolean, text: string, angle: number) => {
      const row = await db.prisma.collection.create({
        data: { publicId, name: publicId, model: "m3", isPublic, readKeyHash: "0".repeat(64), writeKeyHash: "0".repeat(64), chunkSize: 100, chunkOverlap: 0 },
      });
      const [document] = await db.prisma.$queryRaw<{ id: bigint }[]>`
        INSERT INTO "collection_documents" ("collection_id", "content_hash", "text", "public_id") VALUES (${row.id}, ${"0".repeat(64)}, ${text}, ${`${publicId}-document`})
        RETURNING "id"`;
      await db.prisma.$executeRaw`
        INSERT INTO "collection_chunks" ("collection_id", "document_id", "position", "text", "start_offset", "end_offset", "dims", "embedding")
        VALUES (${row.id}, ${document.id}, 0, ${text}, 0, ${text.length}, 3, ${toSql(near(angle))}::vector)`;
      return row.id;
    };
    await collection("publicOne", true, "public chunk", 0.55);
    return { privateId: await collection("privateOne", false, "private chunk", 0.01) };
  }

  it.skipIf(!backend.enabled)("returns k readable texts best first, however many nearer texts nobody may read", async () => {
    const { privateId } = await seed();
    const readable = { publicTexts: ["readable 0", "readable 1"], explorationSlugs: [], collectionIds: [] };
    const found = await findNearestReadableTexts(db, { model: "m3", vector: near(0), k: 3, readable });
    expect(found.map((result) => result.text)).toEqual(["readable 0", "public chunk", "readable 1"]);
    expect(found[0].score).toBeCloseTo(Math.cos(0.5), 5);

    const named = await findNearestReadableTexts(db, { model: "m3", vector: near(0), k: 10, readable: { ...readable, explorationSlugs: ["readableTexts001"], collectionIds: [privateId] } });
    expect(named.map((result) => result.text)).toEqual(["private chunk", "readable 0", "public chunk", "readable 1", "readable 2", "readable 3"]);
  });

  it.skipIf(!backend.enabled)("answers nothing but public chunks when nothing else is readable; excludes the query's texts", async () => {
    expect((await findNearestReadableTexts(db, { model: "m3", vector: near(0), k: 5, readable: none })).map((result) => result.text)).toEqual(["public chunk"]);
    const excluded = await findNearestReadableTexts(db, { model: "m3", vector: near(0), k: 5, excludeTexts: ["public chunk", "readable 0"], readable: { ...none, publicTexts: ["readable 0", "readable 1"] } });
    expect(excluded.map((result) => result.text)).toEqual(["readable 1"]);
  });

  it.skipIf(!backend.enabled)("reads the readable rows by index, never a whole table of vectors", async () => {
    // As in embedding-index.test.ts: what matters is that the query's shape lets each side use its
    // index, whatever the statistics of the moment, so sequential scans are ruled out for the plan.
    const plan = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return explainNearestReadable({ ...db, prisma: tx as typeof db.prisma }, {
        model: "m3",
        vector: near(0),
        k: 10,
        readable: { publicTexts: ["readable 0"], explorationSlugs: ["readableTexts001"], collectionIds: [] },
      });
    });
    expect(plan).not.toMatch(/Seq Scan on embeddings|Seq Scan on collection_chunks/);
    expect(plan).toMatch(/Index (Only )?Scan using embeddings_text_hash_model_key/);
    expect(plan).toMatch(/collection_chunks_collection_id_idx/);
  });
});
