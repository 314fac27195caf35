/**
 * `npm run bench:search`: vocabulary search at 100k vectors (GloVe's 100,000 most frequent words,
 * 100-d), on embedded PGlite and, given `--database-url` (or DATABASE_URL), on PostgreSQL; then the
 * figures into BENCHMARKS.md between the search markers and the vocabulary-load markers (the rest
 * of the file is untouched).
 *
 * 1. **Load**: `loadVocabulary` as the app runs it (words in bulk, then the HNSW index), timed by
 *    phase. PGlite starts from a new directory every run; PostgreSQL is loaded only when its
 *    vocabulary is missing, or again with `--reload` (which deletes that database's GloVe words).
 * 2. **Latency and recall**: `--queries` words drawn uniformly (seeded) from the 100k, each
 *    searched for its 10 nearest other words with `findNearestVocabularyWords`, the app's own query,
 *    timed in this process ("server-side": no HTTP). Once per `hnsw.ef_search` value and once as an
 *    exact scan (`enable_indexscan = off`, checked with EXPLAIN), each on a fresh connection opened
 *    with that setting, after 20 warm-up queries. Recall@10: the share of the exact scan's 10
 *    words that the HNSW search returns, averaged over the queries.
 * 3. **Throughput**: `POST /api/search` (scope vocabulary, k 10, the same words in turn) from
 *    autocannon against the production server (`npm start`'s, on the .next-e2e build), on loopback, for `--duration`
 *    seconds with `--connections` connections, the compute rate limit off; non-2xx replies,
 *    errors and timeouts counted. The server uses the app's default `hnsw.ef_search`.
 *
 * Usage: npm run bench:search [-- --database-url postgres://…] [-- --reload] [-- --queries 200]
 *        [-- --ef 10,20,40,80,160,320] [-- --duration 20] [-- --connections 16] [-- --no-http]
 *        [-- --no-pglite] [-- --no-write]
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database, type DatabaseTarget } from "../lib/db/connection";
import { explainNearest, findNearestVocabularyWords } from "../lib/db/queries";
import { vocabularyIndexOptions } from "../lib/db/vocabulary-queries";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "../lib/embeddings/glove";
import { loadVocabulary } from "../lib/embeddings/vocabulary";
import { createRandom } from "../lib/projection/random";
import { normalize } from "../lib/vectors";
import { buildApp, launchServer } from "../tests/support/server";
import { describeMachine, rootDir, sourceState, writeResults } from "./bench-report";

const WORDS = 100_000;
const K = 10;
const WARM_UP = 20;

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const databaseUrl = argument("database-url") ?? process.env.DATABASE_URL;
const queryCount = Number(argument("queries") ?? 200);
const efValues = (argument("ef") ?? "10,20,40,80,160,320").split(",").map(Number);
const duration = Number(argument("duration") ?? 20);
const connections = Number(argument("connections") ?? 16);
const write = !flag("no-write");

const log = (message: string) => console.error(message);

// The app reads these when it loads the vocabulary; the benchmark is about 100k words.
process.env.GLOVE_VOCABULARY_SIZE = String(WORDS);

interface LoadFigures {
  backend: string;
  words: number;
  rowsSeconds: number;
  indexSeconds: number;
  totalSeconds: number;
  /** CPU time of this process during the load (PGlite's work is all in it). */
  cpuSeconds: number;
  load: string;
}

interface LatencyFigures {
  setting: string;
  ef?: number;
  recall?: number;
  p50: number;
  p95: number;
  results: string[][];
}

interface HttpFigures {
  backend: string;
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(" / ");

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};

/** Loads the vocabulary as the app does, timing its phases from the progress it reports. */
async function measureLoad(db: Database, backend: string): Promise<LoadFigures> {
  const load = loadAverage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let indexingAt = started;
  await loadVocabulary(db, {
    onProgress: (status) => {
      log(`  ${backend}: ${status.state} ${status.wordsLoaded}/${status.wordsTarget} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
      if (status.state === "indexing") indexingAt = performance.now();
    },
  });
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  return {
    backend,
    words: WORDS,
    rowsSeconds: (indexingAt - started) / 1000,
    indexSeconds: (ended - indexingAt) / 1000,
    totalSeconds: (ended - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    load: `${load} → ${loadAverage()}`,
  };
}

/** `queryCount` distinct words drawn uniformly from the loaded ranks, with their unit vectors. */
async function queryWords(): Promise<{ word: string; vector: number[] }[]> {
  const vocabulary = await loadGloveVocabulary();
  const words = [...vocabulary.entries({ limit: WORDS })].map((entry) => entry.word);
  const random = createRandom(42);
  const chosen = new Set<string>();
  while (chosen.size < Math.min(queryCount, words.length)) chosen.add(words[Math.floor(random() * words.length)]);
  return [...chosen].map((word) => ({ word, vector: normalize(vocabulary.vectorOf(word)!) }));
}

/** Times the app's vocabulary query for every word on a connection opened with `settings`. */
async function measureLatency(
  target: DatabaseTarget,
  queries: { word: string; vector: number[] }[],
  settings: Record<string, string>,
  expectIndex: boolean,
): Promise<{ p50: number; p95: number; results: string[][] }> {
  const db = await openDatabase(target, { settings });
  try {
    const plan = await explainNearest(db, { table: "vocabulary_words", model: GLOVE_MODEL_ID, vector: queries[0].vector, k: K });
    if (/vocabulary_words_hnsw_100/.test(plan) !== expectIndex) {
      throw new Error(`Expected a plan ${expectIndex ? "on" : "without"} the HNSW index, got:\n${plan}`);
    }
    const search = ({ word, vector }: { word: string; vector: number[] }) =>
      findNearestVocabularyWords(db, { model: GLOVE_MODEL_ID, vector, k: K, excludeWords: [word] });
    for (const query of queries.slice(0, WARM_UP)) await search(query);
    const times: number[] = [];
    const results: string[][] = [];
    for (const query of queries) {
      const start = performance.now();
      const found = await search(query);
      times.push(performance.now() - start);
      results.push(found.map((result) => result.text));
    }
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), results };
  } finally {
    await db.close();
  }
}

function recallAt(results: string[][], exact: string[][]): number {
  let found = 0;
  let wanted = 0;
  results.forEach((words, i) => {
    const truth = new Set(exact[i]);
    wanted += truth.size;
    found += words.filter((word) => truth.has(word)).length;
  });
  return found / wanted;
}

async function measureSearch(target: DatabaseTarget, backend: string, queries: { word: string; vector: number[] }[]) {
  log(`bench: ${backend}: exact scan, ${queries.length} queries…`);
  const exact = await measureLatency(target, queries, { enable_indexscan: "off" }, false);
  log(`  exact: p50 ${exact.p50.toFixed(2)} ms, p95 ${exact.p95.toFixed(2)} ms`);
  const rows: LatencyFigures[] = [{ setting: "exact scan", ...exact }];
  for (const ef of efValues) {
    const measured = await measureLatency(target, queries, { "hnsw.ef_search": String(ef) }, true);
    const recall = recallAt(measured.results, exact.results);
    log(`  ef_search ${ef}: recall@${K} ${recall.toFixed(3)}, p50 ${measured.p50.toFixed(2)} ms, p95 ${measured.p95.toFixed(2)} ms`);
    rows.push({ setting: `HNSW, ef_search ${ef}`, ef, recall, ...measured });
  }
  return rows;
}

// autocannon ships no types; the little used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

async function measureHttp(backend: string, env: Record<string, string>, words: string[]): Promise<HttpFigures> {
  const server = await launchServer({
    RATE_LIMIT_COMPUTE_PER_MINUTE: "0",
    GLOVE_VOCABULARY_SIZE: String(WORDS),
    ...env,
  });
  try {
    const body = (word: string) => JSON.stringify({ model: GLOVE_MODEL_ID, query: word, scope: "vocabulary", k: K });
    const post = (word: string) =>
      fetch(`${server.url}/api/search`, { method: "POST", headers: { "content-type": "application/json" }, body: body(word) });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const response = await post(words[0]);
      if (response.ok) break;
      if (response.status !== 503 || Date.now() > deadline) throw new Error(`/api/search answered ${response.status}: ${await response.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    for (const word of words) await (await post(word)).arrayBuffer(); // warm-up: every code path compiled
    log(`bench: ${backend}: autocannon, ${connections} connections, ${duration} s…`);
    let next = 0;
    const result = await autocannon({
      url: `${server.url}/api/search`,
      connections,
      duration,
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          setupRequest: (request: Record<string, unknown>) => ({ ...request, body: body(words[next++ % words.length]) }),
        },
      ],
    });
    const figures = {
      backend,
      requestsPerSecond: result.requests.average,
      total: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    };
    log(`  ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await server.stop();
  }
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const s = (value: number) => value.toFixed(1);

async function main(): Promise<void> {
  if (!(Number.isInteger(queryCount) && queryCount >= WARM_UP)) throw new Error(`--queries must be a whole number ≥ ${WARM_UP}.`);
  if (!efValues.every((ef) => Number.isInteger(ef) && ef >= 1 && ef <= 1000)) throw new Error("--ef must be whole numbers 1–1000, e.g. 10,40,160.");
  const loadAtStart = os.loadavg()[0];
  const source = sourceState(["lib", "scripts/bench-search.ts"]);
  const queries = await queryWords();
  const backends: { name: string; target: DatabaseTarget; env: Record<string, string>; cleanup(): void }[] = [];
  if (!flag("no-pglite")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-search-"));
    backends.push({
      name: "PGlite",
      target: { pgliteDir: path.join(dir, "pglite") },
      env: { PGLITE_DIR: path.join(dir, "pglite"), DATABASE_URL: "" },
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    });
  }
  if (databaseUrl) backends.push({ name: "PostgreSQL", target: { url: databaseUrl }, env: { DATABASE_URL: databaseUrl }, cleanup() {} });

  const loads: LoadFigures[] = [];
  const latency: { backend: string; rows: LatencyFigures[] }[] = [];
  const http: HttpFigures[] = [];
  if (!flag("no-http")) {
    process.chdir(rootDir); // buildApp works relative to the project root
    await buildApp();
  }
  for (const backend of backends) {
    try {
      const db = await openDatabase(backend.target);
      try {
        if ("url" in backend.target && flag("reload")) {
          await db.prisma.vocabularyWord.deleteMany({ where: { model: GLOVE_MODEL_ID } });
          await db.prisma.vocabularyLoad.deleteMany({ where: { model: GLOVE_MODEL_ID } });
        }
        log(`bench: ${backend.name}: loading ${WORDS.toLocaleString("en")} words…`);
        const figures = await measureLoad(db, backend.name);
        if (figures.totalSeconds > 1) loads.push(figures);
        else log(`  ${backend.name}: vocabulary already loaded (use --reload to measure loading)`);
      } finally {
        await db.close();
      }
      latency.push({ backend: backend.name, rows: await measureSearch(backend.target, backend.name, queries) });
      if (!flag("no-http")) http.push(await measureHttp(backend.name, backend.env, queries.map((query) => query.word)));
    } finally {
      backend.cleanup();
    }
  }

  const loadTable = [
    "| Backend | Words | Rows in (COPY / INSERT), s | Rows/s | HNSW build, s | Total, s (target ≤ 60) | CPU of this process, s | Load average before → after |",
    "|---|--:|--:|--:|--:|--:|--:|---|",
    ...loads.map(
      (f) =>
        `| ${f.backend} | ${f.words.toLocaleString("en")} | ${s(f.rowsSeconds)} | ${Math.round(f.words / f.rowsSeconds).toLocaleString("en")} | ` +
        `${s(f.indexSeconds)} | ${s(f.totalSeconds)} | ${s(f.cpuSeconds)} | ${f.load} |`,
    ),
  ].join("\n");
  const latencyTables = latency.map(({ backend, rows }) => {
    const exact = rows[0];
    return [
      `**${backend}**, ${queryCount} queries:`,
      "",
      `| Search | Recall@${K} | p50, ms | p95, ms | p50 speed-up over exact |`,
      "|---|--:|--:|--:|--:|",
      ...rows.map(
        (row) =>
          `| ${row.setting} | ${row.recall === undefined ? "1 (reference)" : row.recall.toFixed(3)} | ${ms(row.p50)} | ${ms(row.p95)} | ` +
          `${row === exact ? "1×" : `${(exact.p50 / row.p50).toFixed(0)}×`} |`,
      ),
    ].join("\n");
  });
  const httpTable = [
    `| Backend | Connections | Duration, s | Requests/s (target ≥ 300) | Requests | p50, ms | p99, ms | Non-2xx | Errors | Timeouts |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...http.map(
      (f) =>
        `| ${f.backend} | ${connections} | ${duration} | ${Math.round(f.requestsPerSecond)} | ${f.total.toLocaleString("en")} | ${f.p50} | ${f.p99} | ` +
        `${f.non2xx} | ${f.errors} | ${f.timeouts} |`,
    ),
  ].join("\n");
  const machine = describeMachine({
    loadAtStart,
    source,
    extraLines: [`HNSW m = ${vocabularyIndexOptions.m}, ef_construction = ${vocabularyIndexOptions.efConstruction}`],
  });
  const command = `Command: \`npm run bench:search${databaseUrl ? " -- --database-url …" : ""}\`.`;
  const loadResults = ["## Latest run", "", machine, "", command, "", loadTable].join("\n");
  const searchResults = [
    "## Latest run",
    "",
    machine,
    "",
    `${command} Latency is per query in this process (\`findNearestVocabularyWords\`: driver + SQL, no HTTP), k = ${K}, the query word excluded.`,
    "",
    ...latencyTables.flatMap((table) => [table, ""]),
    http.length ? `\`POST /api/search\` under load (autocannon, loopback, the app's default \`hnsw.ef_search\`):\n\n${httpTable}` : "",
  ].join("\n");
  console.log(loads.length ? `${loadResults}\n\n${searchResults}` : searchResults);
  if (write) {
    if (loads.length) writeResults("bench:vocabulary", loadResults, { heading: "Benchmarks: vocabulary load" });
    writeResults("bench:search", searchResults, { heading: "Benchmarks: search" });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
