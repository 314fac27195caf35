import { describe, expect, it } from "vitest";
import { storeDocuments } from "@/lib/collections/store";
import type { Database } from "@/lib/db/connection";
import { cancelJob, getJobByPublicId } from "@/lib/db/job-queries";
import { JobRunner } from "@/lib/jobs/runner";
import { toJobInfo } from "@/lib/jobs/service";
import { testBackends, useScratchDatabase } from "../support/databases";
import { failureMarker, injectedFailureMessage, installFailureTrigger } from "../support/inject-failure";
import { makeCollection, observedDocumentsKind, queueTexts, resultsOf, runToEnd, storedDocumentCount, waitForJob } from "./helpers";

/**
 * The upload job end to end on each backend, with the real chunker and use-lite: progress,
 * per-document results and duplicates, cancel between documents, and a failure inside the
 * database in the middle of a document.
 */

const sentence = (i: number) => `Note ${i}: the bees of hive ${i} made honey from clover and lime blossom this summer.`;

describe.each(testBackends)("upload jobs on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("stores every document, counts documents and chunks, and reports each document like a synchronous upload", async () => {
    const row = await makeCollection(db);
    const [existing] = await storeDocuments(db, row, [{ text: sentence(0) }]);
    const long = Array.from({ length: 5 }, (_, i) => sentence(100 + i)).join("\n\n"); // five paragraphs of ~85 characters: five chunks
    const texts = [sentence(1), long, sentence(0), sentence(2), sentence(1)];
    const queued = await queueTexts(db, row, texts);
    expect(queued).toMatchObject({ state: "queued", progress: { documents: { done: 0, total: 5 }, chunks: { done: 0, total: null } } });

    const job = await runToEnd(db, row, queued.id);

    const results = await resultsOf(db, job);
    expect(results.map((result) => result.status)).toEqual(["added", "added", "duplicate", "added", "duplicate"]);
    expect(results[1]).toMatchObject({ chunks: 5, duplicate: false });
    expect(results[2]).toEqual({ status: "duplicate", documentId: existing.documentId, chunks: 0, duplicate: true });
    expect(results[4]).toEqual({ status: "duplicate", documentId: results[0].documentId, chunks: 0, duplicate: true });
    for (const result of results.filter((each) => each.status === "added")) {
      expect(await db.prisma.collectionChunk.count({ where: { collectionId: row.id, document: { publicId: result.documentId as string } } })).toBe(result.chunks);
    }
    expect(await storedDocumentCount(db, row)).toBe(4);
    // Chunks: every document counts, duplicates too (their chunks were checked, not embedded).
    const info = toJobInfo(row.publicId, job);
    expect(info).toMatchObject({ state: "done", error: null, progress: { documents: { done: 5, total: 5 }, chunks: { done: 9, total: 9 }, etaSeconds: null } });
    expect(info.finishedAt).not.toBeNull();
  });

  it.skipIf(!backend.enabled)("cancelled while running, it stops between documents: those stored stay whole, the rest are not stored", async () => {
    const row = await makeCollection(db);
    const queued = await queueTexts(db, row, Array.from({ length: 8 }, (_, i) => sentence(200 + i)));
    let runner: JobRunner | undefined;
    const kinds = observedDocumentsKind({
      async afterComplete(job, position) {
        if (position !== 2) return;
        // As DELETE …/jobs/:job does: flag it in the database, then tell the runner of this server.
        expect(await cancelJob(db, { jobId: job.id, pendingResult: { status: "cancelled" } })).toBe("requested");
        runner!.cancel(job.id);
      },
    });
    runner = new JobRunner(db, { owner: "test", kinds });
    await runner.start();
    const job = await waitForJob(db, row, queued.id);
    await runner.stop();

    expect(job.state).toBe("cancelled");
    const results = await resultsOf(db, job);
    expect(results.map((result) => result.status)).toEqual(["added", "added", "added", ...Array(5).fill("cancelled")]);
    expect(await storedDocumentCount(db, row)).toBe(3);
    expect(toJobInfo(row.publicId, job).progress.documents).toEqual({ done: 3, total: 8 });
  });

  it.skipIf(!backend.enabled)("a queued job is cancelled at once, before anything is stored", async () => {
    const row = await makeCollection(db);
    const queued = await queueTexts(db, row, [sentence(300), sentence(301)]);
    const job = (await getJobByPublicId(db, { collectionId: row.id, publicId: queued.id }))!;
    expect(await cancelJob(db, { jobId: job.id, pendingResult: { status: "cancelled" } })).toBe("cancelled");
    expect(await cancelJob(db, { jobId: job.id, pendingResult: { status: "cancelled" } })).toBe("finished");
    // A runner that starts afterwards finds nothing to do.
    const runner = new JobRunner(db, { owner: "test" });
    await runner.start();
    await runner.stop();
    const after = (await getJobByPublicId(db, { collectionId: row.id, publicId: queued.id }))!;
    expect(after.state).toBe("cancelled");
    expect((await resultsOf(db, after)).map((result) => result.status)).toEqual(["cancelled", "cancelled"]);
    expect(await storedDocumentCount(db, row)).toBe(0);
  });

  it.skipIf(!backend.enabled)("a failure inside the database mid-document stores none of that document, keeps the ones before and fails the job", async () => {
    const row = await makeCollection(db);
    await installFailureTrigger(db, { tables: ["collection_chunks"] });
    try {
      // Two chunks: the paragraph goes in, then the marker's chunk fails, inside one transaction.
      const failing = `${sentence(401)}\n\n${failureMarker}`;
      const queued = await queueTexts(db, row, [sentence(400), failing, sentence(402)]);
      const job = await runToEnd(db, row, queued.id);

      expect(job.state).toBe("failed");
      const info = toJobInfo(row.publicId, job);
      expect(info.error?.code).toBe("internal:job");
      expect(info.error?.message).toContain("Document 2 (doc-1.txt) could not be stored");
      expect(info.error?.message).not.toContain(injectedFailureMessage);
      expect((await resultsOf(db, job)).map((result) => result.status)).toEqual(["added", "skipped", "skipped"]);
      const stored = await db.prisma.collectionDocument.findMany({ where: { collectionId: row.id }, select: { text: true } });
      expect(stored.map((document) => document.text)).toEqual([sentence(400)]);
      expect(await db.prisma.collectionChunk.count({ where: { collectionId: row.id } })).toBe(1);
    } finally {
      await db.prisma.$executeRawUnsafe(`DROP TRIGGER "collection_chunks_fail_on_marker" ON "collection_chunks"`);
    }
  });

  it.skipIf(!backend.enabled)("a text the model cannot read fails its own document only; the job goes on", async () => {
    const row = await makeCollection(db);
    // use-lite reads no Chinese: its documents are refused as unreadable:texts.
    const queued = await queueTexts(db, row, [sentence(500), "蜜蜂把花蜜变成蜂蜜。", sentence(501)]);
    const job = await runToEnd(db, row, queued.id);

    expect(job.state).toBe("done");
    const results = await resultsOf(db, job);
    expect(results.map((result) => result.status)).toEqual(["added", "failed", "added"]);
    expect(results[1]).toMatchObject({ error: { code: "unreadable:texts" } });
    expect(await storedDocumentCount(db, row)).toBe(2);
  });
});
