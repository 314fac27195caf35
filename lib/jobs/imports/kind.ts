import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { AppError } from "../../api/errors";
import { isDatabaseUnavailable } from "../../db/unavailable";
import { analyzeCollectionTables, importedTexts, insertImportedRows, lastImportedRow, tallyImport, type ImportedRow } from "../../db/import-queries";
import { truncatedTexts, unreadableTexts } from "../../embeddings/readability";
import { resolveModel } from "../../embeddings/registry";
import { embedTexts } from "../../embeddings/service";
import { RowMapper, type ImportMapping, type MappedRow } from "../../imports/mapping";
import { resolveImportFormat } from "../../imports/registry";
import { normalizeToFloat32 } from "../../vectors";
import type { JobKind, JobRun, JsonObject } from "../types";
import { checkRoom } from "./limits";
import { queueMapIfOutdated } from "../maps/queue";

/**
 * The import job: a table's rows into a collection, each row one document of one chunk. A run
 * first reads the whole file and checks every row against the mapping (the total, and the first
 * bad row and column, known before anything is stored: a file with a bad row leaves the collection
 * as it was), then stores the rows in order, a batch per transaction, each tagged with the job and
 * its row number. A resumed run goes on after the last row stored. Rows whose text the model cannot
 * read are stored without a vector (off the map, found by keyword), listed by number.
 *
 * The job has one item, the file; its units are rows.
 */

/** Fixed when the import was queued (queue.ts). */
export interface ImportParams {
  /** The uploaded file on the disk of `fileHost`, removed once the import is done with it. */
  file: string;
  /** Runners elsewhere cannot read the file: only this host's claim the job (lib/jobs/runner.ts). */
  fileHost: string;
  filename: string | null;
  format: string;
  mapping: ImportMapping;
  /** The collection's model: `own:<name>` when the rows bring their vectors. */
  model: string;
  /** The own vectors' dimension, when the rows bring them. */
  dims: number | null;
}

export const importPolicy = {
  /** Rows read, checked and stored per transaction. */
  rowsPerBatch: 500,
  /** Texts per call to the model: the progress moves, and a cancel is heard, after each. */
  textsPerCall: 64,
  /** Row numbers of unreadable rows the result lists (all are counted). */
  listedUnreadable: 100,
} as const;

export const importJob: JobKind = {
  kind: "import",
  names: { items: "files", units: "rows" },
  run: runImport,
  followUp: queueMapIfOutdated,
};

async function runImport(job: JobRun): Promise<void> {
  const params = job.params as unknown as ImportParams;
  const [item] = await job.pendingItems({ afterPosition: -1, limit: 1 });
  if (!item) return;
  const rows = item.units ?? (await checkRows(job, params));
  if (rows === null) return; // stopped while checking
  if (item.units === null) await job.plan([{ position: item.position, units: rows }]);
  await job.begin([item.position]);
  const done = await storeRows(job, params);
  if (!done) {
    if (job.signal.reason === "cancel") {
      // Cancelled between batches: the rows stored stay, and the job says how many.
      const tally = await tallyImport(job.db, { jobId: job.id, listed: importPolicy.listedUnreadable });
      await job.complete(item.position, { status: "cancelled", rows, stored: tally.stored, unreadable: { ...tally.unreadable } }, await lastImportedRow(job.db, { jobId: job.id }));
      await rm(params.file, { force: true });
    }
    return;
  }
  await job.complete(item.position, await resultOf(job, params, rows), rows);
  await rm(params.file, { force: true });
  await analyzeCollectionTables(job.db);
}

function readRows(params: ImportParams, fromRow: number, signal: AbortSignal): AsyncIterable<MappedRow[]> {
  const format = resolveImportFormat({ format: params.format });
  const mapper = new RowMapper(params.mapping, params.dims ?? undefined);
  return (async function* () {
    for await (const batch of format.rows(params.file, { batchSize: importPolicy.rowsPerBatch, fromRow, signal })) yield batch.map((row) => mapper.map(row));
  })();
}

/**
 * Reads every row once, mapping it as it will be stored: the first bad value fails the job with its
 * row and column, and ids must be unique in the file. Returns the number of rows (null if stopped).
 */
async function checkRows(job: JobRun, params: ImportParams): Promise<number | null> {
  const ids = new Map<string, number>();
  let count = 0;
  for await (const batch of readRows(params, 1, job.signal)) {
    for (const row of batch) {
      if (row.id !== null) {
        const first = ids.get(row.id);
        if (first !== undefined) {
          throw new AppError("bad_request:row", `row ${row.row.toLocaleString("en")}: column "${params.mapping.id}" repeats the id ${JSON.stringify(row.id)} of row ${first.toLocaleString("en")}; ids must be unique in the file.`, {
            details: { row: row.row, column: params.mapping.id },
          });
        }
        ids.set(row.id, row.row);
      }
    }
    count += batch.length;
    job.reportPartial(0);
  }
  if (job.signal.aborted) return null;
  if (count === 0) throw new AppError("bad_request:file", `${params.filename ?? "The file"} has no rows to import.`);
  await checkRoom(job.db, job.collectionId!, count);
  return count;
}

/** Stores the rows after the last one stored; true when every row is through, false when stopped. */
async function storeRows(job: JobRun, params: ImportParams): Promise<boolean> {
  const collectionId = job.collectionId!;
  const after = await lastImportedRow(job.db, { jobId: job.id });
  let handled = after;
  job.reportPartial(handled);
  // One batch is written while the next is read and embedded: on PostgreSQL the two run at once.
  let writing: Promise<void> | undefined;
  const write = (rows: ImportedRow[], last: number) =>
    insertImportedRows(job.db, { collectionId, jobId: job.id, rows }).then(() => {
      handled = last;
      job.reportPartial(handled);
    });
  try {
    for await (const batch of readRows(params, after + 1, job.signal)) {
      const prepared = await withVectors(job, params, batch);
      await writing;
      if (prepared === null || job.signal.aborted) return false;
      writing = write(prepared, batch[batch.length - 1].row);
      writing.catch(() => {}); // awaited before the next write, or below
    }
    await writing;
  } catch (error) {
    await writing?.catch(() => {}); // a read that failed waits for the write under way: `handled` is then exact
    if (isDatabaseUnavailable(error) || !(error instanceof Error)) throw error;
    const stored = handled === 0 ? "No row is stored" : `Rows 1–${handled.toLocaleString("en")} are stored, the rest are not`;
    const cause = error instanceof AppError ? error.message : "an error on our side";
    throw new AppError(error instanceof AppError ? error.code : "internal:job", `The import stopped after ${cause.replace(/\.$/, "")}. ${stored}: resume the job to go on, or discard it to take them out.`, {
      cause: error,
      details: { storedThroughRow: handled, ...(error instanceof AppError ? error.details : {}) },
    });
  }
  return !job.signal.aborted;
}

/** The batch as stored: own vectors normalised, or texts embedded (unreadable ones without a vector). Null when stopped. */
async function withVectors(job: JobRun, params: ImportParams, batch: MappedRow[]): Promise<ImportedRow[] | null> {
  const vectors = new Map<number, ArrayLike<number> | null>();
  if (params.dims !== null) {
    for (const row of batch) vectors.set(row.row, normalizeToFloat32(row.vector!));
  } else {
    const model = resolveModel(params.model);
    const texts = batch.map((row) => row.text!);
    const unreadable = await unreadableTexts(model, texts);
    const readable = batch.filter((row) => !unreadable.has(row.text!));
    for (let start = 0; start < readable.length; start += importPolicy.textsPerCall) {
      if (job.signal.aborted) return null;
      const slice = readable.slice(start, start + importPolicy.textsPerCall);
      // Not stored in the shared embeddings cache: a collection's text is only for those with its key.
      const embedded = await embedTexts(job.db, { model: params.model, texts: slice.map((row) => row.text!), store: false });
      slice.forEach((row, i) => vectors.set(row.row, embedded.vectors[i]));
    }
    for (const row of batch) if (unreadable.has(row.text!)) vectors.set(row.row, null);
  }
  return batch.map((row) => ({
    row: row.row,
    contentHash: rowHash(job, row),
    text: row.text ?? "",
    metadata: row.metadata,
    vector: vectors.get(row.row) ?? null,
    position: row.position,
  }));
}

/** A row with an id is the same row in every import of it (not stored twice); one without is its own. */
function rowHash(job: JobRun, row: MappedRow): string {
  const identity = row.id !== null ? `id\u0000${row.id}` : `row\u0000${job.publicId}\u0000${row.row}`;
  return createHash("sha256").update(identity).digest("hex");
}

async function resultOf(job: JobRun, params: ImportParams, rows: number): Promise<JsonObject> {
  const tally = await tallyImport(job.db, { jobId: job.id, listed: importPolicy.listedUnreadable });
  const truncated = params.dims === null ? await countTruncated(job, params) : 0;
  const { maxTokens, id } = resolveModel(params.model).info();
  return {
    status: "imported",
    rows,
    stored: tally.stored,
    duplicates: rows - tally.stored,
    unreadable: { count: tally.unreadable.count, rows: tally.unreadable.rows },
    ...(truncated > 0 && maxTokens
      ? {
          truncated: {
            rows: truncated,
            maxTokens,
            message: `${truncated.toLocaleString("en")} of the ${tally.stored.toLocaleString("en")} rows are longer than ${id} reads (${maxTokens} tokens): their vectors stand for their beginning, while keyword search reads them whole.`,
          },
        }
      : {}),
  };
}

/** Rows whose text is longer than the model reads, counted over what is stored (exact after a resume too). */
async function countTruncated(job: JobRun, params: ImportParams): Promise<number> {
  const model = resolveModel(params.model);
  if (!model.info().maxTokens) return 0;
  let count = 0;
  for (let after = 0; ; ) {
    const page = await importedTexts(job.db, { jobId: job.id, afterRow: after, limit: 2_000 });
    if (page.length === 0) return count;
    const truncated = await truncatedTexts(model, page.map((row) => row.text));
    count += page.filter((row) => truncated.has(row.text)).length;
    after = page[page.length - 1].row;
  }
}
