/**
 * Collection maps at scale (lib/maps/): the time to lay out n rows and how well the map keeps
 * each row's neighbours, beside full UMAP (exact kNN, then the same layout) and plain umap-js in
 * the same run, on real vectors: GloVe words from rank 100 on (the 100-d vectors the app ships).
 *
 * kNN preservation@10: for 2,000 sampled rows, the share of their 10 nearest rows by cosine that
 * are among their 10 nearest on the map. Neighbour recall@15: the share of the exact 15 nearest
 * the grouped search finds.
 *
 * Each size runs in a process of its own: run after a smaller size (and umap-js) in one process,
 * the 100,000-row layout took 89 s against 43 s alone.
 *
 * Usage: npm run bench:map [-- --sizes 10000,100000] [-- --no-write]
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { UMAP } from "umap-js";
import { loadGloveVocabulary } from "../lib/embeddings/glove";
import { layoutTable } from "../lib/maps/layout";
import { tableNeighbours } from "../lib/maps/neighbours";
import { normalizeTable, type VectorTable } from "../lib/maps/vectors";
import { exactNeighbourSteps, type NearestNeighbours } from "../lib/projection/knn";
import { createRandom } from "../lib/projection/random";
import { layoutFromNeighbours, runYielding } from "../lib/projection/umap";
import { describeMachine, sourceState, writeResults } from "./bench-report";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const sizes = (option("sizes") ?? "10000,100000").split(",").map(Number);
const write = !args.includes("--no-write");
const FIRST_RANK = 100;
const K = 10;
const SAMPLE = 2_000;
/** plain umap-js takes ~13 s at 10,000 rows and grows faster than linearly: run it up to here. */
const UMAP_JS_UP_TO = 10_000;

const source = sourceState(["lib/maps", "lib/projection"]);
const loadAtStart = os.loadavg()[0];

async function gloveTable(n: number): Promise<VectorTable> {
  const vocabulary = await loadGloveVocabulary();
  const { dims } = vocabulary;
  const data = new Float32Array(n * dims);
  let row = 0;
  for (const { rank, vector } of vocabulary.entries({ limit: FIRST_RANK + n - 1 })) {
    if (rank >= FIRST_RANK) data.set(vector, dims * row++);
  }
  if (row < n) throw new Error(`GloVe has only ${row} words from rank ${FIRST_RANK}, asked for ${n}.`);
  return normalizeTable({ rows: n, dims, data });
}

/** The sampled rows and their exact K nearest other rows by cosine (brute force). */
function sampledTruth(table: VectorTable): { rows: Int32Array; neighbours: Int32Array } {
  const { rows: n, dims, data } = table;
  const random = createRandom(11);
  const count = Math.min(SAMPLE, n);
  const rows = Int32Array.from({ length: count }, () => Math.floor(random() * n));
  const neighbours = new Int32Array(count * K);
  const scores = new Float32Array(n);
  const order = new Int32Array(n);
  rows.forEach((i, s) => {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let t = 0; t < dims; t++) sum += data[i * dims + t] * data[j * dims + t];
      scores[j] = j === i ? -Infinity : sum;
      order[j] = j;
    }
    const best = Array.from(order).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, K);
    neighbours.set(best, s * K);
  });
  return { rows, neighbours };
}

function preservation(truth: { rows: Int32Array; neighbours: Int32Array }, points: ArrayLike<number>): number {
  const n = points.length / 2;
  let kept = 0;
  const distances = new Float64Array(n);
  const order = Array.from({ length: n }, (_, j) => j);
  truth.rows.forEach((i, s) => {
    for (let j = 0; j < n; j++) distances[j] = j === i ? Infinity : (points[2 * i] - points[2 * j]) ** 2 + (points[2 * i + 1] - points[2 * j + 1]) ** 2;
    const onMap = new Set(order.slice().sort((a, b) => distances[a] - distances[b] || a - b).slice(0, K));
    for (const j of truth.neighbours.subarray(s * K, (s + 1) * K)) if (onMap.has(j)) kept++;
  });
  return kept / (truth.rows.length * K);
}

function recall(found: NearestNeighbours, exact: NearestNeighbours): number {
  let hits = 0;
  for (let i = 0; i < exact.n; i++) {
    const truth = new Set(exact.indices.subarray(i * exact.k, (i + 1) * exact.k));
    for (const j of found.indices.subarray(i * found.k, (i + 1) * found.k)) if (truth.has(j)) hits++;
  }
  return hits / (exact.n * exact.k);
}

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - started) / 1000 };
}

interface Row {
  n: number;
  method: string;
  seconds: number;
  preservation: number;
  recall?: number;
}

async function measure(n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const table = await gloveTable(n);
  // Ours first, in a process that has done nothing else yet.
  const ours = await timed(() => layoutTable(table, { seed: 42 }));
  const truth = sampledTruth(table);
  console.log(`n = ${n}: truth for ${truth.rows.length} rows`);
  const grouped = await runYielding(tableNeighbours(table, 15, { seed: 42 }));
  const exactRun = await timed(async () => {
    const exact = await runYielding(exactNeighbourSteps({ rows: n, columns: table.dims, data: Float64Array.from(table.data) }, 15));
    const { embedding } = await layoutFromNeighbours(exact, { seed: 42 });
    return { exact, embedding };
  });
  rows.push({ n, method: "lib/maps: grouped kNN + UMAP layout", seconds: ours.seconds, preservation: preservation(truth, ours.value.points), recall: recall(grouped, exactRun.value.exact) });
  rows.push({ n, method: "full UMAP: exact kNN + the same layout", seconds: exactRun.seconds, preservation: preservation(truth, exactRun.value.embedding), recall: 1 });
  console.log(rows.slice(-2));
  if (n <= UMAP_JS_UP_TO) {
    const random = createRandom(42);
    const vectors = Array.from({ length: n }, (_, i) => Array.from(table.data.subarray(i * table.dims, (i + 1) * table.dims)));
    const plain = await timed(() => new UMAP({ nComponents: 2, random }).fit(vectors));
    rows.push({ n, method: "plain umap-js 1.4.0", seconds: plain.seconds, preservation: preservation(truth, plain.value.flat()) });
    console.log(rows.at(-1));
  }
  return rows;
}

const only = option("only");
if (only !== undefined) {
  // A child run: one size, its rows as JSON on the last line.
  console.log(JSON.stringify(await measure(Number(only))));
  process.exit(0);
}
const rows: Row[] = [];
for (const n of sizes) {
  const child = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "--only", String(n)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`The run of ${n} rows failed (exit ${child.status}).`);
  const lines = child.stdout.trim().split("\n");
  console.log(lines.slice(0, -1).join("\n"));
  rows.push(...(JSON.parse(lines.at(-1)!) as Row[]));
}

const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
const table = [
  "| Rows | Method | Seconds | Preservation@10 | Neighbour recall@15 |",
  "|--:|---|--:|--:|--:|",
  ...rows.map((row) => `| ${row.n.toLocaleString("en")} | ${row.method} | ${row.seconds.toFixed(1)} | ${percent(row.preservation)} | ${row.recall === undefined ? "—" : percent(row.recall)} |`),
].join("\n");
const results = [
  "## Latest run",
  "",
  describeMachine({ loadAtStart, source, extraLines: [`GloVe 100-d words from rank ${FIRST_RANK}; preservation over ${SAMPLE.toLocaleString("en")} sampled rows; one run per figure, each size in a process of its own`] }),
  "",
  "Command: `npm run bench:map`. Seconds: the layout from vectors in memory (reading from and writing to the database not included).",
  "",
  table,
].join("\n");
console.log(results);
if (write) writeResults("bench:map", results, { heading: "# Benchmarks: collection maps" });
