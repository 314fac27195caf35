/**
 * `npm run bench:halfvec`: whether storing vectors as pgvector's `halfvec` (2 bytes a dimension)
 * halves memory at no measurable recall loss (issue 16), on embedded PGlite and, given
 * `--database-url` (or DATABASE_URL), on PostgreSQL, beside the app's `vector` in the same run.
 *
 * Data, real vectors, L2-normalised as the app stores them:
 * - GloVe: `--words` words from rank 100 on (as scripts/bench-map.ts), 100-d;
 * - use-lite, the app's default model (512-d): `--texts` chunks of Debian's English manual pages
 *   (the eval's corpus, scripts/eval-retrieval/debian.ts) cut by the app's chunker at 200
 *   characters, embedded once and kept in the temp directory for later runs.
 *
 * Each data set goes into three tables shaped like `collection_chunks` (id, dims, text, embedding)
 * with a partial HNSW index on a cast, as the collections migration makes them (m 16,
 * ef_construction 64, cosine):
 * - `vector`: an untyped `vector` column, index on `("embedding"::vector(d)) vector_cosine_ops`;
 * - `halfvec`: a `halfvec` column, index on `("embedding"::halfvec(d)) halfvec_cosine_ops`;
 * - `vector, halfvec index`: the `vector` column kept exact, only the index on `::halfvec(d)`.
 * Rows first, VACUUM ANALYZE, then the index built once (timed; maintenance_work_mem 512MB, no
 * parallel workers), as the vocabulary load builds its own.
 *
 * Then `--queries` rows drawn (seeded) as queries, each asking for its 10 nearest other rows, in
 * this process through the driver: once through HNSW (`hnsw.ef_search` `--ef`, iterative scans as
 * the app sets them), once as an exact scan (`enable_indexscan` off), each plan checked with
 * EXPLAIN, after 20 warm-up queries. Recall@10 is counted against the exact float32 scan (the
 * truth), and against the variant's own exact scan; the exact halfvec top-10 against the float32 one
 * shows what rounding alone changes. "No measurable loss": halfvec's recall is below vector's by no
 * more than twice the standard error of the per-query difference.
 *
 * Usage: npm run bench:halfvec [-- --database-url postgres://…] [-- --words 100000] [-- --texts 10000]
 *        [-- --queries 500] [-- --ef 80] [-- --no-pglite] [-- --no-write]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector as pgliteVector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import { chunkText } from "../lib/collections/chunker";
import { loadGloveVocabulary } from "../lib/embeddings/glove";
import { createUseLite } from "../lib/embeddings/use-lite";
import { createRandom } from "../lib/projection/random";
import { normalizeToFloat32, toSql } from "../lib/vectors";
import { describeMachine, sourceState, writeResults } from "./bench-report";
import { assembleManCorpus, englishRule } from "./eval-retrieval/debian";

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const wholeNumber = (name: string, fallback: number, least: number) => {
  const value = Number(argument(name) ?? fallback);
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name} must be a whole number of at least ${least}, got "${argument(name)}".`);
  return value;
};
const databaseUrl = argument("database-url") ?? process.env.DATABASE_URL;
const wordCount = wholeNumber("words", 100_000, 1_000);
const textCount = wholeNumber("texts", 10_000, 0);
const queryCount = wholeNumber("queries", 500, 20);
const efSearch = wholeNumber("ef", 80, 1);
const write = !flag("no-write");

const K = 10;
const WARM_UP = 20;
const FIRST_RANK = 100;
const CHUNK_SIZE = 200;
/** pgvector's defaults, as the collections migration builds `collection_chunks_hnsw_<d>`. */
const hnsw = { m: 16, efConstruction: 64 };
const log = (message: string) => console.error(`[bench:halfvec] ${message}`);

interface DataSet {
  name: string;
  dims: number;
  texts: string[];
  /** Row i's unit vector at `i * dims`. */
  vectors: Float32Array;
}

/** One session on either backend: the little this benchmark needs. */
interface Session {
  query<Row>(text: string, values?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

interface Variant {
  label: string;
  /** The table's name suffix. */
  key: string;
  column: "vector" | "halfvec";
  /** The type searches and the index cast to. */
  searchType: "vector" | "halfvec";
}

const variants: Variant[] = [
  { label: "`vector` (the app's)", key: "vector", column: "vector", searchType: "vector" },
  { label: "`halfvec`", key: "halfvec", column: "halfvec", searchType: "halfvec" },
  { label: "`vector`, index on `::halfvec`", key: "vector_halfidx", column: "vector", searchType: "halfvec" },
];

interface VariantFigures {
  variant: Variant;
  /** `pg_table_size`: heap and TOAST. */
  heapBytes: number;
  indexBytes: number;
  totalBytes: number;
  buildSeconds: number;
  /** Per query: share of the float32 exact top-10 found by this variant's HNSW search. */
  hnswRecalls: number[];
  /** Per query: share of this variant's own exact top-10 found by its HNSW search. */
  hnswOwnRecalls: number[];
  /** Per query: share of the float32 exact top-10 in this variant's exact top-10 (rounding alone). */
  exactRecalls: number[];
  hnswP50: number;
  exactP50: number;
}

interface BackendFigures {
  backend: string;
  extension: string;
  data: { set: DataSet; variants: VariantFigures[] }[];
}

// ---------------------------------------------------------------- data

async function gloveData(): Promise<DataSet> {
  const vocabulary = await loadGloveVocabulary();
  const { dims } = vocabulary;
  const vectors = new Float32Array(wordCount * dims);
  const texts: string[] = [];
  for (const { rank, word, vector } of vocabulary.entries({ limit: FIRST_RANK + wordCount - 1 })) {
    if (rank < FIRST_RANK) continue;
    vectors.set(normalizeToFloat32(vector), dims * texts.length);
    texts.push(word);
  }
  if (texts.length < wordCount) throw new Error(`GloVe has only ${texts.length} words from rank ${FIRST_RANK}, asked for ${wordCount}: lower --words.`);
  return { name: `GloVe 100-d, ${wordCount.toLocaleString("en")} words from rank ${FIRST_RANK}`, dims, texts, vectors };
}

/** `--texts` chunks of the English manual pages with their use-lite vectors, embedded once per count. */
async function useLiteData(): Promise<DataSet> {
  const cache = path.join(os.tmpdir(), `bench-halfvec-use-lite-${textCount}-${CHUNK_SIZE}.json`);
  let cached: { texts: string[]; vectors: string } | undefined;
  if (fs.existsSync(cache)) cached = JSON.parse(fs.readFileSync(cache, "utf8"));
  if (!cached) {
    const { pages, source } = await assembleManCorpus({ ...englishRule, minCharacters: 0, maxCharacters: Infinity });
    const texts = [...new Set(pages.flatMap((page) => chunkText(page.text, { size: CHUNK_SIZE, overlap: 0 }).map((chunk) => chunk.text)))].slice(0, textCount);
    if (texts.length < textCount) throw new Error(`${source} gives ${texts.length} distinct chunks of ${CHUNK_SIZE} characters, asked for ${textCount}: lower --texts.`);
    log(`use-lite: embedding ${texts.length.toLocaleString("en")} chunks of ${source}…`);
    const model = createUseLite();
    const started = performance.now();
    const vectors = new Float32Array(texts.length * 512);
    try {
      for (let from = 0; from < texts.length; from += 512) {
        const batch = await model.embed(texts.slice(from, from + 512));
        batch.forEach((vector, i) => vectors.set(normalizeToFloat32(vector), (from + i) * 512));
        log(`  ${Math.min(from + 512, texts.length)} at ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    } finally {
      await model.pool.terminate();
    }
    cached = { texts, vectors: Buffer.from(vectors.buffer).toString("base64") };
    fs.writeFileSync(cache, JSON.stringify(cached));
  }
  const bytes = Buffer.from(cached.vectors, "base64");
  const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return { name: `use-lite 512-d, ${textCount.toLocaleString("en")} manual-page chunks of ≤ ${CHUNK_SIZE} characters`, dims: 512, texts: cached.texts, vectors };
}

const rowVector = (set: DataSet, row: number) => set.vectors.subarray(row * set.dims, (row + 1) * set.dims);

// ---------------------------------------------------------------- backends

async function openPglite(dir: string): Promise<Session> {
  const client = await PGlite.create(dir, { extensions: { vector: pgliteVector } });
  await client.exec("CREATE EXTENSION IF NOT EXISTS vector");
  return {
    query: async <Row>(text: string, values: unknown[] = []) => (await client.query<Row>(text, values)).rows,
    close: () => client.close(),
  };
}

/** A session in a scratch schema of its own, dropped by `close`. */
async function openPostgres(url: string): Promise<Session> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = `bench_halfvec_${process.pid}`;
  await client.query(`CREATE EXTENSION IF NOT EXISTS vector`);
  const [{ extschema }] = (
    await client.query<{ extschema: string }>(`SELECT n.nspname AS extschema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`)
  ).rows;
  await client.query(`CREATE SCHEMA "${schema}"; SET search_path = "${schema}", "${extschema}"`);
  return {
    query: async <Row>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as Row[],
    async close() {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`).catch((error) => log(`could not drop schema ${schema}: ${error}`));
      await client.end();
    },
  };
}

// ---------------------------------------------------------------- measuring

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function loadTable(db: Session, set: DataSet, table: string, column: Variant["column"]): Promise<void> {
  await db.query(`CREATE TABLE "${table}" ("id" INTEGER PRIMARY KEY, "dims" INTEGER NOT NULL, "text" TEXT NOT NULL, "embedding" ${column})`);
  const batch = set.dims > 200 ? 250 : 1_000;
  for (let from = 0; from < set.texts.length; from += batch) {
    const rows = set.texts.slice(from, from + batch).map((text, i) => ({ id: from + i, text, embedding: toSql(rowVector(set, from + i)) }));
    await db.query(
      `INSERT INTO "${table}" SELECT "id", ${set.dims}, "text", "embedding"::${column} FROM json_to_recordset($1::json) AS r("id" INTEGER, "text" TEXT, "embedding" TEXT)`,
      [JSON.stringify(rows)],
    );
  }
  await db.query(`VACUUM ANALYZE "${table}"`);
}

async function buildIndex(db: Session, set: DataSet, table: string, variant: Variant, backend: string): Promise<number> {
  const parallel = backend === "PostgreSQL" ? "SET max_parallel_maintenance_workers = 0;" : "";
  await db.query(`SET maintenance_work_mem = '512MB'`);
  if (parallel) await db.query(parallel);
  const started = performance.now();
  await db.query(
    `CREATE INDEX "${table}_hnsw" ON "${table}" USING hnsw (("embedding"::${variant.searchType}(${set.dims})) ${variant.searchType}_cosine_ops) ` +
      `WITH (m = ${hnsw.m}, ef_construction = ${hnsw.efConstruction}) WHERE "dims" = ${set.dims}`,
  );
  return (performance.now() - started) / 1000;
}

/** The K nearest other rows of each query row, and the median time per query. */
async function searchAll(db: Session, set: DataSet, table: string, variant: Variant, queries: number[], useIndex: boolean) {
  const type = `${variant.searchType}(${set.dims})`;
  const sql = `SELECT "id" FROM "${table}" WHERE "dims" = ${set.dims} ORDER BY "embedding"::${type} <=> $1::${type} LIMIT ${K + 1}`;
  // Small test tables would otherwise be scanned even through HNSW; at 10,000 rows and more the planner picks the index anyway.
  await db.query(useIndex ? `SET enable_seqscan = off` : `SET enable_indexscan = off`);
  const plan = (await db.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, [toSql(rowVector(set, queries[0]))])).map((row) => row["QUERY PLAN"]).join("\n");
  if (plan.includes(`${table}_hnsw`) !== useIndex) throw new Error(`Expected a plan ${useIndex ? "on" : "without"} ${table}_hnsw, got:\n${plan}`);
  const search = async (row: number) => (await db.query<{ id: number }>(sql, [toSql(rowVector(set, row))])).map((found) => Number(found.id));
  for (const row of queries.slice(0, WARM_UP)) await search(row);
  const times: number[] = [];
  const results: number[][] = [];
  for (const row of queries) {
    const started = performance.now();
    const found = await search(row);
    times.push(performance.now() - started);
    results.push(found.filter((id) => id !== row).slice(0, K));
  }
  await db.query(`RESET enable_indexscan`);
  await db.query(`RESET enable_seqscan`);
  return { results, p50: median(times) };
}

const recalls = (results: number[][], truth: number[][]) =>
  results.map((found, i) => {
    const wanted = new Set(truth[i]);
    return found.filter((id) => wanted.has(id)).length / wanted.size;
  });

/** `pg_relation_size`, `pg_table_size` (with TOAST, where a 512-d `vector` goes) or `pg_total_relation_size` (with indexes). */
async function sizeOf(db: Session, relation: string, measure: "pg_relation_size" | "pg_table_size" | "pg_total_relation_size"): Promise<number> {
  const [row] = await db.query<{ bytes: string }>(`SELECT ${measure}($1::regclass) AS "bytes"`, [`"${relation}"`]);
  return Number(row.bytes);
}

async function measureBackend(backend: string, db: Session, sets: DataSet[]): Promise<BackendFigures> {
  const [{ extversion }] = await db.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
  const [{ version }] = await db.query<{ version: string }>(`SELECT current_setting('server_version') AS "version"`);
  await db.query(`SET hnsw.ef_search = ${efSearch}`);
  await db.query(`SET hnsw.iterative_scan = relaxed_order`);
  const figures: BackendFigures = { backend, extension: `PostgreSQL ${version}, pgvector ${extversion}`, data: [] };
  for (const set of sets) {
    const random = createRandom(42);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(queryCount, set.texts.length)) chosen.add(Math.floor(random() * set.texts.length));
    const queries = [...chosen];
    let truth: number[][] | undefined;
    const measured: VariantFigures[] = [];
    for (const variant of variants) {
      const table = `bench_${set.dims}_${variant.key}`;
      log(`${backend}: ${set.name}: ${variant.key}: loading…`);
      await loadTable(db, set, table, variant.column);
      const heapBytes = await sizeOf(db, table, "pg_table_size");
      log(`${backend}: ${set.name}: ${variant.key}: building the index…`);
      const buildSeconds = await buildIndex(db, set, table, variant, backend);
      const indexBytes = await sizeOf(db, `${table}_hnsw`, "pg_relation_size");
      const totalBytes = await sizeOf(db, table, "pg_total_relation_size");
      log(`  built in ${buildSeconds.toFixed(1)} s; table ${(heapBytes / 2 ** 20).toFixed(1)} MiB, index ${(indexBytes / 2 ** 20).toFixed(1)} MiB; searching…`);
      const exact = await searchAll(db, set, table, variant, queries, false);
      truth ??= exact.results; // the first variant is float32 `vector`: the truth
      const approximate = await searchAll(db, set, table, variant, queries, true);
      const result: VariantFigures = {
        variant,
        heapBytes,
        indexBytes,
        totalBytes,
        buildSeconds,
        hnswRecalls: recalls(approximate.results, truth),
        hnswOwnRecalls: recalls(approximate.results, exact.results),
        exactRecalls: recalls(exact.results, truth),
        hnswP50: approximate.p50,
        exactP50: exact.p50,
      };
      log(
        `  recall@${K} ${average(result.hnswRecalls).toFixed(3)} (own exact ${average(result.hnswOwnRecalls).toFixed(3)}, exact kept ${average(result.exactRecalls).toFixed(3)}); ` +
          `p50 HNSW ${approximate.p50.toFixed(2)} ms, exact ${exact.p50.toFixed(2)} ms`,
      );
      measured.push(result);
      await db.query(`DROP TABLE "${table}"`);
    }
    figures.data.push({ set, variants: measured });
  }
  return figures;
}

// ---------------------------------------------------------------- report

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

/** Mean and standard error of baseline − candidate, per query. */
function pairedDifference(baseline: number[], candidate: number[]): { mean: number; standardError: number } {
  const differences = baseline.map((value, i) => value - candidate[i]);
  const mean = average(differences);
  const variance = differences.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, differences.length - 1);
  return { mean, standardError: Math.sqrt(variance / differences.length) };
}

interface Verdict {
  line: string;
  noLoss: boolean;
  smaller: boolean;
  backend: string;
  /** The candidate's build time and HNSW median query time, each over the baseline's. */
  build: number;
  query: number;
}

/** One line per backend and data set for a candidate against the `vector` baseline, from the figures. */
function verdict(backend: string, set: DataSet, baseline: VariantFigures, candidate: VariantFigures): Verdict {
  const { mean, standardError } = pairedDifference(baseline.hnswRecalls, candidate.hnswRecalls);
  const noLoss = mean <= 2 * standardError;
  const smaller = candidate.indexBytes / baseline.indexBytes <= 0.75;
  const line =
    `${backend}, ${set.name}: ${candidate.variant.label} index ${ratio(candidate.indexBytes, baseline.indexBytes)} the size, ` +
    `table + indexes ${ratio(candidate.totalBytes, baseline.totalBytes)}, built in ${ratio(candidate.buildSeconds, baseline.buildSeconds)} the time, ` +
    `HNSW p50 ${ratio(candidate.hnswP50, baseline.hnswP50)}; ` +
    `recall@${K} ${average(candidate.hnswRecalls).toFixed(3)} vs ${average(baseline.hnswRecalls).toFixed(3)} ` +
    `(loss ${mean.toFixed(4)} ± ${standardError.toFixed(4)} standard error): ${noLoss ? "no measurable loss" : "a measurable loss"}; ` +
    `rounding alone keeps ${(100 * average(candidate.exactRecalls)).toFixed(1)} % of the exact top-${K}`;
  return { line, noLoss, smaller, backend, build: candidate.buildSeconds / baseline.buildSeconds, query: candidate.hnswP50 / baseline.hnswP50 };
}

function report(backends: BackendFigures[], machine: string): string {
  const lines = ["## Latest run", "", machine, "", `Command: \`npm run bench:halfvec${databaseUrl ? " -- --database-url …" : ""}\`.`, ""];
  const verdicts: Verdict[] = [];
  for (const { backend, extension, data } of backends) {
    lines.push(`### ${backend} (${extension})`, "");
    for (const { set, variants: measured } of data) {
      const [baseline] = measured;
      lines.push(
        `**${set.name}**, ${queryCount} queries, \`hnsw.ef_search\` ${efSearch}:`,
        "",
        `| Column, index | Table with TOAST, MiB | HNSW index, MiB (× vector) | Table + indexes, MiB (× vector) | Index build, s (× vector) | Recall@${K} HNSW vs exact float32 | Recall@${K} HNSW vs own exact | Exact top-${K} kept vs float32 | p50 HNSW, ms | p50 exact, ms |`,
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ...measured.map(
          (f) =>
            `| ${f.variant.label} | ${mib(f.heapBytes)} | ${mib(f.indexBytes)} (${ratio(f.indexBytes, baseline.indexBytes)}) | ${mib(f.totalBytes)} (${ratio(f.totalBytes, baseline.totalBytes)}) | ` +
            `${f.buildSeconds.toFixed(1)} (${ratio(f.buildSeconds, baseline.buildSeconds)}) | ${average(f.hnswRecalls).toFixed(3)} | ${average(f.hnswOwnRecalls).toFixed(3)} | ` +
            `${average(f.exactRecalls).toFixed(3)} | ${ms(f.hnswP50)} | ${ms(f.exactP50)} |`,
        ),
        "",
      );
      for (const candidate of measured.slice(1)) verdicts.push(verdict(backend, set, baseline, candidate));
    }
  }
  const halfvecColumn = verdicts.filter((v) => v.line.includes(variants[1].label));
  const wins = halfvecColumn.length > 0 && halfvecColumn.every((v) => v.noLoss && v.smaller);
  const span = (values: number[]) => {
    const [least, most] = [Math.min(...values).toFixed(2), Math.max(...values).toFixed(2)];
    return least === most ? `${least}×` : `${least}–${most}×`;
  };
  const costs = backends.map(({ backend }) => {
    const lines = halfvecColumn.filter((v) => v.backend === backend);
    return `${backend}: build ${span(lines.map((v) => v.build))}, HNSW p50 ${span(lines.map((v) => v.query))}`;
  });
  lines.push(
    "Conclusions, computed from the figures above (no measurable loss: the recall lost is at most twice its standard error over the queries):",
    "",
    ...verdicts.map((v) => `- ${v.line}.`),
    "",
    `**${wins ? "halfvec wins on memory: a smaller index at no measurable recall loss, on every backend and data set measured" : "halfvec is not a clear win here: see the lines above"}.** ` +
      `Its time against vector: ${costs.join("; ")}.`,
  );
  return lines.join("\n");
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0];
  const source = sourceState(["scripts/bench-halfvec.ts"]);
  const sets = [await gloveData()];
  if (textCount > 0) sets.push(await useLiteData());
  const backends: BackendFigures[] = [];
  if (!flag("no-pglite")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-halfvec-"));
    const db = await openPglite(path.join(dir, "pglite"));
    try {
      backends.push(await measureBackend("PGlite", db, sets));
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (databaseUrl) {
    const db = await openPostgres(databaseUrl);
    try {
      backends.push(await measureBackend("PostgreSQL", db, sets));
    } finally {
      await db.close();
    }
  }
  if (backends.length === 0) throw new Error("Nothing to measure: drop --no-pglite, or give --database-url.");
  const machine = describeMachine({
    loadAtStart,
    source,
    extraLines: [`HNSW m = ${hnsw.m}, ef_construction = ${hnsw.efConstruction}, cosine; built after the rows, maintenance_work_mem 512MB, no parallel workers`],
  });
  const results = report(backends, machine);
  console.log(results);
  if (write) writeResults("bench:halfvec", results, { heading: "Benchmarks: halfvec against vector (issue 16)" });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
