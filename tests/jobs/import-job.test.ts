import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { createCollection } from "@/lib/collections/store";
import { getCollectionByPublicId, type CollectionRow } from "@/lib/db/collection-queries";
import { cancelJob } from "@/lib/db/job-queries";
import type { Database } from "@/lib/db/connection";
import { importJob } from "@/lib/jobs/imports/kind";
import { queueImport } from "@/lib/jobs/imports/queue";
import { discardImport, resumeImport } from "@/lib/jobs/imports/service";
import { importLimits } from "@/lib/imports/limits";
import { JobRunner } from "@/lib/jobs/runner";
import { toJobInfo } from "@/lib/jobs/service";
import type { JobKind } from "@/lib/jobs/types";
import { receiveImport } from "@/lib/imports/upload";
import { fromSql } from "@/lib/vectors";
import { appErrorOf } from "../support/app-errors";
import { testBackends, useScratchDatabase } from "../support/databases";
import { failureMarker, injectedFailureMessage, installFailureTrigger } from "../support/inject-failure";
import { resultsOf, runToEnd, waitForJob } from "./helpers";

/**
 * Import jobs end to end on each backend: a file streamed to disk, checked at queue time against
 * its first rows, every row checked before anything is stored, rows stored in batches with the
 * real model (or their own vectors), unreadable rows kept without a vector, and a run stopped in
 * the middle resumed after its last stored row.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-import-job-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collection(db: Database, model: string): Promise<CollectionRow & { writeKey: string }> {
  const { collection: created, writeKey } = await createCollection(db, { name: `Import ${model}`, model, public: false });
  return { ...(await getCollectionByPublicId(db, { publicId: created.id }))!, writeKey };
}

async function queue(db: Database, row: CollectionRow, body: BodyInit, query: Record<string, string>) {
  const request = new Request(`http://localhost/api/collections/${row.publicId}/imports?${new URLSearchParams(query)}`, { method: "POST", body });
  const received = await receiveImport(request, { dir });
  try {
    return await queueImport(db, row, received);
  } catch (error) {
    await received.discard();
    throw error;
  }
}

/** Rows stored by the collection, in row order: text, metadata, vector (or null), x, y. */
async function storedRows(db: Database, row: CollectionRow) {
  const rows = await db.prisma.$queryRaw<{ import_row: number; text: string; metadata: Record<string, unknown>; embedding: string | null; x: number | null; y: number | null }[]>`
    SELECT d."import_row", c."text", d."metadata", c."embedding"::text AS "embedding", p."x", p."y"
    FROM "collection_documents" d JOIN "collection_chunks" c ON c."document_id" = d."id"
      LEFT JOIN "collection_points" p ON p."chunk_id" = c."id"
    WHERE d."collection_id" = ${row.id} ORDER BY d."import_row"`;
  return rows.map((each) => ({ ...each, vector: each.embedding === null ? null : fromSql(each.embedding) }));
}

/** A deterministic unit-ish vector per row: `dims` numbers. */
const vectorOf = (i: number, dims: number) => Array.from({ length: dims }, (_, d) => Math.sin(i * 0.37 + d * 1.3) + (d === i % dims ? 2 : 0));

function parquetOf(rows: number, dims: number, { badRow, titles = (row) => `标题 ${row}` }: { badRow?: number; titles?: (row: number) => string } = {}): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: [
      { name: "key", data: Array.from({ length: rows }, (_, i) => `k${i + 1}`), type: "STRING" },
      { name: "title", data: Array.from({ length: rows }, (_, i) => titles(i + 1)), type: "STRING" },
      { name: "embedding", data: Array.from({ length: rows }, (_, i) => vectorOf(i + 1, i + 1 === badRow ? dims - 1 : dims)), type: "JSON" },
      { name: "px", data: Array.from({ length: rows }, (_, i) => i * 0.5), type: "DOUBLE" },
      { name: "py", data: Array.from({ length: rows }, (_, i) => -i), type: "DOUBLE" },
    ],
  });
}

/** `rows` rows of a two-number list<float> vector: a file of a million rows in 0.3 MB. */
function tinyVectors(rows: number): ArrayBuffer {
  const schema = [
    { name: "root", num_children: 1 },
    { name: "v", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
  ];
  return parquetWriteBuffer({ schema: schema as never, rowGroupSize: 100_000, columnData: [{ name: "v", data: Array.from({ length: rows }, (_, i) => [1, i % 7]) }] });
}

describe.each(testBackends)("import jobs on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("embeds a CSV's text column with the collection's model, keeps typed metadata and the id, and stores a row the model cannot read without a vector", async () => {
    const row = await collection(db, "use-lite");
    const csv = [
      "package,description,section,size",
      'curl,"Command line tool for transferring data with URL syntax",web,512',
      'grep,"Search text files for lines, matching ""patterns""\nacross many files",utils,300',
      "cat-zh,猫是一种动物,pets,12",
      "sed,Stream editor for filtering and transforming text,utils,220",
    ].join("\n");
    const queued = await queue(db, row, csv, { format: "csv", filename: "packages.csv", mapping: JSON.stringify({ text: "description", id: "package", metadata: { section: "string", size: "number" } }) });
    expect(queued).toMatchObject({ kind: "import", state: "queued", progress: { files: { done: 0, total: 1 }, rows: { done: 0, total: null } } });

    const job = await runToEnd(db, row, queued.id);
    expect(job.state).toBe("done");
    expect(toJobInfo(row.publicId, job).progress).toMatchObject({ files: { done: 1, total: 1 }, rows: { done: 4, total: 4 } });
    const [result] = await resultsOf(db, job);
    expect(result).toEqual({ status: "imported", rows: 4, stored: 4, duplicates: 0, unreadable: { count: 1, rows: [3] } });

    const stored = await storedRows(db, row);
    expect(stored.map((each) => each.import_row)).toEqual([1, 2, 3, 4]);
    expect(stored[1]).toMatchObject({ text: 'Search text files for lines, matching "patterns"\nacross many files', metadata: { id: "grep", section: "utils", size: 300 } });
    // The Chinese row: kept, searchable by keyword, but given no vector (use-lite cannot read it).
    expect(stored[2]).toMatchObject({ text: "猫是一种动物", vector: null });
    for (const each of [stored[0], stored[1], stored[3]]) {
      expect(each.vector).toHaveLength(512);
      expect(Math.hypot(...each.vector!)).toBeCloseTo(1, 5);
    }
    // The file is gone once the import is done with it.
    expect(fs.existsSync((job.params as { file: string }).file)).toBe(false);

    // The same rows again (same ids): nothing is added twice.
    const again = await queue(db, row, csv, { format: "csv", mapping: JSON.stringify({ text: "description", id: "package" }) });
    const [second] = await resultsOf(db, await runToEnd(db, row, again.id));
    expect(second).toMatchObject({ status: "imported", rows: 4, stored: 0, duplicates: 4 });
  });

  it.skipIf(!backend.enabled)("stores a Parquet file's own vectors (normalised) and positions under own:<name>; a run stopped in the middle resumes after its last stored row", async () => {
    const row = await collection(db, "own:test-vectors");
    const rows = 1_234; // three batches
    const queued = await queue(db, row, parquetOf(rows, 8), { filename: "vectors.parquet", mapping: JSON.stringify({ text: "title", id: "key", vector: "embedding", x: "px", y: "py" }) });
    expect(queued.progress).toMatchObject({ rows: { total: null } });

    // The first runner stops (as a server shutting down does) once it has stored the first batch.
    let runner: JobRunner | undefined;
    const stopping: JobKind = {
      ...importJob,
      run: (job) => importJob.run({ ...job, reportPartial: (units) => (units >= 500 && units < rows ? void runner!.stop() : job.reportPartial(units)) }),
    };
    runner = new JobRunner(db, { owner: "first", kinds: { import: stopping } });
    await runner.start();
    const handedBack = await waitForJob(db, row, queued.id, (job) => job.state === "queued" && job.attempts === 1);
    await runner.stop();
    const partly = await storedRows(db, row);
    expect(partly.length).toBeGreaterThan(0);
    expect(partly.length).toBeLessThan(rows);
    expect(handedBack.unitsTotal).toBe(rows);

    const job = await runToEnd(db, row, queued.id, { owner: "second" });
    expect(job.state).toBe("done");
    const [result] = await resultsOf(db, job);
    expect(result).toEqual({ status: "imported", rows, stored: rows, duplicates: 0, unreadable: { count: 0, rows: [] } });
    const stored = await storedRows(db, row);
    expect(stored.map((each) => each.import_row)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    const raw = vectorOf(700, 8);
    const length = Math.hypot(...raw);
    expect(stored[699].vector!.map((value) => Number(value.toFixed(5)))).toEqual(raw.map((value) => Number((value / length).toFixed(5))));
    expect(stored[699]).toMatchObject({ text: "标题 700", metadata: { id: "k700" }, x: 349.5, y: -699 });
  });

  it.skipIf(!backend.enabled)("cancelled between batches, it keeps the rows stored and says how many", async () => {
    const row = await collection(db, "own:cancelled");
    const queued = await queue(db, row, parquetOf(1_300, 4), { format: "parquet", mapping: JSON.stringify({ id: "key", vector: "embedding" }) });
    let runner: JobRunner | undefined;
    const cancelling: JobKind = {
      ...importJob,
      run: (job) =>
        importJob.run({
          ...job,
          reportPartial(units) {
            job.reportPartial(units);
            // As DELETE …/jobs/:job does, once the first batch is stored.
            if (units >= 500 && units < 1_300) void cancelJob(db, { jobId: job.id, pendingResult: { status: "cancelled" } }).then(() => runner!.cancel(job.id));
          },
        }),
    };
    runner = new JobRunner(db, { owner: "cancelling", kinds: { import: cancelling } });
    await runner.start();
    const job = await waitForJob(db, row, queued.id);
    await runner.stop();
    expect(job.state).toBe("cancelled");
    const stored = await storedRows(db, row);
    expect(stored.length).toBeGreaterThanOrEqual(500);
    expect(stored.length).toBeLessThan(1_300);
    expect((await resultsOf(db, job))[0]).toEqual({ status: "cancelled", rows: 1_300, stored: stored.length, unreadable: { count: 0, rows: [] } });
    expect(toJobInfo(row.publicId, job).progress.rows).toEqual({ done: stored.length, total: 1_300 });
    expect(fs.existsSync((job.params as { file: string }).file)).toBe(false);
  });

  it.skipIf(!backend.enabled)("fails a file with one bad row naming its row and column, storing nothing", async () => {
    const row = await collection(db, "own:bad-rows");
    const queued = await queue(db, row, parquetOf(900, 6, { badRow: 812 }), { filename: "vectors.parquet", mapping: JSON.stringify({ id: "key", vector: "embedding" }) });
    const job = await runToEnd(db, row, queued.id);
    expect(job.state).toBe("failed");
    expect(job.error).toEqual({ code: "bad_request:row", message: 'row 812: column "embedding" has 5 numbers, expected 6.', details: { row: 812, column: "embedding" } });
    expect(await storedRows(db, row)).toEqual([]);

    const repeated = await queue(db, row, "key,v\na,\"[1,2]\"\nb,\"[2,1]\"\na,\"[1,1]\"\n", { format: "csv", mapping: JSON.stringify({ id: "key", vector: "v" }) });
    const failed = await runToEnd(db, row, repeated.id);
    expect(failed.error).toMatchObject({ message: 'row 3: column "key" repeats the id "a" of row 1; ids must be unique in the file.' });
    expect(await storedRows(db, row)).toEqual([]);
  });

  it.skipIf(!backend.enabled)("a failure while storing keeps the batches stored before it and says so; resumed, it goes on after them; discarded, its rows are gone", async () => {
    const row = await collection(db, "own:interrupted");
    await installFailureTrigger(db, { tables: ["collection_chunks"] });
    const file = parquetOf(1_200, 4, { titles: (n) => (n === 700 ? failureMarker : `row ${n}`) });
    const queued = await queue(db, row, file, { format: "parquet", mapping: JSON.stringify({ text: "title", id: "key", vector: "embedding" }) });
    const failed = await runToEnd(db, row, queued.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toMatchObject({
      code: "internal:job",
      message: "The import stopped after an error on our side. Rows 1–500 are stored, the rest are not: resume the job to go on, or discard it to take them out.",
      details: { storedThroughRow: 500 },
    });
    expect(JSON.stringify(failed.error)).not.toContain(injectedFailureMessage);
    expect((await storedRows(db, row)).map((each) => each.import_row)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));

    await db.prisma.$executeRawUnsafe(`DROP TRIGGER "collection_chunks_fail_on_marker" ON "collection_chunks"`);
    const target = { id: row.publicId, key: row.writeKey, jobId: queued.id };
    expect((await resumeImport(db, target)).state).toBe("queued");
    const resumed = await runToEnd(db, row, queued.id);
    expect(resumed.state).toBe("done");
    expect((await resultsOf(db, resumed))[0]).toMatchObject({ status: "imported", rows: 1_200, stored: 1_200 });
    expect((await storedRows(db, row)).map((each) => each.import_row)).toEqual(Array.from({ length: 1_200 }, (_, i) => i + 1));
    expect((await appErrorOf(resumeImport(db, target))).message).toBe(`Import ${queued.id} is done: only a failed import can be resumed.`);

    const { discardedRows, job } = await discardImport(db, target);
    expect(discardedRows).toBe(1_200);
    expect(job.files).toMatchObject([{ status: "discarded", discardedRows: 1_200 }]);
    expect(await storedRows(db, row)).toEqual([]);
    expect((await appErrorOf(discardImport(db, { ...target, key: "wrong" }))).status).toBe(403);
  });

  it.skipIf(!backend.enabled)("refuses at once what the first rows already show: vectors into a model's collection, no vectors into own:, another dimension, a missing column", async () => {
    const model = await collection(db, "use-lite");
    const own = await collection(db, "own:refusals");
    const files = () => fs.readdirSync(dir).filter((name) => name.endsWith(".upload"));
    const before = files();
    const csv = "title,v\ncat,\"[1,0,0]\"\ndog,\"[0,1,0]\"\n";
    const mapping = (value: object) => ({ format: "csv", mapping: JSON.stringify(value) });
    expect((await appErrorOf(queue(db, model, csv, mapping({ text: "title", vector: "v" })))).message).toMatch(/^This collection embeds its rows with use-lite, so it takes no vectors of their own/);
    expect((await appErrorOf(queue(db, own, csv, mapping({ text: "title" })))).message).toMatch(/^mapping.vector is required: this collection holds its rows' own vectors \(own:refusals\)/);
    expect((await appErrorOf(queue(db, model, csv, mapping({ text: "name" })))).message).toBe('mapping.text names column "name", which the file does not have; its columns are "title", "v".');
    expect((await appErrorOf(queue(db, model, csv, { format: "csv" }))).code).toBe("bad_request:mapping");
    expect((await appErrorOf(queue(db, model, csv, { format: "csv", mapping: "{text:" }))).message).toMatch(/^mapping is not valid JSON/);

    await runToEnd(db, own, (await queue(db, own, csv, mapping({ text: "title", vector: "v" }))).id);
    const otherSpace = "title,v\nbird,\"[1,0,0,0]\"\n";
    expect((await appErrorOf(queue(db, own, otherSpace, mapping({ text: "title", vector: "v" })))).message).toBe(
      'Column "v" holds vectors of 4 numbers, but this collection\'s vectors have 3: they come from another space.',
    );
    expect(files()).toEqual(before);
  });

  it.skipIf(!backend.enabled)(`holds at most ${importLimits.maxCollectionRows[backend.name].toLocaleString("en")} rows per collection: a Parquet file past it is refused at once`, async () => {
    const row = await collection(db, "own:full");
    const limit = importLimits.maxCollectionRows[db.kind];
    // Parquet says how many rows it has: one past the limit is refused before any is read.
    const refused = await appErrorOf(queue(db, row, tinyVectors(limit + 1), { format: "parquet", mapping: JSON.stringify({ vector: "v" }) }));
    expect(refused).toMatchObject({ code: "payload_too_large:rows", status: 413 });
    expect(refused.message).toContain(`holds at most ${limit.toLocaleString("en")} rows`);
    expect(refused.message).toContain(`this one has 0, and the file ${(limit + 1).toLocaleString("en")} more`);
  });

  // The same check, counted by the job for a CSV (whose rows are known once read), against rows the collection holds.
  it.skipIf(!backend.enabled || backend.name !== "pglite")("counts a CSV's rows before storing any, against the rows the collection already holds", async () => {
    const row = await collection(db, "own:almost-full");
    const limit = importLimits.maxCollectionRows[db.kind];
    // A collection one row short of the limit, made directly: one document of limit − 1 chunks without vectors.
    const [document] = await db.prisma.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "collection_documents" ("collection_id", "public_id", "content_hash", "text") VALUES (${row.id}, 'filler0000000000', repeat('0', 64), 'filler') RETURNING "id"`;
    await db.prisma.$executeRaw`
      INSERT INTO "collection_chunks" ("collection_id", "document_id", "position", "text", "start_offset", "end_offset", "dims")
      SELECT ${row.id}, ${document.id}, n, 'x', 0, 1, 0 FROM generate_series(0, ${limit - 2}) AS n`;
    const csvJob = await queue(db, row, "v\n\"[1,2]\"\n\"[2,1]\"\n", { format: "csv", mapping: JSON.stringify({ vector: "v" }) });
    expect((await runToEnd(db, row, csvJob.id)).error).toMatchObject({ code: "payload_too_large:rows" });
    const oneRow = await queue(db, row, "v\n\"[1,2]\"\n", { format: "csv", mapping: JSON.stringify({ vector: "v" }) });
    expect((await runToEnd(db, row, oneRow.id)).state).toBe("done");
  });
});
