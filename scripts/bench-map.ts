/**
 * Collection maps at scale (lib/maps/): the time to lay out n rows and how well the map keeps
 * each row's neighbours, beside full UMAP (exact kNN, then the same layout), plain umap-js and
 * Embedding Atlas's UMAP (WebAssembly, from npm) in the same run, on the same rows:
 * - up to 100,000 rows, real vectors: GloVe words from rank 100 on (the 100-d vectors the app ships);
 * - above that, generated vectors with known labels (a seeded Gaussian mixture, `gaussianMixture`),
 *   384-d like MiniLM's, so that a map's neighbours can also be checked against the labels.
 *
 * kNN preservation@10: for 2,000 sampled rows, the share of their 10 nearest rows by cosine that
 * are among their 10 nearest on the map. Neighbour recall@15: the share of the sampled rows' exact
 * 15 nearest (the row itself included, as in UMAP's graph) that the method's neighbour search found.
 * Label purity@10 (generated data only): the share of the sampled rows' 10 nearest on the map that
 * come from the same mixture component. Peak RSS: the process's high-water mark when the method
 * had finished, its input included (each method that has one runs in a process of its own).
 *
 * Each size runs in a process of its own, and Embedding Atlas in another: run after a smaller
 * size (and umap-js) in one process, the 100,000-row layout took 89 s against 43 s alone.
 *
 * Embedding Atlas is not a devDependency: `embedding-atlas` declares the Mosaic packages as
 * required peers, npm installs peers, and one of theirs (@uwdata/wk-geojson) is not in the
 * registry this project installs from, so adding it would break `npm ci`. Its UMAP is one
 * self-contained module in the tarball, so the script unpacks the tarball (`npm pack`, checked
 * against a pinned integrity) into node_modules/.cache and imports that module; without the
 * registry its rows are left out, with a line saying so.
 *
 * Usage: npm run bench:map [-- --sizes 10000,100000,1000000] [-- --data glove|mixture] [-- --no-write]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { UMAP } from "umap-js";
import { loadGloveVocabulary } from "../lib/embeddings/glove";
import { layoutTable } from "../lib/maps/layout";
import { normalizeTable, type VectorTable } from "../lib/maps/vectors";
import { exactNeighbourSteps, type NearestNeighbours } from "../lib/projection/knn";
import { createRandom } from "../lib/projection/random";
import { TILE, tileProducts } from "../lib/projection/tile-products";
import { layoutFromNeighbours, runYielding } from "../lib/projection/umap";
import { describeMachine, rootDir, sourceState, writeResults } from "./bench-report";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const sizes = (option("sizes") ?? "10000,100000").split(",").map(Number);
const write = !args.includes("--no-write");
const FIRST_RANK = 100;
const K = 10;
const RECALL_K = 15;
const SAMPLE = 2_000;
/** plain umap-js takes ~13 s at 10,000 rows and grows faster than linearly: run it up to here. */
const UMAP_JS_UP_TO = 10_000;
/** Exact kNN compares every pair: 100 s at 100,000 × 100, so hours at 1M × 384. */
const FULL_UMAP_UP_TO = 100_000;
/** Embedding Atlas took 99 s for 100,000 × 384 here (STACK-NOTES); 1M would take well over 15 minutes. */
const ATLAS_UP_TO = 100_000;
/** Real vectors up to here (GloVe has ~400,000 words, but the app's maps are checked at 100,000); generated above. */
const GLOVE_UP_TO = 100_000;
/** The layout after this share of its epochs is the "first preview". */
const PREVIEW_SHARE = 0.1;

const MIXTURE = { dims: 384, components: 300, families: 20, localDims: 12, seed: 7 };
const ATLAS = { version: "0.26.0", integrity: "sha512-IHAQkJ4aH8wzaVpr9LYkjWSP025Ie+ub1MtQX9buz0V8PpMKbWcYtXr8U3iea2pK3AhA0XUtXSI8ZLbsubE4pg==" };
const atlasDir = path.join(rootDir, "node_modules", ".cache", "bench-map", `embedding-atlas-${ATLAS.version}`);
const atlasEntry = path.join(atlasDir, "package", "dist", "umap.js");

const source = sourceState(["lib/maps", "lib/projection"]);
const loadAtStart = os.loadavg()[0];

type DataKind = "glove" | "mixture";
const dataFor = (n: number): DataKind => (option("data") as DataKind | undefined) ?? (n <= GLOVE_UP_TO ? "glove" : "mixture");

interface LabelledTable {
  table: VectorTable;
  /** Mixture component of each row (generated data only). */
  labels?: Uint16Array;
}

async function gloveTable(n: number): Promise<LabelledTable> {
  const vocabulary = await loadGloveVocabulary();
  const { dims } = vocabulary;
  const data = new Float32Array(n * dims);
  let row = 0;
  for (const { rank, vector } of vocabulary.entries({ limit: FIRST_RANK + n - 1 })) {
    if (rank >= FIRST_RANK) data.set(vector, dims * row++);
  }
  if (row < n) throw new Error(`GloVe has only ${row} words from rank ${FIRST_RANK}, asked for ${n}.`);
  return { table: normalizeTable({ rows: n, dims, data }) };
}

/**
 * n seeded rows from a Gaussian mixture that looks like sentence embeddings more than a cloud of
 * isotropic blobs does: `components` of different sizes (log-normal weights, ~10× apart) and
 * spreads, in `families` of related ones (centres near a family's centre), each component varying
 * mostly along its own few (`localDims`) directions, plus a little noise in every dimension;
 * rows scaled to length 1. Labels are the components.
 */
function gaussianMixture(n: number, { dims, components, families, localDims, seed } = MIXTURE): LabelledTable {
  const random = createRandom(seed);
  let spare: number | undefined;
  const gaussian = () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  const unitScale = 1 / Math.sqrt(dims);
  const familyCentres = Float64Array.from({ length: families * dims }, () => gaussian() * unitScale);
  const centres = new Float64Array(components * dims);
  const bases = new Float64Array(components * localDims * dims);
  const spreads = new Float64Array(components);
  const cumulative = new Float64Array(components);
  let total = 0;
  for (let c = 0; c < components; c++) {
    const family = Math.floor(random() * families);
    for (let t = 0; t < dims; t++) centres[c * dims + t] = familyCentres[family * dims + t] + 0.7 * gaussian() * unitScale;
    for (let s = 0; s < localDims * dims; s++) bases[c * localDims * dims + s] = gaussian() * unitScale;
    spreads[c] = 0.12 * Math.exp(0.35 * gaussian());
    total += Math.exp(gaussian());
    cumulative[c] = total;
  }
  const data = new Float32Array(n * dims);
  const labels = new Uint16Array(n);
  const local = new Float64Array(localDims);
  for (let i = 0; i < n; i++) {
    const pick = random() * total;
    let c = 0;
    while (cumulative[c] < pick) c++;
    labels[i] = c;
    for (let r = 0; r < localDims; r++) local[r] = gaussian();
    const spread = spreads[c];
    for (let t = 0; t < dims; t++) {
      let value = centres[c * dims + t] + 0.3 * spread * gaussian() * unitScale;
      for (let r = 0; r < localDims; r++) value += spread * local[r] * bases[(c * localDims + r) * dims + t];
      data[i * dims + t] = value;
    }
  }
  return { table: normalizeTable({ rows: n, dims, data }), labels };
}

const loadTable = (n: number): Promise<LabelledTable> | LabelledTable => (dataFor(n) === "glove" ? gloveTable(n) : gaussianMixture(n));

interface Truth {
  rows: Int32Array;
  /** Each sampled row's RECALL_K nearest other rows by cosine, nearest first (ties: lower index). */
  neighbours: Int32Array;
}

/** Rows compared with the sample per block: one WebAssembly memory each. */
const TRUTH_BLOCK_ROWS = 16_384;

/** The sampled rows and their exact nearest other rows by cosine: brute force, by the SIMD tile products. */
function sampledTruth(table: VectorTable): Truth {
  const { rows: n, dims, data } = table;
  const random = createRandom(11);
  const count = Math.min(SAMPLE, n);
  const rows = Int32Array.from({ length: count }, () => Math.floor(random() * n));
  const best = Array.from({ length: count }, () => new BestList(RECALL_K, "largest"));
  const count4 = Math.ceil(count / 4) * 4;
  for (let start = 0; start < n; start += TRUTH_BLOCK_ROWS) {
    const blockRows = Math.min(TRUTH_BLOCK_ROWS, n - start);
    const joined = new Float32Array((count4 + blockRows) * dims);
    rows.forEach((i, s) => joined.set(data.subarray(i * dims, (i + 1) * dims), s * dims));
    joined.set(data.subarray(start * dims, (start + blockRows) * dims), count4 * dims);
    const products = tileProducts(joined, count4 + blockRows, dims);
    const { tile } = products;
    for (let a0 = 0; a0 < count4; a0 += TILE) {
      const a1 = Math.min(a0 + TILE, count4);
      for (let b0 = count4; b0 < count4 + blockRows; b0 += TILE) {
        const b1 = Math.min(b0 + TILE, products.rows);
        products.compute(a0, a1, b0, b1);
        for (let a = a0; a < a1 && a < count; a++) {
          const list = best[a];
          for (let b = b0; b < b1 && b < count4 + blockRows; b++) {
            const j = start + b - count4;
            if (j !== rows[a]) list.offer(j, tile[(a - a0) * TILE + (b - b0)]);
          }
        }
      }
    }
  }
  const neighbours = new Int32Array(count * RECALL_K);
  best.forEach((list, s) => neighbours.set(list.ids, s * RECALL_K));
  return { rows, neighbours };
}

/** The best `size` (id, score) offered, kept sorted best first; on a tie the earlier offer stays ahead. */
class BestList {
  readonly ids: Int32Array;
  private readonly scores: Float64Array;

  constructor(
    private readonly size: number,
    private readonly keep: "largest" | "smallest",
  ) {
    this.ids = new Int32Array(size).fill(-1);
    this.scores = new Float64Array(size).fill(keep === "largest" ? -Infinity : Infinity);
  }

  offer(id: number, score: number): void {
    const { ids, scores, size } = this;
    const better = this.keep === "largest" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
    if (!better(score, scores[size - 1])) return;
    let at = size - 1;
    while (at > 0 && better(score, scores[at - 1])) {
      scores[at] = scores[at - 1];
      ids[at] = ids[at - 1];
      at--;
    }
    scores[at] = score;
    ids[at] = id;
  }
}

/** Each sampled row's K nearest other rows on the map (ties: lower index). */
function mapNeighbours(truth: Truth, points: ArrayLike<number>): Int32Array {
  const n = points.length / 2;
  const found = new Int32Array(truth.rows.length * K);
  truth.rows.forEach((i, s) => {
    const list = new BestList(K, "smallest");
    const x = points[2 * i];
    const y = points[2 * i + 1];
    for (let j = 0; j < n; j++) if (j !== i) list.offer(j, (x - points[2 * j]) ** 2 + (y - points[2 * j + 1]) ** 2);
    found.set(list.ids, s * K);
  });
  return found;
}

function preservation(truth: Truth, onMap: Int32Array): number {
  let kept = 0;
  truth.rows.forEach((_, s) => {
    const near = new Set(onMap.subarray(s * K, (s + 1) * K));
    for (const j of truth.neighbours.subarray(s * RECALL_K, s * RECALL_K + K)) if (near.has(j)) kept++;
  });
  return kept / (truth.rows.length * K);
}

function purity(truth: Truth, neighbours: Int32Array, width: number, labels: Uint16Array): number {
  let same = 0;
  truth.rows.forEach((i, s) => {
    for (let slot = 0; slot < K; slot++) if (labels[neighbours[s * width + slot]] === labels[i]) same++;
  });
  return same / (truth.rows.length * K);
}

/** For the sampled rows: the share of their exact RECALL_K nearest (themselves and the nearest RECALL_K − 1 others) found. */
function sampledRecall(truth: Truth, found: { k: number; indices: ArrayLike<number> }): number {
  let hits = 0;
  truth.rows.forEach((i, s) => {
    const exact = new Set([i, ...truth.neighbours.subarray(s * RECALL_K, s * RECALL_K + RECALL_K - 1)]);
    for (let slot = 0; slot < Math.min(found.k, RECALL_K); slot++) if (exact.has(found.indices[i * found.k + slot])) hits++;
  });
  return hits / (truth.rows.length * RECALL_K);
}

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - started) / 1000 };
}

const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

interface Row {
  n: number;
  data: DataKind;
  method: string;
  seconds: number;
  preservation: number;
  recall?: number;
  purity?: number;
  /** Seconds to the layout after PREVIEW_SHARE of its epochs. */
  preview?: number;
  peakRssMB?: number;
}

function scored(n: number, data: DataKind, method: string, seconds: number, points: ArrayLike<number>, truth: Truth, labels?: Uint16Array): Row {
  const onMap = mapNeighbours(truth, points);
  return { n, data, method, seconds, preservation: preservation(truth, onMap), ...(labels && { purity: purity(truth, onMap, K, labels) }) };
}

async function measureOurs(n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const data = dataFor(n);
  const { table, labels } = await loadTable(n);
  console.log(`n = ${n} (${data}): table ready, peak RSS ${peakRssMB().toFixed(0)} MB`);
  // Ours first, in a process that has done nothing else yet.
  let neighbours: NearestNeighbours | undefined;
  let started = performance.now();
  let neighboursAt = 0;
  let previewAt: number | undefined;
  const ours = await timed(() => {
    started = performance.now();
    return layoutTable(table, {
      seed: 42,
      onNeighbours: (found) => (neighbours = found),
      onProgress: (step, done) => {
        if (step === "neighbours") neighboursAt = (performance.now() - started) / 1000;
        if (step === "layout" && done >= PREVIEW_SHARE && previewAt === undefined) previewAt = (performance.now() - started) / 1000;
      },
    });
  });
  const oursPeak = peakRssMB();
  console.log(`n = ${n}: ours ${ours.seconds.toFixed(1)} s (neighbours ${neighboursAt.toFixed(1)} s), peak RSS ${oursPeak.toFixed(0)} MB`);
  const truth = sampledTruth(table);
  console.log(`n = ${n}: truth for ${truth.rows.length} rows`);
  const oursRow = scored(n, data, "lib/maps: grouped kNN + UMAP layout", ours.seconds, ours.value.points, truth, labels);
  rows.push({ ...oursRow, recall: sampledRecall(truth, neighbours!), preview: previewAt, peakRssMB: oursPeak });
  if (labels) console.log(`n = ${n}: label purity of the exact 10 nearest: ${(100 * purity(truth, truth.neighbours, RECALL_K, labels)).toFixed(1)} %`);
  console.log(rows.at(-1));
  if (n <= FULL_UMAP_UP_TO) {
    const exactRun = await timed(async () => {
      const exact = await runYielding(exactNeighbourSteps({ rows: n, columns: table.dims, data: Float64Array.from(table.data) }, RECALL_K));
      const { embedding } = await layoutFromNeighbours(exact, { seed: 42 });
      return embedding;
    });
    rows.push({ ...scored(n, data, "full UMAP: exact kNN + the same layout", exactRun.seconds, exactRun.value, truth, labels), recall: 1 });
    console.log(rows.at(-1));
  }
  if (n <= UMAP_JS_UP_TO) {
    const random = createRandom(42);
    const vectors = Array.from({ length: n }, (_, i) => Array.from(table.data.subarray(i * table.dims, (i + 1) * table.dims)));
    const plain = await timed(() => new UMAP({ nComponents: 2, random }).fit(vectors));
    rows.push(scored(n, data, "plain umap-js 1.4.0", plain.seconds, plain.value.flat(), truth, labels));
    console.log(rows.at(-1));
  }
  return rows;
}

interface AtlasUmap {
  readonly embedding: Float32Array;
  readonly knnIndices: Int32Array;
  run(): Promise<void>;
  destroy(): void;
}
type CreateAtlasUmap = (count: number, inputDim: number, outputDim: number, data: Float32Array, options: Record<string, unknown>) => Promise<AtlasUmap>;

/** Unpacks embedding-atlas's tarball into node_modules/.cache once (see the header); returns why not, if it could not. */
function fetchAtlas(): string | undefined {
  if (fs.existsSync(atlasEntry)) return undefined;
  fs.mkdirSync(atlasDir, { recursive: true });
  const packed = spawnSync("npm", ["pack", `embedding-atlas@${ATLAS.version}`, "--json", "--pack-destination", atlasDir], { encoding: "utf8" });
  if (packed.status !== 0) return `npm pack embedding-atlas@${ATLAS.version} failed (exit ${packed.status})`;
  const [{ filename, integrity }] = JSON.parse(packed.stdout) as { filename: string; integrity: string }[];
  if (integrity !== ATLAS.integrity) return `embedding-atlas@${ATLAS.version}'s tarball has integrity ${integrity}, expected ${ATLAS.integrity}`;
  const unpacked = spawnSync("tar", ["xzf", path.join(atlasDir, filename), "-C", atlasDir]);
  return unpacked.status === 0 ? undefined : `could not unpack ${filename}`;
}

async function measureAtlas(n: number): Promise<Row[]> {
  const { createUMAP } = (await import(pathToFileURL(atlasEntry).href)) as { createUMAP: CreateAtlasUmap };
  const data = dataFor(n);
  const { table, labels } = await loadTable(n);
  let knn: Int32Array | undefined;
  const run = await timed(async () => {
    // Its defaults otherwise (spectral start, SGD, its own epoch count), as an app would call it.
    const umap = await createUMAP(n, table.dims, 2, table.data, { metric: "cosine", nNeighbors: RECALL_K, seed: 42 });
    await umap.run();
    const points = Float32Array.from(umap.embedding);
    knn = Int32Array.from(umap.knnIndices);
    umap.destroy();
    return points;
  });
  const peak = peakRssMB();
  const truth = sampledTruth(table);
  const row = scored(n, data, `Embedding Atlas ${ATLAS.version} UMAP (NN-descent + its layout)`, run.seconds, run.value, truth, labels);
  return [{ ...row, recall: sampledRecall(truth, { k: knn!.length / n, indices: knn! }), peakRssMB: peak }];
}

const only = option("only");
if (only !== undefined) {
  // A child run: one size and method, its rows as JSON on the last line.
  const rows = option("method") === "atlas" ? await measureAtlas(Number(only)) : await measureOurs(Number(only));
  console.log(JSON.stringify(rows));
  process.exit(0);
}

/** One size and method in a process of its own; a run that fails is noted and the others go on. */
function child(n: number, method: "ours" | "atlas"): Row[] {
  const run = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, ...args, "--only", String(n), "--method", method], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    notes.push(`The ${method} run of ${n.toLocaleString("en")} rows failed (exit ${run.status}, signal ${run.signal ?? "none"}).`);
    return [];
  }
  const lines = run.stdout.trim().split("\n");
  console.log(lines.slice(0, -1).join("\n"));
  return JSON.parse(lines.at(-1)!) as Row[];
}

const notes: string[] = [];
const atlasMissing = sizes.some((n) => n <= ATLAS_UP_TO) ? fetchAtlas() : undefined;
if (atlasMissing) console.log(`Embedding Atlas left out: ${atlasMissing}.`);
const rows: Row[] = [];
for (const n of sizes) {
  rows.push(...child(n, "ours"));
  if (n <= ATLAS_UP_TO && !atlasMissing) rows.push(...child(n, "atlas"));
  const skipped = [
    ...(n > FULL_UMAP_UP_TO ? ["full UMAP (its exact kNN is every pair: hours here)"] : []),
    ...(n > ATLAS_UP_TO ? ["Embedding Atlas (99 s at 100,000 × 384 here, so well over 15 minutes)"] : []),
    ...(n > UMAP_JS_UP_TO ? ["plain umap-js (24 s at 10,000 and faster than linear growth)"] : []),
  ];
  if (skipped.length > 0) notes.push(`At ${n.toLocaleString("en")} rows not run: ${skipped.join("; ")}.`);
}

const percent = (x: number | undefined) => (x === undefined ? "—" : `${(100 * x).toFixed(1)} %`);
const dataLabel = (data: DataKind) => (data === "glove" ? "GloVe words" : "generated (Gaussian mixture)");
const resultTable = [
  "| Rows | Data | Method | Seconds | First preview (s) | Peak RSS | Preservation@10 | Neighbour recall@15 | Label purity@10 |",
  "|--:|---|---|--:|--:|--:|--:|--:|--:|",
  ...rows.map(
    (row) =>
      `| ${row.n.toLocaleString("en")} | ${dataLabel(row.data)} | ${row.method} | ${row.seconds.toFixed(1)} | ${row.preview === undefined ? "—" : row.preview.toFixed(1)} | ` +
      `${row.peakRssMB === undefined ? "—" : `${(row.peakRssMB / 1024).toFixed(2)} GB`} | ${percent(row.preservation)} | ${percent(row.recall)} | ${percent(row.purity)} |`,
  ),
].join("\n");
const ratios = sizes.flatMap((n) => {
  const ours = rows.find((row) => row.n === n && row.method.startsWith("lib/maps"));
  const atlas = rows.find((row) => row.n === n && row.method.startsWith("Embedding Atlas"));
  if (!ours || !atlas) return [];
  return [`| ${n.toLocaleString("en")} | ${(ours.preservation / atlas.preservation).toFixed(2)}× | ${(ours.seconds / atlas.seconds).toFixed(2)}× |`];
});
const results = [
  "## Latest run",
  "",
  describeMachine({
    loadAtStart,
    source,
    extraLines: [
      `GloVe 100-d words from rank ${FIRST_RANK} up to ${GLOVE_UP_TO.toLocaleString("en")} rows; above, generated: a seeded Gaussian mixture, ${MIXTURE.dims}-d, ` +
        `${MIXTURE.components} components of log-normal sizes and spreads in ${MIXTURE.families} families, each varying along ${MIXTURE.localDims} directions of its own`,
      `preservation, recall and purity over ${SAMPLE.toLocaleString("en")} sampled rows; one run per figure, each size and Embedding Atlas in a process of its own`,
    ],
  }),
  "",
  "Command: `npm run bench:map -- --sizes " + sizes.join(",") + "`. Seconds: the layout from vectors in memory (reading from and writing to the database not included). " +
    `First preview: the layout after ${100 * PREVIEW_SHARE} % of its epochs. Peak RSS: the process's high-water mark after the method, its input included.`,
  "",
  resultTable,
  ...(notes.length > 0 ? ["", ...notes] : []),
  ...(ratios.length > 0 ? ["", "Ours against Embedding Atlas on the same rows (preservation@10 ratio: goal ≥ 0.95×; time ratio: lower is faster):", "", "| Rows | Preservation, ours / EA | Seconds, ours / EA |", "|--:|--:|--:|", ...ratios] : []),
].join("\n");
console.log(results);
if (write) writeResults("bench:map", results, { heading: "# Benchmarks: collection maps" });
