import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertCollection, insertDocumentsWithChunks, type NewDocument } from "@/lib/db/collection-queries";
import type { Database } from "@/lib/db/connection";
import { insertDumpedCollection, insertDumpedExploration } from "@/lib/db/dump";
import { getExplorationBySlug, insertExploration, updateExplorationBySlug } from "@/lib/db/exploration-queries";
import { testBackends, type TestDatabase } from "../support/databases";
import { failureMarker as marker, installFailureTrigger } from "../support/inject-failure";

/**
 * Every multi-row write is one transaction: a failure on its last row leaves the database exactly
 * as it was. The failure is real, injected by a trigger that raises when a row carries a marker
 * text, so it happens inside the database after the earlier rows were written.
 */

/** Every row of the tables these writes touch, to compare before and after. */
async function snapshot(db: Database): Promise<unknown> {
  const tables = ["explorations", "exploration_items", "collections", "collection_documents", "collection_chunks"];
  const result: Record<string, unknown> = {};
  for (const table of tables) {
    result[table] = await db.prisma.$queryRawUnsafe(`SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`);
  }
  return result;
}

const unit = (i: number) => Array.from({ length: 4 }, (_, j) => (j === i % 4 ? 1 : 0));

function chunk(position: number, text: string) {
  return { position, text, start: 0, end: text.length, vector: unit(position) };
}

function document(name: string, chunkTexts: string[]): NewDocument {
  return { contentHash: name.padStart(64, "0"), text: name, metadata: { name }, chunks: chunkTexts.map((text, i) => chunk(i, text)) };
}

describe.each(testBackends)("multi-row writes on $name", (backend) => {
  let handle: TestDatabase;
  let db: Database;
  let collectionId: bigint;
  let before: unknown;

  beforeAll(async () => {
    if (!backend.enabled) return;
    handle = await backend.open();
    db = handle.db;
    await installFailureTrigger(db);
    await insertExploration(db, {
      slug: "kept",
      editKeyHash: "0".repeat(64),
      title: "Kept",
      model: "glove-100d",
      cells: [],
      items: [{ text: "cat" }, { text: "dog", group: "pets" }],
    });
    const collection = await insertCollection(db, {
      publicId: "kept-collection",
      name: "Kept",
      model: "use-lite",
      isPublic: true,
      readKeyHash: "1".repeat(64),
      writeKeyHash: "2".repeat(64),
      chunkSize: 800,
      chunkOverlap: 100,
    });
    collectionId = collection.id;
    await insertDocumentsWithChunks(db, { collectionId, documents: [document("kept document", ["first", "second"])] });
  });
  afterAll(async () => handle?.dispose());

  beforeEach(async () => {
    if (backend.enabled) before = await snapshot(db);
  });

  it.skipIf(!backend.enabled)("a failing maintenance script (an index build) rolls back without taking a concurrent write with it", async () => {
    const failing = db.runMaintenance(`SELECT pg_sleep(0.2); CREATE INDEX "never_built" ON "explorations" ("title"); SELECT 1/0`);
    const write = insertExploration(db, { slug: "meanwhile", editKeyHash: "6".repeat(64), title: "Meanwhile", model: "glove-100d", cells: [], items: [{ text: "owl" }] });
    await expect(failing).rejects.toThrow(/division by zero/);
    await write;
    expect((await getExplorationBySlug(db, { slug: "meanwhile" }))?.items.map((item) => item.text)).toEqual(["owl"]);
    expect(await db.prisma.$queryRaw<unknown[]>`SELECT 1 FROM pg_indexes WHERE indexname = 'never_built'`).toEqual([]);
    await db.prisma.exploration.delete({ where: { slug: "meanwhile" } });
  });

  it.skipIf(!backend.enabled)("the trigger fails only rows carrying the marker", async () => {
    const created = await insertExploration(db, { slug: "ok", editKeyHash: "3".repeat(64), title: "Ok", model: "glove-100d", cells: [], items: [{ text: "fine" }] });
    expect(created.items).toHaveLength(1);
    await expect(insertExploration(db, { slug: "bad", editKeyHash: "4".repeat(64), title: "Bad", model: "glove-100d", cells: [], items: [{ text: marker }] })).rejects.toThrow();
  });

  it.skipIf(!backend.enabled)("saving an exploration whose last item fails stores neither it nor any item", async () => {
    const items = [{ text: "one" }, { text: "two" }, { text: marker }];
    await expect(
      insertExploration(db, { slug: "half", editKeyHash: "5".repeat(64), title: "Half", model: "glove-100d", cells: [], items }),
    ).rejects.toThrow();
    expect(await getExplorationBySlug(db, { slug: "half" })).toBeNull();
    expect(await snapshot(db)).toEqual(before);
  });

  it.skipIf(!backend.enabled)("an edit that fails after its old items were deleted keeps the old items, title and version", async () => {
    const result = updateExplorationBySlug(db, {
      slug: "kept",
      expectedVersion: 1,
      changes: { title: "Changed", items: [{ text: "bird" }, { text: marker }] },
    });
    await expect(result).rejects.toThrow();
    const kept = await getExplorationBySlug(db, { slug: "kept" });
    expect(kept).toMatchObject({ title: "Kept", version: 1 });
    expect(kept!.items.map((item) => item.text)).toEqual(["cat", "dog"]);
    expect(await snapshot(db)).toEqual(before);
  });

  it.skipIf(!backend.enabled)("a batch of documents whose last chunk fails stores no document and no chunk", async () => {
    const documents = [document("new one", ["a", "b"]), document("new two", ["c", marker])];
    await expect(insertDocumentsWithChunks(db, { collectionId, documents })).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
  });

  it.skipIf(!backend.enabled)("an import that replaces an exploration and then fails leaves the old one in place", async () => {
    const old = (await getExplorationBySlug(db, { slug: "kept" }))!;
    const { id: _id, ...fields } = old as typeof old & { id: bigint };
    const exploration = { ...fields, title: "Imported", items: [{ text: "x", group: null }, { text: marker, group: null }] };
    await expect(insertDumpedExploration(db, { exploration, replace: true })).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
  });

  it.skipIf(!backend.enabled)("an import that replaces a collection and then fails leaves the old one with its documents", async () => {
    const old = await db.prisma.collection.findUniqueOrThrow({ where: { id: collectionId } });
    const { id: _id, ...fields } = old;
    const documents = [
      { publicId: "importedDocument", contentHash: "a".repeat(64), text: "imported", metadata: {}, createdAt: new Date(), chunks: [{ ...chunk(0, "ok"), metadata: {} }, { ...chunk(1, marker), metadata: {} }] },
    ];
    await expect(insertDumpedCollection(db, { collection: { ...fields, documents }, replace: true })).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
  });
});
