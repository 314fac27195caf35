import { createCollection } from "@/lib/collections/store";
import { getCollectionByPublicId, type CollectionRow } from "@/lib/db/collection-queries";
import type { Database } from "@/lib/db/connection";
import { getJobByPublicId, listJobItems, type JobRow } from "@/lib/db/job-queries";
import { documentsJob } from "@/lib/jobs/documents/kind";
import { queueUpload } from "@/lib/jobs/documents/queue";
import { JobRunner, type JobRunnerOptions } from "@/lib/jobs/runner";
import type { JobInfo } from "@/lib/jobs/service";
import type { JobKind, JobRun, JsonObject } from "@/lib/jobs/types";

/** Shared by the job tests: a collection to upload into, queuing, waiting, and a kind that reports what it does. */

export async function makeCollection(db: Database, chunking = { size: 100, overlap: 0 }): Promise<CollectionRow> {
  const { collection } = await createCollection(db, { name: "Jobs", model: "use-lite", public: false, chunking });
  return (await getCollectionByPublicId(db, { publicId: collection.id }))!;
}

export function queueTexts(db: Database, row: CollectionRow, texts: string[]): Promise<JobInfo> {
  return queueUpload(db, row, texts.map((text, i) => ({ text, metadata: { filename: `doc-${i}.txt` } })));
}

/** Polls the job until `until` holds (default: it has finished), up to 2 minutes (the machine may be busy). */
export async function waitForJob(db: Database, row: CollectionRow, publicId: string, until = (job: JobRow) => !["queued", "running"].includes(job.state)): Promise<JobRow> {
  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    const job = await getJobByPublicId(db, { collectionId: row.id, publicId });
    if (job && until(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${publicId} did not get there within 2 minutes`);
}

/** Starts a runner, waits until the job has finished, stops the runner: the finished job. */
export async function runToEnd(db: Database, row: CollectionRow, publicId: string, options: JobRunnerOptions = {}): Promise<JobRow> {
  const runner = new JobRunner(db, { owner: "test", ...options });
  await runner.start();
  try {
    return await waitForJob(db, row, publicId);
  } finally {
    await runner.stop();
  }
}

export async function resultsOf(db: Database, job: JobRow): Promise<JsonObject[]> {
  return (await listJobItems(db, { jobId: job.id })).map((item) => item.result ?? { status: "pending" }) as JsonObject[];
}

/**
 * The documents kind with hooks around recording each item: `beforeComplete` runs once the item's
 * document is stored and before it is recorded, `afterComplete` after (both awaited).
 */
export function observedDocumentsKind({
  beforeComplete,
  afterComplete,
}: {
  beforeComplete?: (job: JobRun, position: number) => void | Promise<void>;
  afterComplete?: (job: JobRun, position: number, result: JsonObject) => void | Promise<void>;
}): Record<string, JobKind> {
  return {
    documents: {
      ...documentsJob,
      run: (job) =>
        documentsJob.run({
          ...job,
          async complete(position, result, units) {
            await beforeComplete?.(job, position);
            await job.complete(position, result, units);
            await afterComplete?.(job, position, result);
          },
        }),
    },
  };
}

export async function storedDocumentCount(db: Database, row: CollectionRow): Promise<number> {
  return db.prisma.collectionDocument.count({ where: { collectionId: row.id } });
}
