/**
 * `npm run bench:projection`: how long UMAP takes on real vectors, plain umap-js against the
 * project's `fitUmap` (lib/projection/umap.ts), and how well each keeps neighbourhoods; then the
 * figures into BENCHMARKS.md, between the projection markers (the rest of the file is untouched).
 *
 * Vectors: GloVe 100-d words of frequency ranks 1,000 onwards (skipping the stop-word-like top),
 * L2-normalised, n = 1,000 / 5,000 / 10,000. Plain umap-js runs with its defaults
 * (`new UMAP({ nComponents: 2, random })`, Euclidean distance, which on unit vectors ranks
 * neighbours exactly as cosine does) and `fit`; ours is `fitUmap(vectors, { seed })`, defaults
 * otherwise. Run r of both uses seed r + 1, after a full garbage collection; the runs alternate (plain, ours, plain, ours, …) so
 * that changes in the load of a shared machine hit both alike.
 *
 * kNN preservation@10: for each point, the share of its 10 nearest neighbours by cosine in the
 * original space that are among its 10 nearest in 2-D, averaged over points; both computed exactly
 * (ties to the lower index). Reported: median time (min–max) and median preservation per n.
 *
 * Usage: npm run bench:projection [-- --runs 3] [-- --sizes 1000,5000,10000] [-- --no-write]
 */
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import { UMAP } from "umap-js";
import { loadGloveVocabulary } from "../lib/embeddings/glove";
import { exactNeighbours, neighboursOf, type NearestNeighbours } from "../lib/projection/knn";
import { normalizeRows, toDenseMatrix } from "../lib/projection/matrix";
import { createRandom } from "../lib/projection/random";
import { fitUmap } from "../lib/projection/umap";
import { describeMachine, sourceState, writeResults } from "./bench-report";

const FIRST_RANK = 1000;
const K = 10;

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const runs = Number(argument("runs") ?? 3);
const sizes = (argument("sizes") ?? "1000,5000,10000").split(",").map(Number);
const write = !process.argv.includes("--no-write");

const log = (message: string) => console.error(message);
const loadAtStart = os.loadavg()[0];

// A full garbage collection, and a second for V8's sweeper threads to finish, before each timed fit,
// so no fit pays for the garbage of the one before it (plain umap-js leaves hundreds of MB;
// collecting it inside the next fit's window added up to 1.3 s of CPU to a 1.9 s fitUmap run).
// Exposed at run time, so `tsx` needs no flags.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** GloVe words of ranks FIRST_RANK … FIRST_RANK + n − 1, unit length, as number[][]. */
async function gloveVectors(n: number): Promise<number[][]> {
  const vocabulary = await loadGloveVocabulary();
  const vectors: number[][] = [];
  for (const { rank, vector } of vocabulary.entries({ limit: FIRST_RANK + n - 1 })) {
    if (rank >= FIRST_RANK) vectors.push(Array.from(vector));
  }
  if (vectors.length < n) throw new Error(`GloVe has only ${vectors.length} words from rank ${FIRST_RANK}, asked for ${n}.`);
  const matrix = normalizeRows(toDenseMatrix(vectors));
  return vectors.map((_, i) => Array.from(matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns)));
}

/** Indices of each 2-D point's k nearest other points, exact, ties to the lower index. */
function planarNeighbours(points: readonly (readonly number[])[], k: number): Int32Array {
  const n = points.length;
  const xs = Float64Array.from(points, (p) => p[0]);
  const ys = Float64Array.from(points, (p) => p[1]);
  const result = new Int32Array(n * k);
  const bestDistance = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    bestDistance.fill(Infinity);
    const best = result.subarray(i * k, (i + 1) * k).fill(-1);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2;
      if (d >= bestDistance[k - 1]) continue; // equal: the earlier (lower) index stays
      let at = k - 1;
      while (at > 0 && bestDistance[at - 1] > d) {
        bestDistance[at] = bestDistance[at - 1];
        best[at] = best[at - 1];
        at--;
      }
      bestDistance[at] = d;
      best[at] = j;
    }
  }
  return result;
}

/** Mean share of each point's K original-space neighbours found among its K nearest on the map. */
function preservation(original: NearestNeighbours, points: readonly (readonly number[])[]): number {
  const planar = planarNeighbours(points, K);
  let kept = 0;
  for (let i = 0; i < original.n; i++) {
    const onMap = new Set(planar.subarray(i * K, (i + 1) * K));
    for (const j of neighboursOf(original, i).subarray(1)) if (onMap.has(j)) kept++;
  }
  return kept / (original.n * K);
}

interface Measurement {
  seconds: number[];
  /** Process CPU time (user + system) per fit: what the fit cost, whatever else the machine ran. */
  cpuSeconds: number[];
  preservation: number[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const timeCell = ({ seconds: s }: Measurement) =>
  s.length > 1 ? `${seconds(median(s))} (${seconds(Math.min(...s))}–${seconds(Math.max(...s))})` : seconds(s[0]);
const share = (value: number) => `${(100 * value).toFixed(1)} %`;

type Fit = (seed: number) => Promise<readonly (readonly number[])[]>;

/**
 * Runs each fit `runs` times, alternating between them (run r of every fit, then run r + 1), so a
 * change in the machine's load during the benchmark hits all of them alike.
 */
async function measure(fits: Record<string, Fit>, original: NearestNeighbours): Promise<Record<string, Measurement>> {
  const results = Object.fromEntries(Object.keys(fits).map((label) => [label, { seconds: [], cpuSeconds: [], preservation: [] } as Measurement]));
  for (let r = 0; r < runs; r++) {
    for (const [label, fit] of Object.entries(fits)) {
      const result = results[label];
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 1000)); // V8 sweeps the freed memory on other threads
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const points = await fit(r + 1);
      result.seconds.push((performance.now() - start) / 1000);
      const cpu = process.cpuUsage(cpuStart);
      result.cpuSeconds.push((cpu.user + cpu.system) / 1e6);
      result.preservation.push(preservation(original, points));
      log(
        `  ${label} run ${r + 1}: ${seconds(result.seconds.at(-1)!)} s (CPU ${seconds(result.cpuSeconds.at(-1)!)} s), ` +
          `preservation@${K} ${share(result.preservation.at(-1)!)}`,
      );
    }
  }
  return results;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error("--runs must be a whole number ≥ 1.");
  if (!sizes.every((n) => Number.isInteger(n) && n >= 20)) throw new Error("--sizes must be whole numbers ≥ 20, e.g. 1000,5000.");
  const rows: string[] = [];
  for (const n of sizes) {
    const vectors = await gloveVectors(n);
    const original = exactNeighbours(normalizeRows(toDenseMatrix(vectors)), K + 1);
    log(`bench: n = ${n}`);
    const { plain, ours } = await measure(
      {
        plain: async (seed) => new UMAP({ nComponents: 2, random: createRandom(seed) }).fit(vectors),
        ours: async (seed) => (await fitUmap(vectors, { seed })).points,
      },
      original,
    );
    const speedUp = median(plain.seconds) / median(ours.seconds);
    const cpuSpeedUp = median(plain.cpuSeconds) / median(ours.cpuSeconds);
    const difference = median(ours.preservation) - median(plain.preservation);
    rows.push(
      `| GloVe words | ${n.toLocaleString("en")} | ${timeCell(plain)} | ${timeCell(ours)} | ${speedUp.toFixed(2)}× | ` +
        `${cpuSpeedUp.toFixed(2)}× | ` +
        `${share(median(plain.preservation))} | ${share(median(ours.preservation))} | ` +
        `${difference >= 0 ? "+" : "−"}${(100 * Math.abs(difference)).toFixed(1)} pts ` +
        `(${difference >= 0 ? "+" : "−"}${(100 * Math.abs(difference / median(plain.preservation))).toFixed(0)} %) |`,
    );
  }
  const table = [
    `| Vectors | n | plain umap-js, s | fitUmap, s | Speed-up (target ≥ 3×) | Speed-up, CPU time | Preservation@${K}, plain | Preservation@${K}, fitUmap | Difference (target ≥ −5 %) |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows,
  ].join("\n");
  const results = [
    "## Latest run",
    "",
    describeMachine({ loadAtStart, source: sourceState(["lib/projection"]), extraLines: [`${runs} run(s) per figure`] }),
    "",
    `Command: \`npm run bench:projection\`. Seconds per fit (wall clock), median of ${runs} run(s) (min–max); ` +
      "the CPU-time speed-up compares median process CPU seconds (user + system) of the same runs, which a busy machine " +
      "changes less than wall time; preservation is the median over the same runs.",
    "",
    table,
  ].join("\n");
  console.log(results);
  if (write) writeResults("bench:projection", results, { heading: "Benchmarks: projection (UMAP)" });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
