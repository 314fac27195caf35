import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash, insertNewDocuments } from "@/lib/collections/ingest";
import { storeDocuments } from "@/lib/collections/store";
import type { NewDocument } from "@/lib/db/collection-queries";
import { openDatabase, type Database } from "@/lib/db/connection";
import { JobRunner } from "@/lib/jobs/runner";
import { createRandom } from "@/lib/projection/random";
import { normalize } from "@/lib/vectors";
import { createScratchDatabase, postgresBackend, testBackends, useScratchDatabase } from "../support/databases";
import { makeCollection, queueTexts, resultsOf, storedDocumentCount, waitForJob } from "../jobs/helpers";

/**
 * Uploads into one collection at the same moment, through one server or two on one PostgreSQL
 * (issue 14, findings 1 and 2): one text sent twice is stored once and exactly one upload is told
 * it stored it; two large documents are both stored.
 */

const sentence = (i: number) => `Observation ${i}: the tide came in two hours later than the almanac said it would.`;

describe.each(testBackends)("concurrent uploads on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("three uploads of one text at once store it once, and exactly one is told duplicate: false", async () => {
    const row = await makeCollection(db);
    for (let round = 0; round < 3; round++) {
      const text = sentence(round);
      const replies = await Promise.all([storeDocuments(db, row, [{ text }]), storeDocuments(db, row, [{ text }]), storeDocuments(db, row, [{ text }])]);
      expect(replies.map(([reply]) => reply.duplicate).sort()).toEqual([false, true, true]);
      expect(new Set(replies.map(([reply]) => reply.documentId)).size).toBe(1);
    }
    expect(await storedDocumentCount(db, row)).toBe(3);
  });
});

describe.skipIf(!postgresBackend.enabled)("uploads through two servers on one PostgreSQL", () => {
  let drop: () => Promise<void>;
  let servers: Database[];

  beforeAll(async () => {
    if (!postgresBackend.enabled) return;
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
    drop = scratch.drop;
    servers = [await openDatabase({ url: scratch.url }), await openDatabase({ url: scratch.url })];
  });
  afterAll(async () => {
    for (const db of servers ?? []) await db.close();
    await drop?.();
  });

  it("the same document through both at once: stored once, one reply says duplicate: false and the other true", async () => {
    const row = await makeCollection(servers[0]);
    for (let round = 0; round < 3; round++) {
      const text = sentence(100 + round);
      const replies = await Promise.all(servers.map((db) => storeDocuments(db, row, [{ text }])));
      expect(replies.map(([reply]) => reply.duplicate).sort()).toEqual([false, true]);
    }
    expect(await storedDocumentCount(servers[0], row)).toBe(3);
  });

  it("the same document in two upload jobs run by the two servers' runners: one job added it, the other found it there", async () => {
    const row = await makeCollection(servers[0]);
    const text = sentence(200);
    const jobs = await Promise.all(servers.map((db) => queueTexts(db, row, [text])));
    const runners = servers.map((db, i) => new JobRunner(db, { owner: `server-${i}` }));
    await Promise.all(runners.map((runner) => runner.start()));
    const finished = await Promise.all(jobs.map((job) => waitForJob(servers[0], row, job.id)));
    await Promise.all(runners.map((runner) => runner.stop()));
    const statuses = await Promise.all(finished.map(async (job) => (await resultsOf(servers[0], job))[0].status));
    expect(statuses.sort()).toEqual(["added", "duplicate"]);
    expect(await storedDocumentCount(servers[0], row)).toBe(1);
  });

  it("two documents of 1,640 chunks stored at the same moment through the two servers are both stored", async () => {
    const row = await makeCollection(servers[0]);
    // Seeded random vectors: as costly to put in the HNSW graph as real ones (structured ones are cheaper).
    const random = createRandom(7);
    const document = (name: string): NewDocument => ({
      contentHash: contentHash(name),
      text: name,
      metadata: {},
      chunks: Array.from({ length: 1_640 }, (_, i) => ({
        position: i,
        text: `${name} ${i}`,
        start: 0,
        end: 1,
        vector: normalize(Array.from({ length: 512 }, () => random() - 0.5)),
      })),
    });
    const outcomes = await Promise.all(
      ["first large document", "second large document"].map((name, i) => insertNewDocuments(servers[i], { collectionId: row.id, documents: [document(name)] })),
    );
    expect(outcomes.map((outcome) => [...outcome.values()][0].inserted)).toEqual([true, true]);
    expect(await servers[0].prisma.collectionChunk.count({ where: { collectionId: row.id } })).toBe(3_280);
  }, 120_000);
});
