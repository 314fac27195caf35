import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

/**
 * Upload jobs through the route handlers, on the process-wide embedded database and its runner
 * (started by getDatabase, as in the app): 202 with Prefer: respond-async, progress and results,
 * listing, cancelling, keys and limits.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-collection-jobs-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;
process.env.RATE_LIMIT_WRITE_PER_MINUTE = "0";

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { collectionLimits } = await import("@/lib/collections/schemas");
const create = await import("@/app/api/collections/route");
const documents = await import("@/app/api/collections/[id]/documents/route");
const jobs = await import("@/app/api/collections/[id]/jobs/route");
const oneJob = await import("@/app/api/collections/[id]/jobs/[job]/route");

type Created = { id: string; readKey: string; writeKey: string };
type Count = { done: number; total: number | null };
type Job = {
  id: string;
  url: string;
  state: string;
  cancelRequested: boolean;
  progress: { documents: Count; chunks: Count; chunksPerSecond: number | null; etaSeconds: number | null };
  error: { code: string; message: string } | null;
  documents?: { index: number; label?: string; status: string; documentId?: string; chunks?: number; duplicate?: boolean }[];
};

const context = <Params extends Record<string, string>>(params: Params) => ({ params: Promise.resolve(params) });
const headers = (key?: string, extra: Record<string, string> = {}) => ({ "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra });
const note = (i: number) => `Field note ${i}: the swifts came back to the church tower on the ${i}th of the month.`;

async function upload(id: string, body: unknown, key?: string, prefer = "respond-async") {
  const request = jsonRequest(`/api/collections/${id}/documents`, body, { headers: headers(key, prefer ? { prefer } : {}) });
  const response = await documents.POST(request, context({ id }));
  return { ...(await readJson<{ job: Job } & ErrorReply>(response)), headers: response.headers };
}
async function getJob(id: string, job: string, key?: string) {
  return readJson<{ job: Job } & ErrorReply>(await oneJob.GET(new Request("http://localhost/x", { headers: headers(key) }), context({ id, job })));
}
async function cancel(id: string, job: string, key?: string) {
  return readJson<{ job: Job } & ErrorReply>(await oneJob.DELETE(new Request("http://localhost/x", { method: "DELETE", headers: headers(key) }), context({ id, job })));
}
async function finished(id: string, job: string, key: string): Promise<Job> {
  for (const started = Date.now(); Date.now() - started < 120_000; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const { body } = await getJob(id, job, key);
    if (!["queued", "running"].includes(body.job.state)) return body.job;
  }
  throw new Error(`job ${job} did not finish`);
}

let db: Database;
let collection: Created;

beforeAll(async () => {
  db = await getDatabase();
  collection = (await readJson<Created>(await create.POST(jsonRequest("/api/collections", { name: "Jobs", chunking: { size: 100, overlap: 0 } }), {}))).body;
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("upload jobs through the API", () => {
  it("Prefer: respond-async answers 202 with the job and its address; the job reports progress and each document's outcome", async () => {
    const sent = [note(1), note(2), note(1)].map((text, i) => ({ text, metadata: { filename: `note-${i}.md` } }));
    const reply = await upload(collection.id, { documents: sent }, collection.writeKey);
    expect(reply.status).toBe(202);
    expect(reply.headers.get("location")).toBe(`/api/collections/${collection.id}/jobs/${reply.body.job.id}`);
    expect(reply.headers.get("preference-applied")).toBe("respond-async");
    expect(reply.body.job).toMatchObject({ url: reply.headers.get("location"), state: "queued", cancelRequested: false, progress: { documents: { done: 0, total: 3 } } });

    const job = await finished(collection.id, reply.body.job.id, collection.readKey);
    expect(job).toMatchObject({ state: "done", error: null, progress: { documents: { done: 3, total: 3 }, chunks: { done: 3, total: 3 }, etaSeconds: null } });
    expect(job.documents).toEqual([
      { index: 0, label: "note-0.md", status: "added", documentId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), chunks: 1, duplicate: false },
      { index: 1, label: "note-1.md", status: "added", documentId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), chunks: 1, duplicate: false },
      { index: 2, label: "note-2.md", status: "duplicate", documentId: job.documents![0].documentId, chunks: 0, duplicate: true },
    ]);
  });

  it("without Prefer the upload is stored at once as before (201), and its limits name the way to a job", async () => {
    const sync = await upload(collection.id, { documents: [{ text: note(3) }] }, collection.writeKey, "");
    expect(sync.status).toBe(201);
    const many = { documents: Array.from({ length: 101 }, (_, i) => ({ text: note(1_000 + i) })) };
    const refused = await upload(collection.id, many, collection.writeKey, "");
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe("documents must hold at most 100 documents; send Prefer: respond-async to upload up to 1,000 as a background job.");
  });

  it("GET …/jobs lists the collection's jobs, newest first, for the read key", async () => {
    const { status, body } = await readJson<{ jobs: Job[] }>(await jobs.GET(new Request("http://localhost/x", { headers: headers(collection.readKey) }), context({ id: collection.id })));
    expect(status).toBe(200);
    expect(body.jobs.length).toBeGreaterThanOrEqual(1);
    expect(body.jobs[0]).toHaveProperty("progress.documents");
    expect(body.jobs[0]).not.toHaveProperty("documents");
    const anonymous = await jobs.GET(new Request("http://localhost/x"), context({ id: collection.id }));
    expect(anonymous.status).toBe(401);
  });

  it("cancelling keeps the documents already stored, lists them, and stores nothing more", async () => {
    const sent = Array.from({ length: 40 }, (_, i) => ({ text: note(2_000 + i) }));
    const { body } = await upload(collection.id, { documents: sent }, collection.writeKey);
    const reply = await cancel(collection.id, body.job.id, collection.writeKey);
    expect(reply.status).toBe(200);
    const job = reply.body.job;
    expect(job.state).toBe("cancelled");
    const added = job.documents!.filter((document) => document.status === "added");
    expect(job.documents!.every((document) => ["added", "cancelled"].includes(document.status))).toBe(true);
    expect(job.documents!.filter((document) => document.status === "cancelled").length).toBeGreaterThan(0);
    expect(job.progress.documents).toEqual({ done: added.length, total: 40 });
    // Nothing arrives after the reply: exactly the documents it lists as added are stored, each whole.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = (await db.prisma.collectionDocument.findMany({ where: { text: { startsWith: "Field note 20" }, collection: { publicId: collection.id } }, select: { publicId: true } })).map((row) => row.publicId);
    expect(stored.sort()).toEqual(added.map((document) => document.documentId).sort());

    const again = await cancel(collection.id, body.job.id, collection.writeKey);
    expect(again.status).toBe(200);
    expect(again.body.job.state).toBe("cancelled");
  });

  it("a finished job cannot be cancelled (409); a job of another collection or a malformed id is not found (404)", async () => {
    const { body } = await upload(collection.id, { documents: [{ text: note(3_000) }] }, collection.writeKey);
    await finished(collection.id, body.job.id, collection.writeKey);
    const late = await cancel(collection.id, body.job.id, collection.writeKey);
    expect(late.status).toBe(409);
    expect(late.body.error).toEqual({ code: "conflict:job", message: `Job ${body.job.id} has already finished: there is nothing left to cancel.` });

    const other = (await readJson<Created>(await create.POST(jsonRequest("/api/collections", { name: "Other" }), {}))).body;
    expect((await getJob(other.id, body.job.id, other.readKey)).status).toBe(404);
    const malformed = await getJob(collection.id, "../../etc", collection.readKey);
    expect(malformed.status).toBe(404);
    expect(malformed.body.error.code).toBe("not_found:job");
  });

  it("keys: uploading and cancelling need the write key, reading a job the read key; a refused upload queues nothing", async () => {
    const before = await db.prisma.job.count();
    expect((await upload(collection.id, { documents: [{ text: note(4_000) }] })).status).toBe(401);
    expect((await upload(collection.id, { documents: [{ text: note(4_000) }] }, collection.readKey)).status).toBe(403);
    expect(await db.prisma.job.count()).toBe(before);
    const { body } = await upload(collection.id, { documents: [{ text: note(4_001) }] }, collection.writeKey);
    expect((await getJob(collection.id, body.job.id)).status).toBe(401);
    expect((await getJob(collection.id, body.job.id, collection.readKey)).status).toBe(200);
    expect((await cancel(collection.id, body.job.id, collection.readKey)).status).toBe(403);
    await finished(collection.id, body.job.id, collection.writeKey);
  });

  it("limits: more than 1,000 documents is a 400, a body over 50 MB a 413, both naming the limit; nothing is queued", async () => {
    const before = await db.prisma.job.count();
    const tooMany = await upload(collection.id, { documents: Array.from({ length: collectionLimits.maxDocumentsPerJob + 1 }, (_, i) => ({ text: `n${i}` })) }, collection.writeKey);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe("documents must hold at most 1,000 documents; send the rest as another upload.");
    const huge = await upload(collection.id, JSON.stringify({ documents: [{ text: "x".repeat(collectionLimits.maxJobBodyBytes) }] }), collection.writeKey);
    expect(huge.status).toBe(413);
    expect(huge.body.error).toEqual({ code: "payload_too_large:body", message: "Request body is larger than 50 MB; send fewer or shorter texts." });
    expect(await db.prisma.job.count()).toBe(before);
  });
});
