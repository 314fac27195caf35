/**
 * `npm run bench:vocabulary`: the first load of GloVe's 100,000-word vocabulary on embedded PGlite,
 * and how long the server's other requests wait meanwhile (issue 14, finding 8). Two runs in one
 * process, each from a new directory: "before", the words and their HNSW index in the server's own
 * PGlite (as before this change); "after", in the vocabulary's PGlite in a worker thread
 * (lib/db/vocabulary-store.ts). Then the figures into BENCHMARKS.md between the
 * vocabulary-responsiveness markers.
 *
 * During each load a probe asks the server's database `SELECT 1` every 50 ms, as a request would
 * (e.g. /api/embed on a cached text, which reads the cache): its wait is from when it was due to
 * when it was answered, so a blocked event loop counts as much as a busy session. Reported: the
 * longest wait, overall and during the index build, and how many probes were answered during it.
 * Then, in the "before" database, `--step-rows` (default 2,000) more words go in with the finished
 * index maintained, 500 per transaction: the per-row cost of growing the index in bounded steps
 * instead of building it in bulk.
 *
 * Usage: npm run bench:vocabulary [-- --words 100000] [-- --no-before] [-- --no-write]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../lib/db/connection";
import { saveVocabularyWords } from "../lib/db/vocabulary-queries";
import { vocabularyStore, vocabularyStoreOptions } from "../lib/db/vocabulary-store";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "../lib/embeddings/glove";
import { loadVocabulary } from "../lib/embeddings/vocabulary";
import { normalize } from "../lib/vectors";
import { describeMachine, sourceState, writeResults } from "./bench-report";

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const words = Number(argument("words") ?? 100_000);
const stepRows = Number(argument("step-rows") ?? 2_000);
const probeIntervalMs = 50;
process.env.GLOVE_VOCABULARY_SIZE = String(words);

const log = (message: string) => console.error(message);

interface LoadRun {
  label: string;
  rowsSeconds: number;
  indexSeconds: number;
  totalSeconds: number;
  cpuSeconds: number;
  longestWaitMs: number;
  longestWaitIndexingMs: number;
  probesIndexing: number;
  probes: number;
  load: string;
  /** Milliseconds per row for words added with the index in place (bounded steps), if measured. */
  insertMsPerRow?: number;
}

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(" / ");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Probes `db` every `probeIntervalMs` until `done()`; each wait is from when the probe was due to its answer. */
async function probe(db: Database, done: () => boolean, indexing: () => boolean): Promise<{ all: number[]; indexing: number[] }> {
  const waits = { all: [] as number[], indexing: [] as number[] };
  let due = performance.now();
  while (!done()) {
    due += probeIntervalMs;
    await sleep(due - performance.now());
    const duringIndex = indexing();
    await db.prisma.$queryRaw`SELECT 1`;
    const wait = performance.now() - due;
    waits.all.push(wait);
    if (duringIndex || indexing()) waits.indexing.push(wait);
    due = Math.max(due, performance.now() - probeIntervalMs);
  }
  return waits;
}

async function measure(label: string, pgliteWorker: boolean): Promise<LoadRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-vocabulary-"));
  vocabularyStoreOptions.pgliteWorker = pgliteWorker;
  const db = await openDatabase({ pgliteDir: dir });
  vocabularyStore(db);
  try {
    const load = loadAverage();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let indexingAt = 0;
    let ended = 0;
    const probing = probe(
      db,
      () => ended > 0,
      () => indexingAt > 0,
    );
    await loadVocabulary(db, {
      onProgress: (status) => {
        log(`  ${label}: ${status.state} ${status.wordsLoaded}/${status.wordsTarget} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
        if (status.state === "indexing") indexingAt = performance.now();
      },
    });
    ended = performance.now();
    const waits = await probing;
    const used = process.cpuUsage(cpu);
    const insertMsPerRow = pgliteWorker ? undefined : await measureIndexedInserts(db);
    return {
      insertMsPerRow,
      label,
      rowsSeconds: (indexingAt - started) / 1000,
      indexSeconds: (ended - indexingAt) / 1000,
      totalSeconds: (ended - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      longestWaitMs: Math.max(...waits.all),
      longestWaitIndexingMs: Math.max(0, ...waits.indexing),
      probesIndexing: waits.indexing.length,
      probes: waits.all.length,
      load: `${load} → ${loadAverage()}`,
    };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds `stepRows` words after the loaded ones with the HNSW index in place; milliseconds per row. */
async function measureIndexedInserts(db: Database): Promise<number> {
  const glove = await loadGloveVocabulary();
  const rows = [...glove.entries({ limit: words + stepRows })]
    .slice(words)
    .map(({ rank, word, vector }) => ({ rank, word, vector: Float32Array.from(normalize(vector)) }));
  const started = performance.now();
  for (let at = 0; at < rows.length; at += 500) await saveVocabularyWords(db, { model: GLOVE_MODEL_ID, words: rows.slice(at, at + 500) });
  const msPerRow = (performance.now() - started) / rows.length;
  log(`  ${stepRows} words with the index in place: ${msPerRow.toFixed(2)} ms per row`);
  return msPerRow;
}

const loadAtStart = os.loadavg()[0];
const source = sourceState(["lib/db", "lib/embeddings/vocabulary.ts"]);
const runs: LoadRun[] = [];
if (!flag("no-before")) runs.push(await measure("before: words and index in the server's PGlite", false));
runs.push(await measure("after: in the vocabulary's PGlite, in a worker thread", true));

const seconds = (value: number) => value.toFixed(1);
const table = [
  "| Where the vocabulary goes | Rows in, s | HNSW build, s | Total, s (target ≤ 60) | CPU of the process, s | Longest wait of a probe, ms (during the build) | Probes answered during the build | Load average before → after |",
  "|---|--:|--:|--:|--:|--:|--:|---|",
  ...runs.map(
    (run) =>
      `| ${run.label} | ${seconds(run.rowsSeconds)} | ${seconds(run.indexSeconds)} | ${seconds(run.totalSeconds)} | ${seconds(run.cpuSeconds)} | ` +
      `${Math.round(run.longestWaitMs).toLocaleString("en")} (${Math.round(run.longestWaitIndexingMs).toLocaleString("en")}) | ${run.probesIndexing} of ${run.probes} | ${run.load} |`,
  ),
].join("\n");
const results = [
  "## Latest run",
  "",
  describeMachine({ loadAtStart, source, extraLines: [`${words.toLocaleString("en")} GloVe words × 100 dims, PGlite from a new directory for each run`] }),
  "",
  `Command: \`npm run bench:vocabulary\`. A probe asks the server's PGlite \`SELECT 1\` every ${probeIntervalMs} ms during the load; its wait runs from when it was due to its answer.`,
  "",
  table,
  ...runs.flatMap((run) =>
    run.insertMsPerRow === undefined
      ? []
      : [
          "",
          `Growing the finished index instead (${stepRows.toLocaleString("en")} more words, 500 per transaction, index in place): ` +
            `${run.insertMsPerRow.toFixed(2)} ms per row, against ${((1000 * run.indexSeconds) / words).toFixed(2)} ms per row for the bulk build above: ` +
            `${Math.round((run.insertMsPerRow * words) / 1000)} s for ${words.toLocaleString("en")} words in bounded steps.`,
        ],
  ),
].join("\n");
console.log(results);
if (!flag("no-write")) writeResults("vocabulary-responsiveness", results, { heading: "Benchmarks: answering during the vocabulary load (issue 14, finding 8)" });
