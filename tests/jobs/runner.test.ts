import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type DatabaseTarget } from "@/lib/db/connection";
import { claimJob, completeJobItem, getJobByPublicId, renewJobLease } from "@/lib/db/job-queries";
import { JobRunner } from "@/lib/jobs/runner";
import { createScratchDatabase, postgresBackend, testBackends } from "../support/databases";
import { makeCollection, observedDocumentsKind, queueTexts, resultsOf, runToEnd, storedDocumentCount, waitForJob } from "./helpers";

/**
 * The job runner: leases, several runners on one PostgreSQL, stopping mid-job, and resuming after
 * the process running a job was killed (a child process, killed with SIGKILL mid-document).
 */

const sentence = (i: number) => `Item ${i}: a short note about the weather on day ${i}, mild with a light westerly wind.`;
const texts = (from: number, count: number) => Array.from({ length: count }, (_, i) => sentence(from + i));

/** A database that survives its handle, so a "restart" can open it again. */
async function reopenableTarget(backend: (typeof testBackends)[number]): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (backend.name === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-jobs-"));
    return { target: { pgliteDir: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const { url, drop } = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
  return { target: { url }, drop };
}

/** Starts tests/support/job-runner-process.ts and resolves once it printed `until`; `kill()` ends it with SIGKILL. */
function startRunnerProcess(options: { target: DatabaseTarget; owner: string; leaseMs?: number; hangAt?: number }, until: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/job-runner-process.ts", JSON.stringify(options)], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const reached = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      if (output.includes(until)) resolve();
    });
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    child.once("exit", (code) => reject(new Error(`runner process exited (${code}) before "${until}":\n${output}`)));
  });
  return {
    reached,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

describe.each(testBackends)("the job runner on $name", (backend) => {
  it.skipIf(!backend.enabled)("stopped mid-job, it hands the job back; the next runner resumes it and stores each document once", async () => {
    const { target, drop } = await reopenableTarget(backend);
    let db: Database = await openDatabase(target);
    try {
      const row = await makeCollection(db);
      const queued = await queueTexts(db, row, texts(0, 6));
      let stopping: Promise<void> | undefined;
      const first = new JobRunner(db, { owner: "server-1", kinds: observedDocumentsKind({ afterComplete: (_job, position) => void (position === 1 && (stopping = first.stop())) }) });
      await first.start();
      await waitForJob(db, row, queued.id, (job) => job.state === "queued" && job.itemsDone === 2);
      await stopping;
      await db.close();

      db = await openDatabase(target);
      const job = await runToEnd(db, row, queued.id, { owner: "server-1" });
      expect(job.state).toBe("done");
      expect(job.attempts).toBe(2);
      expect((await resultsOf(db, job)).map((result) => result.status)).toEqual(Array(6).fill("added"));
      expect(await storedDocumentCount(db, row)).toBe(6);
    } finally {
      await db.close();
      await drop();
    }
  }, 120_000);

  it.skipIf(!backend.enabled)("killed after storing a document but before recording it, the job resumes on restart and reports that document as added, not as a duplicate", async () => {
    const { target, drop } = await reopenableTarget(backend);
    let db: Database = await openDatabase(target);
    try {
      const row = await makeCollection(db);
      const queued = await queueTexts(db, row, texts(100, 5));
      await db.close(); // the embedded database is opened by one process at a time
      const server = startRunnerProcess({ target, owner: "server-1", hangAt: 2 }, "stored 2");
      await server.reached;
      await server.kill();

      db = await openDatabase(target);
      const before = (await getJobByPublicId(db, { collectionId: row.id, publicId: queued.id }))!;
      expect(before).toMatchObject({ state: "running", itemsDone: 2 });
      expect(await storedDocumentCount(db, row)).toBe(3);
      // The same server name, restarted: it takes its job back at once, lease or not.
      const job = await runToEnd(db, row, queued.id, { owner: "server-1" });
      expect(job.state).toBe("done");
      const results = await resultsOf(db, job);
      expect(results.map((result) => result.status)).toEqual(Array(5).fill("added"));
      expect(await storedDocumentCount(db, row)).toBe(5);
      expect(results[2].chunks).toBe(await db.prisma.collectionChunk.count({ where: { collectionId: row.id, document: { publicId: results[2].documentId as string } } }));
    } finally {
      await db.close();
      await drop();
    }
  }, 120_000);
});

describe.skipIf(!postgresBackend.enabled)("job runners of several servers on one PostgreSQL", () => {
  let url: string;
  let drop: () => Promise<void>;
  let servers: Database[];

  beforeAll(async () => {
    if (!postgresBackend.enabled) return;
    ({ url, drop } = await createScratchDatabase(process.env.TEST_DATABASE_URL!));
    servers = [await openDatabase({ url }), await openDatabase({ url })];
  });
  afterAll(async () => {
    for (const db of servers ?? []) await db.close();
    await drop?.();
  });

  it("claims made at the same moment take different jobs", async () => {
    const row = await makeCollection(servers[0]);
    const queued = await Promise.all(Array.from({ length: 12 }, (_, i) => queueTexts(servers[0], row, [sentence(1_000 + i)])));
    const claimAll = async (db: Database, owner: string) => {
      const claimed: string[] = [];
      for (let job = await claimJob(db, { owner, leaseMs: 60_000, kinds: ["documents"], host: "here" }); job; job = await claimJob(db, { owner, leaseMs: 60_000, kinds: ["documents"], host: "here" })) claimed.push(job.publicId);
      return claimed;
    };
    const [a, b] = await Promise.all([claimAll(servers[0], "a"), claimAll(servers[1], "b")]);
    expect([...a, ...b].sort()).toEqual(queued.map((job) => job.id).sort());
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    await servers[0].prisma.job.deleteMany({ where: { collectionId: row.id } });
  });

  it("two runners work through the queue together, and no job or document is run twice", async () => {
    const row = await makeCollection(servers[0]);
    const queued = await Promise.all(Array.from({ length: 6 }, (_, i) => queueTexts(servers[i % 2], row, texts(2_000 + i * 3, 3))));
    const seen: { owner: string; job: string; position: number }[] = [];
    const runners = ["a", "b"].map(
      (owner, i) => new JobRunner(servers[i], { owner, pollMs: 50, kinds: observedDocumentsKind({ afterComplete: (job, position) => void seen.push({ owner, job: job.publicId, position }) }) }),
    );
    await Promise.all(runners.map((runner) => runner.start()));
    for (const job of queued) expect((await waitForJob(servers[0], row, job.id)).state).toBe("done");
    await Promise.all(runners.map((runner) => runner.stop()));

    const keys = seen.map((entry) => `${entry.job}:${entry.position}`);
    expect(keys.sort()).toEqual(queued.flatMap((job) => [0, 1, 2].map((position) => `${job.id}:${position}`)).sort());
    for (const job of queued) expect(new Set(seen.filter((entry) => entry.job === job.id).map((entry) => entry.owner)).size).toBe(1);
    expect(new Set(seen.map((entry) => entry.owner))).toEqual(new Set(["a", "b"]));
    expect(await storedDocumentCount(servers[0], row)).toBe(18);
  });

  it("a job whose lease expired goes to another runner, and the first one's writes are refused from then on", async () => {
    const row = await makeCollection(servers[0]);
    const queued = await queueTexts(servers[0], row, [sentence(3_000)]);
    const stalled = (await claimJob(servers[0], { owner: "a", leaseMs: 200, kinds: ["documents"], host: "here" }))!;
    expect(stalled.publicId).toBe(queued.id);
    expect(await claimJob(servers[1], { owner: "b", leaseMs: 60_000, kinds: ["documents"], host: "here" })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const taken = (await claimJob(servers[1], { owner: "b", leaseMs: 60_000, kinds: ["documents"], host: "here" }))!;
    expect(taken.publicId).toBe(queued.id);
    const progress = { itemsDone: 1, unitsDone: 1 };
    expect(await renewJobLease(servers[0], { jobId: stalled.id, owner: "a", leaseMs: 60_000, progress })).toBeNull();
    expect(await completeJobItem(servers[0], { jobId: stalled.id, owner: "a", leaseMs: 60_000, position: 0, result: { status: "added" }, progress })).toBeNull();
    expect((await resultsOf(servers[0], taken))[0]).toEqual({ status: "pending" });
    await servers[0].prisma.job.deleteMany({ where: { collectionId: row.id } });
  });

  it("a job left by a server that died is resumed by another once its lease has expired", async () => {
    const row = await makeCollection(servers[0]);
    const queued = await queueTexts(servers[0], row, texts(4_000, 4));
    const dead = startRunnerProcess({ target: { url }, owner: "server-1", leaseMs: 1_000, hangAt: 1 }, "stored 1");
    await dead.reached;
    await dead.kill();

    const job = await runToEnd(servers[1], row, queued.id, { owner: "server-2", pollMs: 100 });
    expect(job).toMatchObject({ state: "done", attempts: 2 });
    expect((await resultsOf(servers[1], job)).map((result) => result.status)).toEqual(Array(4).fill("added"));
    expect(await storedDocumentCount(servers[1], row)).toBe(4);
  }, 120_000);
});
