import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDocuments, createCollection, getCollection, listCollectionDocuments, removeDocument, searchCollection } from "@/lib/collections/service";
import type { Database } from "@/lib/db/connection";
import { getEmbeddingsByTexts } from "@/lib/db/queries";
import { createExploration, forkExploration, readExploration, updateExploration } from "@/lib/explorations/service";
import { exportDump, type ExportOptions } from "@/lib/transfer/export";
import { parseDump } from "@/lib/transfer/format";
import { importDump } from "@/lib/transfer/import";
import { testBackends, type TestDatabase } from "../support/databases";

/** The dump as one string (what the script writes to a file). */
async function exportText(db: Database, options: ExportOptions = {}): Promise<string> {
  let text = "";
  await exportDump(db, async (piece) => void (text += piece), { now: new Date("2026-01-01T00:00:00Z"), ...options });
  return text;
}

const documents: { text: string; metadata: Record<string, string | number> }[] = [
  { text: "Apples grow on trees in orchards. They are picked in autumn and keep for months in a cool cellar.", metadata: { topic: "food" } },
  { text: "A diesel engine ignites its fuel by compression alone, without a spark plug, which makes it efficient.", metadata: { topic: "machines", year: 1893 } },
  { text: "The Pacific is the largest and deepest ocean; the Mariana Trench reaches almost eleven kilometres down.", metadata: { topic: "geography" } },
];
const question = { query: "Which engine works without spark plugs?", k: 3 };

describe.each(testBackends)("exportDump → importDump on $name", (backend) => {
  let source: TestDatabase;
  const slugs: string[] = [];
  let editKey: string;
  let keys: { id: string; readKey: string; writeKey: string };

  beforeAll(async () => {
    if (!backend.enabled) return;
    source = await backend.open();
    const animals = await createExploration(source.db, {
      title: "Animals and vehicles",
      model: "use-lite",
      items: [{ text: "cat", group: "animals" }, { text: "dog", group: "animals" }, { text: "car" }, { text: "truck" }],
    });
    editKey = animals.editKey;
    await updateExploration(source.db, { slug: animals.exploration.slug, editKey, changes: { title: "Animals and vehicles, edited" } });
    const fork = await forkExploration(source.db, { slug: animals.exploration.slug });
    slugs.push(animals.exploration.slug, fork.exploration.slug);
    const created = await createCollection(source.db, { name: "Private notes", model: "use-lite", public: false, chunking: { size: 100, overlap: 10 } });
    keys = { id: created.collection.id, readKey: created.readKey, writeKey: created.writeKey };
    await addDocuments(source.db, { id: keys.id, key: keys.writeKey, documents });
  });
  afterAll(async () => source?.dispose());

  describe.each([{ withVectors: true }, { withVectors: false }])("withVectors: $withVectors", ({ withVectors }) => {
    let target: TestDatabase;
    let dump: string;

    beforeAll(async () => {
      if (!backend.enabled) return;
      target = await backend.open();
      dump = await exportText(source.db, { withVectors });
    });
    afterAll(async () => target?.dispose());

    it.skipIf(!backend.enabled)("imports every exploration and collection and reports the counts", async () => {
      const report = await importDump(target.db, parseDump(dump));
      expect(report.explorations).toEqual({ inserted: 2, replaced: 0, skipped: 0 });
      const chunks = (await getCollection(source.db, { id: keys.id, key: keys.readKey })).chunks;
      expect(chunks).toBeGreaterThan(3);
      expect(report.collections).toEqual({ inserted: 1, replaced: 0, skipped: 0, documents: 3, chunks, reembeddedChunks: withVectors ? 0 : chunks });
    });

    it.skipIf(!backend.enabled)("exporting the imported database gives the same dump, vectors included", async () => {
      expect(await exportText(target.db, { withVectors: true })).toEqual(await exportText(source.db, { withVectors: true }));
    });

    it.skipIf(!backend.enabled)("re-embedded chunks stay out of the shared embeddings cache", async () => {
      expect(await target.db.prisma.embedding.count()).toBe(0);
    });

    it.skipIf(!backend.enabled)("readExploration gives the same explorations, coordinates included", async () => {
      for (const slug of slugs) {
        const before = await readExploration(source.db, { slug });
        expect(before.cells.some((cell) => cell.type === "map" && cell.layout && cell.layout.points.length === 4)).toBe(true);
        expect(await readExploration(target.db, { slug })).toEqual(before);
      }
    });

    it.skipIf(!backend.enabled)("searchCollection answers the same, document and chunk ids included, with the old read key", async () => {
      const before = await searchCollection(source.db, { id: keys.id, key: keys.readKey, ...question });
      const after = await searchCollection(target.db, { id: keys.id, key: keys.readKey, ...question });
      expect(after.results).toEqual(before.results);
      expect(after.results[0].text).toContain("diesel");
    });

    it.skipIf(!backend.enabled)("the collection keeps its description, documents and keys", async () => {
      const before = await getCollection(source.db, { id: keys.id, key: keys.writeKey });
      expect(await getCollection(target.db, { id: keys.id, key: keys.writeKey })).toEqual(before);
      expect((await getCollection(target.db, { id: keys.id, key: keys.readKey })).access).toBe("read");
      expect((await listCollectionDocuments(target.db, { id: keys.id, key: keys.readKey })).documents).toEqual((await listCollectionDocuments(source.db, { id: keys.id, key: keys.readKey })).documents);
    });

    it.skipIf(!backend.enabled)("importing the same dump again skips everything and writes nothing", async () => {
      const before = await exportText(target.db, { withVectors: true });
      const report = await importDump(target.db, parseDump(dump));
      expect(report.explorations).toEqual({ inserted: 0, replaced: 0, skipped: 2 });
      expect(report.collections).toEqual({ inserted: 0, replaced: 0, skipped: 1, documents: 0, chunks: 0, reembeddedChunks: 0 });
      expect(await exportText(target.db, { withVectors: true })).toEqual(before);
    });

    it.skipIf(!backend.enabled)("the old edit key edits and the old write key adds documents", async () => {
      const { exploration: edited } = await updateExploration(target.db, { slug: slugs[0], editKey, changes: { title: "Edited after the move" } });
      expect(edited.title).toBe("Edited after the move");
      expect(edited.version).toBe(3);
      const added = await addDocuments(target.db, { id: keys.id, key: keys.writeKey, documents: [{ text: "Bees make honey from nectar." }] });
      expect(added[0].duplicate).toBe(false);
    });

    it.skipIf(!backend.enabled)("--replace puts back the exported state over later edits", async () => {
      const report = await importDump(target.db, parseDump(dump), { replace: true });
      expect(report.explorations).toEqual({ inserted: 0, replaced: 2, skipped: 0 });
      expect(report.collections.replaced).toBe(1);
      expect(await exportText(target.db, { withVectors: true })).toEqual(await exportText(source.db, { withVectors: true }));
    });
  });

  it.skipIf(!backend.enabled)("--cache carries the shared embeddings cache", async () => {
    const target = await backend.open();
    try {
      const dump = parseDump(await exportText(source.db, { withCache: true }));
      expect(dump.embeddings?.map((entry) => entry.text).sort()).toEqual(["car", "cat", "dog", "truck"]);
      expect((await importDump(target.db, dump)).embeddings).toBe(4);
      const texts = ["cat", "dog", "car", "truck"];
      expect(await getEmbeddingsByTexts(target.db, { model: "use-lite", texts })).toEqual(await getEmbeddingsByTexts(source.db, { model: "use-lite", texts }));
    } finally {
      await target.dispose();
    }
  });

  it.skipIf(!backend.enabled)("a version 1 dump, whose documents have no ids, imports with new ones that delete work with", async () => {
    const target = await backend.open();
    try {
      const dump = JSON.parse(await exportText(source.db, { withVectors: true }));
      dump.version = 1;
      for (const document of dump.collections[0].documents) delete document.publicId;
      expect((await importDump(target.db, parseDump(JSON.stringify(dump)))).collections.inserted).toBe(1);
      const before = (await listCollectionDocuments(source.db, { id: keys.id, key: keys.readKey })).documents;
      const after = (await listCollectionDocuments(target.db, { id: keys.id, key: keys.readKey })).documents;
      expect(after.map(({ documentId: _id, ...rest }) => rest)).toEqual(before.map(({ documentId: _id, ...rest }) => rest));
      expect(after.every((document) => /^[A-Za-z0-9_-]{16}$/.test(document.documentId))).toBe(true);
      expect(new Set(after.map((document) => document.documentId)).size).toBe(after.length);
      await removeDocument(target.db, { id: keys.id, key: keys.writeKey, documentId: after[0].documentId });
      expect((await listCollectionDocuments(target.db, { id: keys.id, key: keys.readKey })).documents).toEqual(after.slice(1));
    } finally {
      await target.dispose();
    }
  });

  it.skipIf(!backend.enabled)("an empty database exports a dump that parses and imports nothing", async () => {
    const empty = await backend.open();
    try {
      const dump = parseDump(await exportText(empty.db));
      expect(dump).toEqual({ format: "embeddings-notebook/dump", version: 2, exportedAt: "2026-01-01T00:00:00.000Z", withVectors: false, explorations: [], collections: [] });
    } finally {
      await empty.dispose();
    }
  });
});
