import type { UploadJobInput } from "../../collections/schemas";
import type { CollectionRow } from "../../db/collection-queries";
import type { Database } from "../../db/connection";
import { insertJob, pruneFinishedJobs } from "../../db/job-queries";
import { createSlug } from "../../keys";
import { jobRunnerOf } from "../runner";
import { toJobInfo, type JobInfo } from "../service";
import { documentsJob, type UploadInput, type UploadParams } from "./kind";

/**
 * Queues an upload into a collection (whose write key the caller has checked) as a background
 * job, and wakes this server's runner. The documents wait in the job's items until each is stored.
 */
export async function queueUpload(db: Database, row: CollectionRow, documents: UploadJobInput["documents"]): Promise<JobInfo> {
  await pruneFinishedJobs(db, { collectionId: row.id });
  const params: UploadParams = { model: row.model, chunkSize: row.chunkSize, chunkOverlap: row.chunkOverlap };
  const job = await insertJob(db, {
    publicId: createSlug(),
    kind: documentsJob.kind,
    collectionId: row.id,
    params: { ...params },
    items: documents.map((document) => ({ label: labelOf(document.metadata), input: { text: document.text, metadata: document.metadata ?? {} } satisfies UploadInput })),
  });
  jobRunnerOf(db)?.wake();
  return toJobInfo(row.publicId, job);
}

/** What the page names a document by after a reload: its file name or title, if its metadata has one. */
function labelOf(metadata: UploadInput["metadata"] | undefined): string | null {
  const label = metadata?.filename ?? metadata?.title;
  return typeof label === "string" ? label : null;
}
