import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector as pgvector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  addDocuments,
  countDocumentTokens,
  createCollection,
  listCollectionChunks,
  listCollectionDocuments,
  mapCollection,
  removeDocument,
  searchCollection,
} from "@/lib/collections/service";
import type { Database } from "@/lib/db/connection";
import { migrationsDir, readMigrations, runMigrations, type SqlScriptRunner } from "@/lib/db/migrate";
import { createScratchDatabase, testBackends, useScratchDatabase, type TestBackend } from "../support/databases";

/**
 * Issue 19, finding 3: the API answered with the documents' sequential database ids (12, 13, 14),
 * which told a client holding one collection how much the whole server held. Ids are now opaque:
 * random per document, and a chunk's id is its document's and its position.
 */

const wellFormed = /^[A-Za-z0-9_-]{16}$/;
const note = (collection: string, i: number) =>
  `${collection} note ${i}: the swifts came back to the church tower on day ${i}. The bells rang at noon and the swallows left the barn before the first frost.`;

/** Every value under a key named `id` or `…Id`, anywhere in a reply. */
function idsIn(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((item) => idsIn(item, found));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "id" || key.endsWith("Id")) found.push(inner);
      idsIn(inner, found);
    }
  }
  return found;
}

describe.each(testBackends)("document and chunk ids on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  async function collectionWith(name: string, count: number) {
    const created = await createCollection(db, { name, model: "use-lite", public: false, chunking: { size: 100, overlap: 0 } });
    const keys = { id: created.collection.id, key: created.writeKey };
    const added = await addDocuments(db, { ...keys, documents: Array.from({ length: count }, (_, i) => ({ text: note(name, i) })) });
    return { keys, added };
  }

  it.skipIf(!backend.enabled)("a new collection's ids say nothing about the documents elsewhere on the server, in any reply", async () => {
    const busy = await collectionWith("Busy", 40);
    const fresh = await collectionWith("Fresh", 3);
    const internal = await db.prisma.collectionDocument.findMany({ where: { collection: { publicId: fresh.keys.id } }, select: { id: true } });
    expect(internal.map((row) => Number(row.id)).every((id) => id > 40)).toBe(true); // the database's own ids do count them

    const replies = {
      added: fresh.added,
      documents: (await listCollectionDocuments(db, fresh.keys)).documents,
      chunks: await listCollectionChunks(db, { ...fresh.keys, limit: 100, offset: 0 }),
      search: await searchCollection(db, { ...fresh.keys, query: "swifts church tower", k: 5 }),
      map: await mapCollection(db, { ...fresh.keys, question: "swifts" }),
      tokens: await countDocumentTokens(db, { ...fresh.keys, tokenizer: "o200k_base" }),
    };
    for (const [name, reply] of Object.entries(replies)) {
      const ids = idsIn(reply);
      expect(ids.length, name).toBeGreaterThan(0);
      expect(ids.filter((id) => typeof id !== "string"), name).toEqual([]);
      for (const row of internal) expect(ids, name).not.toContain(String(row.id));
    }

    const documentIds = fresh.added.map((document) => document.documentId);
    expect(documentIds.every((id) => wellFormed.test(id))).toBe(true);
    const elsewhere = new Set(busy.added.map((document) => document.documentId));
    expect(new Set([...documentIds, ...elsewhere]).size).toBe(43);
    // Not a counter in disguise: three ids made one after another do not even share a prefix.
    expect(new Set(documentIds.map((id) => id.slice(0, 4))).size).toBe(3);
    expect(replies.documents.map((document) => document.documentId)).toEqual(documentIds);
    for (const chunk of replies.chunks) expect(chunk.chunkId).toBe(`${chunk.documentId}.${chunk.position}`);
    expect(replies.search.results.every((result) => result.chunkId === `${result.documentId}.${result.position}` && documentIds.includes(result.documentId))).toBe(true);
  });

  it.skipIf(!backend.enabled)("deleting by another collection's document id, or by the database's id, is 404 and deletes nothing", async () => {
    const mine = await collectionWith("Mine", 2);
    const theirs = await collectionWith("Theirs", 2);
    const foreign = theirs.added[0].documentId;
    await expect(removeDocument(db, { ...mine.keys, documentId: foreign })).rejects.toMatchObject({ code: "not_found:document", status: 404 });
    const [row] = await db.prisma.collectionDocument.findMany({ where: { collection: { publicId: mine.keys.id } }, select: { id: true }, take: 1 });
    await expect(removeDocument(db, { ...mine.keys, documentId: String(row.id) })).rejects.toMatchObject({
      code: "not_found:document",
      message: expect.stringContaining("document ids are the 16 letters, digits, '-' and '_'"),
    });
    expect((await listCollectionDocuments(db, theirs.keys)).documents.map((document) => document.documentId)).toEqual(theirs.added.map((document) => document.documentId));
    expect((await listCollectionDocuments(db, mine.keys)).documents).toHaveLength(2);

    await removeDocument(db, { ...mine.keys, documentId: mine.added[0].documentId });
    expect((await listCollectionDocuments(db, mine.keys)).documents.map((document) => document.documentId)).toEqual([mine.added[1].documentId]);
  });
});

/** A bare database on `backend` with a migration runner, for migrating from an earlier state. */
async function bareDatabase(backend: TestBackend): Promise<{ runner: SqlScriptRunner; close(): Promise<void> }> {
  if (backend.name === "pglite") {
    const client = await PGlite.create("memory://", { extensions: { vector: pgvector } });
    return {
      runner: {
        exec: async (script) => void (await client.exec(script)),
        query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
      },
      close: () => client.close(),
    };
  }
  const { url, drop } = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    runner: { exec: async (script) => void (await client.query(script)), query: async (text, params) => (await client.query(text, params)).rows },
    close: async () => {
      await client.end();
      await drop();
    },
  };
}

describe.each(testBackends)("the migration that gives documents public ids, on $name", (backend) => {
  it.skipIf(!backend.enabled)("gives every stored document a distinct well-formed id, and finished jobs' results the new ids", async () => {
    const migrations = readMigrations();
    const index = migrations.findIndex((migration) => migration.name.endsWith("_document_public_ids"));
    expect(index).toBeGreaterThan(0);
    const earlier = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "notebook-migration-")), "migrations");
    for (const { name } of migrations.slice(0, index)) fs.cpSync(path.join(migrationsDir, name), path.join(earlier, name), { recursive: true });
    const { runner, close } = await bareDatabase(backend);
    try {
      await runMigrations(runner, { lock: false, dir: earlier });
      // As the app stored them before: two collections, documents with numeric ids in job results.
      const hash = (i: number) => String(i).padStart(64, "0");
      await runner.exec(`
        INSERT INTO "collections" ("public_id", "name", "model", "read_key_hash", "write_key_hash", "chunk_size", "chunk_overlap")
        VALUES ('first', 'First', 'use-lite', '${hash(0)}', '${hash(0)}', 100, 10), ('second', 'Second', 'use-lite', '${hash(0)}', '${hash(0)}', 100, 10);
        INSERT INTO "collection_documents" ("collection_id", "content_hash", "text")
        SELECT 1 + (i % 2), lpad(i::text, 64, '0'), 'Text ' || i FROM generate_series(1, 200) AS i;
        INSERT INTO "jobs" ("public_id", "kind", "collection_id", "items_total") VALUES ('job', 'documents', 1, 4);
        INSERT INTO "job_items" ("job_id", "position", "result") VALUES
          (1, 0, '{"status": "added", "documentId": 2, "chunks": 1, "duplicate": false}'),
          (1, 1, '{"status": "duplicate", "documentId": 4, "chunks": 0, "duplicate": true}'),
          (1, 2, '{"status": "added", "documentId": 999, "chunks": 1, "duplicate": false}'),
          (1, 3, '{"status": "failed", "error": {"code": "unreadable:texts", "message": "x"}}');`);
      expect(await runMigrations(runner, { lock: false })).toEqual(migrations.slice(index).map((migration) => migration.name));

      const documents = await runner.query(`SELECT "id"::int AS "id", "public_id" FROM "collection_documents" ORDER BY "id"`);
      expect(documents).toHaveLength(200);
      expect(documents.every((row) => wellFormed.test(String(row.public_id)))).toBe(true);
      expect(new Set(documents.map((row) => row.public_id)).size).toBe(200);
      const publicIdOf = (id: number) => documents.find((row) => row.id === id)!.public_id;
      const results = await runner.query(`SELECT "result" FROM "job_items" ORDER BY "position"`);
      expect(results.map((row) => row.result)).toEqual([
        { status: "added", documentId: publicIdOf(2), chunks: 1, duplicate: false },
        { status: "duplicate", documentId: publicIdOf(4), chunks: 0, duplicate: true },
        { status: "added", chunks: 1, duplicate: false },
        { status: "failed", error: { code: "unreadable:texts", message: "x" } },
      ]);
      await expect(runner.exec(`INSERT INTO "collection_documents" ("collection_id", "content_hash", "text") VALUES (1, '${"f".repeat(64)}', 'no id')`)).rejects.toThrow(/public_id/);
      await expect(
        runner.exec(`INSERT INTO "collection_documents" ("collection_id", "public_id", "content_hash", "text") VALUES (1, '${publicIdOf(2)}', '${"e".repeat(64)}', 'same id')`),
      ).rejects.toThrow(/collection_documents_collection_id_public_id_key/);
    } finally {
      await close();
    }
  });
});
