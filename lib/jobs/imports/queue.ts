import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../api/errors";
import type { CollectionRow } from "../../db/collection-queries";
import type { Database } from "../../db/connection";
import { collectionVectorDims, filesOfImportJobs } from "../../db/import-queries";
import { insertJob, pruneFinishedJobs } from "../../db/job-queries";
import { isOwnVectorsModel } from "../../embeddings/own";
import { checkMapping, parseMappingField, type ImportMapping } from "../../imports/mapping";
import { previewFile } from "../../imports/preview";
import { resolveImportFormat } from "../../imports/registry";
import type { ImportPreview } from "../../imports/types";
import type { ReceivedImport } from "../../imports/upload";
import { createSlug } from "../../keys";
import { jobFileHost, jobRunnerOf } from "../runner";
import { toJobInfo, type JobInfo } from "../service";
import { importJob, type ImportParams } from "./kind";
import { checkRoom } from "./limits";

/**
 * Queues the import of a received file into a collection (whose write key the caller has
 * checked): what can be told from the file's first rows is checked now (its format, the mapping
 * against its columns, vectors against the collection's model), so a wrong request is a 4xx at
 * once; every row is checked by the job before anything is stored.
 */

export async function queueImport(db: Database, row: CollectionRow, received: ReceivedImport): Promise<JobInfo> {
  const format = resolveImportFormat({ format: received.fields.format, filename: received.filename, mediaType: received.mediaType });
  const mapping = parseMappingField(received.fields.mapping);
  const preview = await previewFile(format, received.path);
  checkMapping(mapping, preview.columns);
  const dims = await vectorDims(db, row, mapping, preview);
  await checkRoom(db, row.id, preview.totalRows ?? 0);
  await pruneFinishedJobs(db, { collectionId: row.id });
  await sweepImportFiles(db, path.dirname(received.path));
  const params: ImportParams = {
    file: received.path,
    fileHost: jobFileHost(),
    filename: received.filename ?? null,
    format: format.id,
    mapping,
    model: row.model,
    dims,
  };
  const job = await insertJob(db, {
    publicId: createSlug(),
    kind: importJob.kind,
    collectionId: row.id,
    params: JSON.parse(JSON.stringify(params)),
    items: [{ label: received.filename ?? null, input: {} }],
  });
  jobRunnerOf(db)?.wake();
  return toJobInfo(row.publicId, job);
}

/** The own vectors' dimension (null when the model embeds the texts); refuses vectors and models that do not go together. */
async function vectorDims(db: Database, row: CollectionRow, mapping: ImportMapping, preview: ImportPreview): Promise<number | null> {
  if (!isOwnVectorsModel(row.model)) {
    if (mapping.vector !== undefined) {
      throw new AppError(
        "bad_request:mapping",
        `This collection embeds its rows with ${row.model}, so it takes no vectors of their own: vectors from elsewhere go into a collection made for them (model "own:<name>"), where they are not mixed with another model's space.`,
      );
    }
    if (mapping.text === undefined) throw new AppError("bad_request:mapping", `mapping.text is required: ${row.model} embeds each row's text.`);
    return null;
  }
  if (mapping.vector === undefined) {
    throw new AppError("bad_request:mapping", `mapping.vector is required: this collection holds its rows' own vectors (${row.model}), and no model here makes them.`);
  }
  const dims = preview.columns.find((column) => column.name === mapping.vector)?.dims;
  if (dims === undefined) {
    throw new AppError("bad_request:mapping", `Column "${mapping.vector}" holds no vectors of one length in the file's first rows; every row needs a vector of the same length.`);
  }
  const stored = await collectionVectorDims(db, { collectionId: row.id });
  if (stored !== null && stored !== dims) {
    throw new AppError("bad_request:mapping", `Column "${mapping.vector}" holds vectors of ${dims} numbers, but this collection's vectors have ${stored}: they come from another space.`);
  }
  return dims;
}

/** Files left in the imports folder by imports that ended long ago or never became jobs. Failed imports keep theirs: they can be resumed. */
async function sweepImportFiles(db: Database, dir: string): Promise<void> {
  const kept = new Set(await filesOfImportJobs(db, { states: ["queued", "running", "failed"] }));
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    if (kept.has(file) || !name.endsWith(".upload")) continue;
    const modified = await stat(file).then((info) => info.mtimeMs, () => Date.now());
    if (modified < cutoff) await rm(file, { force: true });
  }
}
