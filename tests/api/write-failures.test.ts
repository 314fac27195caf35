import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { failureMarker, injectedFailureMessage, installFailureTrigger } from "../support/inject-failure";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

// A database failure in the middle of a multi-row write, through the API: a plain 500 that says
// nothing of the database, and nothing of the write left behind.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-write-failures-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const explorations = await import("@/app/api/explorations/route");
const exploration = await import("@/app/api/explorations/[slug]/route");
const collections = await import("@/app/api/collections/route");
const documents = await import("@/app/api/collections/[id]/documents/route");

let db: Database;
beforeAll(async () => {
  db = await getDatabase();
  await installFailureTrigger(db);
});
afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const params = <P extends Record<string, string>>(values: P) => ({ params: Promise.resolve(values) });
const withKey = (key: string, method = "POST") => ({ method, headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });

function expectPlainServerError({ status, body }: { status: number; body: ErrorReply }): void {
  expect(status).toBe(500);
  expect(body.error.code).toMatch(/^internal:/);
  expect(JSON.stringify(body)).not.toContain(injectedFailureMessage);
  expect(JSON.stringify(body)).not.toMatch(/INSERT|exploration_items|collection_chunks|prisma/i);
}

describe("a write that fails inside the database", () => {
  it("saving an exploration: 500, and no exploration or item is stored", async () => {
    const before = await db.prisma.exploration.count();
    const items = [{ text: "first" }, { text: "second" }, { text: failureMarker }];
    const reply = await readJson<ErrorReply>(await explorations.POST(jsonRequest("/api/explorations", { title: "Half", model: "use-lite", items }), {}));
    expectPlainServerError(reply);
    expect(await db.prisma.exploration.count()).toBe(before);
    expect(await db.prisma.explorationItem.count({ where: { text: { in: ["first", "second"] } } })).toBe(0);
  });

  it("editing an exploration's items: 500, and the saved version is untouched", async () => {
    const created = await readJson<{ slug: string; editKey: string }>(
      await explorations.POST(jsonRequest("/api/explorations", { title: "Kept", model: "use-lite", items: [{ text: "cat" }, { text: "dog" }] }), {}),
    );
    expect(created.status).toBe(201);
    const { slug, editKey } = created.body;
    const body = { title: "Changed", items: [{ text: "bird" }, { text: failureMarker }] };
    const reply = await readJson<ErrorReply>(
      await exploration.PATCH(jsonRequest(`/api/explorations/${slug}`, body, withKey(editKey, "PATCH")), params({ slug })),
    );
    expectPlainServerError(reply);
    const kept = await readJson<{ title: string; version: number; items: { text: string }[] }>(
      await exploration.GET(new Request(`http://localhost/api/explorations/${slug}`), params({ slug })),
    );
    expect(kept.body).toMatchObject({ title: "Kept", version: 1 });
    expect(kept.body.items.map((item) => item.text)).toEqual(["cat", "dog"]);
  });

  it("adding a batch of documents: 500, and none of the batch is stored", async () => {
    const created = await readJson<{ id: string; writeKey: string }>(await collections.POST(jsonRequest("/api/collections", { name: "Notes" }), {}));
    const { id, writeKey } = created.body;
    const batch = { documents: [{ text: "A first document that is fine." }, { text: failureMarker }] };
    const reply = await readJson<ErrorReply>(
      await documents.POST(jsonRequest(`/api/collections/${id}/documents`, batch, withKey(writeKey)), params({ id })),
    );
    expectPlainServerError(reply);
    const row = await db.prisma.collection.findUniqueOrThrow({ where: { publicId: id } });
    expect(await db.prisma.collectionDocument.count({ where: { collectionId: row.id } })).toBe(0);
    expect(await db.prisma.collectionChunk.count({ where: { collectionId: row.id } })).toBe(0);
  });
});
