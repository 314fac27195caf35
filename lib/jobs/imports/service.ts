import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { AppError } from "../../api/errors";
import { findWritable } from "../../collections/service";
import type { Database } from "../../db/connection";
import { deleteImportedRows } from "../../db/import-queries";
import { listJobItems, requeueFailedJob, setJobItemResult, type JobRow } from "../../db/job-queries";
import { jobRunnerOf } from "../runner";
import { findJob, withItems, type JobInfo } from "../service";
import { importJob, type ImportParams } from "./kind";

/**
 * What can be done with an import that did not go through: resume a failed one (it goes on after
 * the last row it stored), or discard one that has ended (its rows are taken out of the
 * collection, and its file removed). Both need the collection's write key.
 */

type Target = { id: string; key: string | null; jobId: string };

export async function resumeImport(db: Database, { id, key, jobId }: Target): Promise<JobInfo & Record<string, unknown>> {
  const row = await findWritable(db, id, key);
  const job = importOnly(await findJob(db, row, jobId));
  if (job.state !== "failed") throw new AppError("conflict:job", `Import ${job.publicId} is ${job.state}: only a failed import can be resumed.`);
  if (!existsSync((job.params as unknown as ImportParams).file)) {
    throw new AppError("conflict:job", `Import ${job.publicId}'s file is no longer on this server's disk: send the file again as a new import.`);
  }
  await requeueFailedJob(db, { jobId: job.id });
  jobRunnerOf(db)?.wake();
  return withItems(db, row, await findJob(db, row, jobId));
}

export async function discardImport(db: Database, { id, key, jobId }: Target): Promise<{ job: JobInfo & Record<string, unknown>; discardedRows: number }> {
  const row = await findWritable(db, id, key);
  const job = importOnly(await findJob(db, row, jobId));
  if (job.state === "queued" || job.state === "running") {
    throw new AppError("conflict:job", `Import ${job.publicId} is ${job.state}: cancel it first (DELETE on the job), then discard it.`);
  }
  const discardedRows = await deleteImportedRows(db, { jobId: job.id });
  await rm((job.params as unknown as ImportParams).file, { force: true });
  for (const item of await listJobItems(db, { jobId: job.id })) {
    await setJobItemResult(db, { jobId: job.id, position: item.position, result: { ...(item.result ?? {}), status: "discarded", discardedRows } });
  }
  return { job: await withItems(db, row, await findJob(db, row, jobId)), discardedRows };
}

function importOnly(job: JobRow): JobRow {
  if (job.kind !== importJob.kind) throw new AppError("conflict:job", `Job ${job.publicId} is an upload, not an import: only imports can be resumed or discarded.`);
  return job;
}
