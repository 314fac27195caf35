import { documentsJob } from "./documents/kind";
import { importJob } from "./imports/kind";
import { mapJob } from "./maps/kind";
import type { JobKind } from "./types";

/**
 * Every kind of background job, by name. A new kind is a folder next to documents/ exporting a
 * JobKind, and one line here; the runner runs whatever is listed.
 */
export const jobKinds: Record<string, JobKind> = {
  [documentsJob.kind]: documentsJob,
  [importJob.kind]: importJob,
  [mapJob.kind]: mapJob,
};
