import { findWritable } from "../../collections/service";
import type { Database } from "../../db/connection";
import { jobRunnerOf } from "../runner";
import { toJobInfo, type JobInfo } from "../service";
import { queueMapJob } from "./queue";

/** A re-layout of the collection's whole map, queued with its write key. */
export async function relayoutMap(db: Database, { id, key }: { id: string; key: string | null }): Promise<JobInfo> {
  const row = await findWritable(db, id, key);
  const job = await queueMapJob(db, { collectionId: row.id, relayout: true });
  jobRunnerOf(db)?.wake();
  return toJobInfo(row.publicId, job);
}
