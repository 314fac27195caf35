/**
 * `npm run bench:import`: how fast a table of own vectors goes into a collection (issue 16: "own
 * vectors into PostgreSQL at ≥ 20,000 rows/s"), on the embedded database and, with DATABASE_URL, on
 * PostgreSQL. A Parquet file of generated rows (an id and a list<float> vector each, row groups of
 * 10,000, as pyarrow writes them) is imported by the real job (both passes: every row checked, then
 * stored), beside two baselines in the same run: reading the file alone (the job reads it twice),
 * and the bare binary COPY of the same rows into a table with no index (what the database can take).
 *
 * Usage: npm run bench:import [-- --rows 100000] [-- --dims 384] [-- --no-write]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { createCollection } from "../lib/collections/store";
import { getCollectionByPublicId } from "../lib/db/collection-queries";
import { openDatabase, type Database } from "../lib/db/connection";
import { getJobByPublicId } from "../lib/db/job-queries";
import { encodeBinaryCopy } from "../lib/db/pg-copy";
import { resolveImportFormat } from "../lib/imports/registry";
import { receiveImport } from "../lib/imports/upload";
import { queueImport } from "../lib/jobs/imports/queue";
import { JobRunner } from "../lib/jobs/runner";
import { normalizeToFloat32 } from "../lib/vectors";
import { describeMachine, sourceState, writeResults } from "./bench-report";

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const rows = Number(argument("rows") ?? 100_000);
const dims = Number(argument("dims") ?? 384);
const log = (message: string) => console.error(message);
const loadAtStart = os.loadavg()[0];
const source = sourceState(["lib/jobs/imports", "lib/imports", "lib/db"]);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-import-"));

const schema = [
  { name: "root", num_children: 2 },
  { name: "key", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "embedding", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
];
const vectorOf = (i: number) => Array.from({ length: dims }, (_, d) => Math.sin(i * 0.7 + d * 1.3) + (d === i % dims ? 1 : 0));

log(`writing ${rows.toLocaleString("en")} rows × ${dims} to Parquet…`);
const file = path.join(workDir, "vectors.parquet");
fs.writeFileSync(
  file,
  Buffer.from(
    parquetWriteBuffer({
      schema: schema as never,
      rowGroupSize: 10_000,
      columnData: [
        { name: "key", data: Array.from({ length: rows }, (_, i) => `row-${i + 1}`) },
        { name: "embedding", data: Array.from({ length: rows }, (_, i) => vectorOf(i + 1)) },
      ],
    }),
  ),
);
const fileMb = fs.statSync(file).size / 1e6;

async function readOnce(): Promise<number> {
  const started = performance.now();
  let count = 0;
  for await (const batch of resolveImportFormat({ format: "parquet" }).rows(file, { batchSize: 500 })) count += batch.length;
  if (count !== rows) throw new Error(`read ${count} rows, expected ${rows}`);
  return (performance.now() - started) / 1000;
}

async function bareCopy(db: Database): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < rows; from += 500) {
    const batch = Array.from({ length: Math.min(500, rows - from) }, (_, i) => [{ text: `row-${from + i + 1}` }, { vector: normalizeToFloat32(vectorOf(from + i + 1)) }]);
    await db.copyIn({
      setup: `CREATE TEMP TABLE IF NOT EXISTS "bench_staging" ("key" TEXT, "embedding" vector) ON COMMIT DELETE ROWS; CREATE TABLE IF NOT EXISTS "bench_rows" ("key" TEXT, "embedding" vector)`,
      table: `"bench_staging"`,
      rows: encodeBinaryCopy(batch),
      finish: `INSERT INTO "bench_rows" SELECT * FROM "bench_staging"`,
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await db.prisma.$executeRawUnsafe(`DROP TABLE "bench_rows"`);
  return seconds;
}

async function importJob(db: Database): Promise<{ seconds: number; rssMb: number }> {
  const { collection } = await createCollection(db, { name: "bench", model: "own:bench", public: false });
  const row = (await getCollectionByPublicId(db, { publicId: collection.id }))!;
  const mapping = encodeURIComponent(JSON.stringify({ id: "key", vector: "embedding" }));
  const body = fs.createReadStream(file) as unknown as ReadableStream;
  const received = await receiveImport(new Request(`http://localhost/x?format=parquet&mapping=${mapping}`, { method: "POST", body, duplex: "half" } as RequestInit), { dir: workDir });
  const rss = process.memoryUsage().rss;
  let peak = rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  const job = await queueImport(db, row, received);
  const runner = new JobRunner(db, { owner: "bench", pollMs: 50 });
  await runner.start();
  for (;;) {
    const state = (await getJobByPublicId(db, { collectionId: row.id, publicId: job.id }))!;
    if (state.state !== "queued" && state.state !== "running") {
      if (state.state !== "done") throw new Error(`the import ended ${state.state}: ${JSON.stringify(state.error)}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await runner.stop();
  return { seconds, rssMb: (peak - rss) / 1e6 };
}

interface Figures {
  backend: string;
  read: number;
  copy: number;
  job: { seconds: number; rssMb: number };
}

const results: Figures[] = [];
const readSeconds = await readOnce();
const targets: { name: string; open: () => Promise<Database> }[] = [{ name: "PGlite", open: () => openDatabase({ pgliteDir: path.join(workDir, "pglite") }) }];
if (process.env.DATABASE_URL) targets.push({ name: "PostgreSQL", open: () => openDatabase({ url: process.env.DATABASE_URL! }) });
for (const target of targets) {
  log(`${target.name}: bare COPY…`);
  const db = await target.open();
  try {
    const copy = await bareCopy(db);
    log(`${target.name}: the import job…`);
    const job = await importJob(db);
    results.push({ backend: target.name, read: readSeconds, copy, job });
  } finally {
    await db.close();
  }
}
fs.rmSync(workDir, { recursive: true, force: true });

const rate = (seconds: number) => Math.round(rows / seconds).toLocaleString("en");
const report = [
  "## Latest run",
  "",
  describeMachine({
    loadAtStart,
    source,
    extraLines: [`${rows.toLocaleString("en")} rows × ${dims} float32 (Parquet, list<float>, row groups of 10,000, ${fileMb.toFixed(0)} MB); an id column and the vector`],
  }),
  "",
  "Command: `npm run bench:import`. Rows per second; the job's figure is the whole import (every row read and checked, then read again and stored, 500 per transaction), from queueing to done.",
  "",
  "| Database | Reading the file once (hyparquet) | Bare binary COPY, no index (the floor) | The import job | Memory growth during the job |",
  "|---|--:|--:|--:|--:|",
  ...results.map((figures) => `| ${figures.backend} | ${rate(figures.read)} | ${rate(figures.copy)} | ${rate(figures.job.seconds)} | ${figures.job.rssMb.toFixed(0)} MB |`),
].join("\n");
console.log(report);
if (!process.argv.includes("--no-write")) writeResults("import", report, { heading: "Benchmarks: importing a table of own vectors (issue 16)" });
