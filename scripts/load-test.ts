/**
 * `npm run load`: a bounded load test of a production server on loopback, then the figures into
 * BENCHMARKS.md ("Load" section).
 *
 * 1. Builds if needed (tests/support/server.ts `buildApp`, into .next-e2e) and starts the production server (`npm start`'s)
 *    with a fresh PGLITE_DIR and both rate limits off (`RATE_LIMIT_*_PER_MINUTE=0`), so the load
 *    reaches the handlers instead of turning into 429s.
 * 2. Warms up (the text pool is embedded once, a few explorations are saved, each route is hit once),
 *    then for `--seconds` runs a closed loop of `--concurrency` workers, each sending one request,
 *    waiting for the whole reply, and sending the next. Every request is drawn from a weighted mix:
 *    valid embeds (mostly cached texts, some fresh), invalid bodies (malformed JSON, wrong types,
 *    too many texts, empty texts, unknown fields, bad k, unknown slugs, wrong edit key), /api/search,
 *    saving explorations (each 201's slug, edit key, title and version are remembered), PATCHes
 *    with the edit key, share pages /s/<slug>, GET /api/explorations/<slug>, and search in the
 *    `example` collection. Status and latency of every request are recorded.
 * 3. The server's RSS (VmRSS of the process listening on the port, the server process with its worker threads) is sampled
 *    every second.
 * 4. Afterwards every exploration that got a 201 is read back: it must answer 200 with the title
 *    and version its last acknowledged write gave it (anything else is a lost write).
 * 5. A short second phase on a second fresh server with the default limits counts 429s separately.
 *
 * Exit code 1 when any 5xx, network error, lost write or stale read was seen.
 *
 * Usage: npm run load [-- --seconds 60 --concurrency 16 --limited-seconds 20] [--no-report] [--only "search,share page"]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRandom } from "../lib/projection/random";
import { buildApp, startApp, type AppServer } from "../tests/support/server";
import { describeMachine, reportPath, rootDir, sourceState, writeResults } from "./bench-report";

// --- options ---------------------------------------------------------------------------------

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0.`);
  return value;
}
const seconds = option("seconds", 60);
const concurrency = Math.max(1, Math.round(option("concurrency", 16)));
const limitedSeconds = option("limited-seconds", 20);
const writeReportFile = !process.argv.includes("--no-report");
const log = (message: string) => process.stderr.write(`${message}\n`);
const requestTimeoutMs = 60_000;

// --- deterministic inputs ----------------------------------------------------------------------


const adjectives = ["small", "big", "red", "quiet", "fast", "old", "young", "green", "dark", "happy", "cold", "warm", "bright", "heavy", "soft"];
const nouns = ["cat", "dog", "car", "truck", "banana", "river", "city", "house", "tree", "bird", "boat", "king", "queen", "apple", "train", "mountain", "song", "book", "coffee", "winter"];
/** 300 short texts: the "mostly cached" pool. */
const pool = adjectives.flatMap((adjective) => nouns.map((noun) => `${adjective} ${noun}`));
const questions = [
  "How do bees make honey?",
  "Why is the sky blue?",
  "What causes tides?",
  "How do plants make food?",
  "What is a black hole?",
  "How does the heart pump blood?",
];

// --- the mix -----------------------------------------------------------------------------------

type Kind =
  | "embed cached"
  | "embed fresh"
  | "embed invalid"
  | "search"
  | "other invalid"
  | "exploration create"
  | "exploration patch"
  | "exploration get"
  | "share page"
  | "collection search";

const weights: Record<Kind, number> = {
  "embed cached": 22,
  "embed fresh": 4,
  "embed invalid": 10,
  search: 10,
  "other invalid": 8,
  "exploration create": 6,
  "exploration patch": 6,
  "exploration get": 12,
  "share page": 12,
  "collection search": 10,
};
const kinds = Object.keys(weights) as Kind[];
// --only "kind,kind": run just those kinds of the mix (e.g. reads only, to tell memory growth from stored data).
const onlyIndex = process.argv.indexOf("--only");
if (onlyIndex > 0) {
  const only = process.argv[onlyIndex + 1].split(",").map((kind) => kind.trim());
  const unknown = only.filter((kind) => !kinds.includes(kind as Kind));
  if (unknown.length) throw new Error(`--only: unknown kind(s) ${unknown.join(", ")}; known: ${kinds.join(", ")}`);
  for (const kind of kinds) if (!only.includes(kind)) weights[kind] = 0;
}
const totalWeight = (): number => kinds.reduce((sum, kind) => sum + weights[kind], 0);

interface Sample {
  kind: Kind;
  variant: string;
  status: number; // 0 = network error or timeout
  ms: number;
  /** The status was not among those this request may get. */
  unexpected: boolean;
  at: number;
}

interface Saved {
  slug: string;
  editKey: string;
  /** What the last acknowledged write left; `alternatives` when a write's outcome is unknown. */
  title: string;
  version: number;
  alternatives: { title: string; version: number }[];
  busy: boolean;
}

interface Problem {
  kind: Kind;
  variant: string;
  status: number;
  body: string;
}

class Phase {
  readonly samples: Sample[] = [];
  readonly saved: Saved[] = [];
  readonly problems: Problem[] = []; // 5xx, network errors, unexpected statuses, stale reads
  staleReads = 0;
  private freshCounter = 0;
  private titleCounter = 0;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly runId: string,
  ) {}

  /** One request: fetch, read the whole body, record status and latency. */
  async send(
    kind: Kind,
    variant: string,
    expected: number[],
    pathname: string,
    init: RequestInit = {},
    record = true,
  ): Promise<{ status: number; text: string }> {
    const started = performance.now();
    let status = 0;
    let text = "";
    try {
      const response = await fetch(`${this.url}${pathname}`, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      text = `${(error as Error).name}: ${(error as Error).message}`;
    }
    const ms = performance.now() - started;
    const unexpected = !expected.includes(status);
    if (record) this.samples.push({ kind, variant, status, ms, unexpected, at: Date.now() });
    if (record && (unexpected || status >= 500 || status === 0) && !(status === 429)) {
      this.problems.push({ kind, variant, status, body: text.slice(0, 600) });
    }
    return { status, text };
  }

  private json(body: unknown): RequestInit {
    return { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) };
  }

  private pick<T>(random: () => number, list: T[]): T {
    return list[Math.floor(random() * list.length)];
  }

  /** A saved exploration no other worker is editing right now, or undefined. */
  private idle(random: () => number): Saved | undefined {
    const candidates = this.saved.filter((saved) => !saved.busy);
    return candidates.length ? this.pick(random, candidates) : undefined;
  }

  async run(kind: Kind, random: () => number, record = true): Promise<void> {
    const ok = [200];
    switch (kind) {
      case "embed cached": {
        const count = 1 + Math.floor(random() * 8);
        const texts = Array.from({ length: count }, () => this.pick(random, pool));
        await this.send(kind, "valid", ok, "/api/embed", this.json({ texts }), record);
        return;
      }
      case "embed fresh": {
        const texts = [`${this.pick(random, adjectives)} ${this.pick(random, nouns)} number ${this.runId}${++this.freshCounter}`];
        await this.send(kind, "valid", ok, "/api/embed", this.json({ texts }), record);
        return;
      }
      case "embed invalid": {
        const variants: [string, string | object, number[]][] = [
          ["malformed JSON", '{"texts": ["cat", ', [400]],
          ["texts not an array", { texts: "cat" }, [400]],
          ["text not a string", { texts: ["cat", 42] }, [400]],
          ["too many texts", { texts: Array.from({ length: 2001 }, (_, i) => `t${i}`) }, [400]],
          ["empty text", { texts: ["cat", "   "] }, [400]],
          ["no texts", { texts: [] }, [400]],
          ["unknown field", { texts: ["cat"], colour: "red" }, [400]],
          ["unknown model", { texts: ["cat"], model: "no-such-model" }, [400]],
          ["empty body", "", [400]],
        ];
        const [variant, body, expected] = this.pick(random, variants);
        await this.send(kind, variant, expected, "/api/embed", this.json(body), record);
        return;
      }
      case "search": {
        await this.send(kind, "valid", ok, "/api/search", this.json({ query: this.pick(random, pool), k: 5 }), record);
        return;
      }
      case "other invalid": {
        const saved = this.idle(random);
        const variants: [string, () => Promise<unknown>][] = [
          ["search k=0", () => this.send(kind, "search k=0", [400], "/api/search", this.json({ query: "cat", k: 0 }), record)],
          ["search no query", () => this.send(kind, "search no query", [400], "/api/search", this.json({ k: 3 }), record)],
          ["save no items", () => this.send(kind, "save no items", [400], "/api/explorations", this.json({ title: "x", items: [] }), record)],
          ["save malformed", () => this.send(kind, "save malformed", [400], "/api/explorations", this.json("{title:"), record)],
          ["get unknown slug", () => this.send(kind, "get unknown slug", [404], "/api/explorations/AAAAAAAAAAAAAAAAAAAAAAAA", {}, record)],
          ["share unknown slug", () => this.send(kind, "share unknown slug", [404], "/s/AAAAAAAAAAAAAAAAAAAAAAAA", {}, record)],
          ["collection search bad k", () => this.send(kind, "collection search bad k", [400], "/api/collections/example/search", this.json({ query: "bees", k: 1000 }), record)],
          ["collection unknown", () => this.send(kind, "collection unknown", [404], "/api/collections/nope-nope/search", this.json({ query: "bees" }), record)],
        ];
        if (saved) {
          // Refused edits must change nothing: the read-back at the end checks that too.
          variants.push([
            "patch wrong key",
            () => this.send(kind, "patch wrong key", [403], `/api/explorations/${saved.slug}`, { ...this.json({ title: "hijacked" }), method: "PATCH", headers: { "content-type": "application/json", authorization: "Bearer wrong-key-wrong-key" } }, record),
          ]);
          variants.push([
            "patch no key",
            () => this.send(kind, "patch no key", [401], `/api/explorations/${saved.slug}`, { ...this.json({ title: "hijacked" }), method: "PATCH" }, record),
          ]);
        }
        await this.pick(random, variants)[1]();
        return;
      }
      case "exploration create": {
        const title = `Load ${this.runId} ${++this.titleCounter}`;
        const count = 3 + Math.floor(random() * 4);
        const items = [...new Set(Array.from({ length: count }, () => this.pick(random, pool)))].map((text, i) => ({ text, group: i % 2 ? "odd" : "even" }));
        const { status, text } = await this.send(kind, "valid", [201], "/api/explorations", this.json({ title, items }), record);
        if (status === 201) {
          const body = JSON.parse(text) as { slug: string; editKey: string; exploration: { title: string; version: number } };
          this.saved.push({ slug: body.slug, editKey: body.editKey, title: body.exploration.title, version: body.exploration.version, alternatives: [], busy: false });
        }
        return;
      }
      case "exploration patch": {
        const saved = this.idle(random);
        if (!saved) return this.run("exploration create", random, record);
        saved.busy = true;
        try {
          const title = `Load ${this.runId} ${++this.titleCounter} renamed`;
          const { status, text } = await this.send(kind, "valid", ok, `/api/explorations/${saved.slug}`, {
            method: "PATCH",
            headers: { "content-type": "application/json", authorization: `Bearer ${saved.editKey}` },
            body: JSON.stringify({ title, version: saved.version }),
          }, record);
          if (status === 200) {
            const body = JSON.parse(text) as { title: string; version: number };
            Object.assign(saved, { title: body.title, version: body.version, alternatives: [] });
          } else if (status === 0 || status >= 500) {
            saved.alternatives.push({ title, version: saved.version + 1 }); // may or may not have landed
          }
        } finally {
          saved.busy = false;
        }
        return;
      }
      case "exploration get": {
        const saved = this.idle(random);
        if (!saved) return this.run("exploration create", random, record);
        const expectedState = { title: saved.title, version: saved.version };
        const checkable = saved.alternatives.length === 0;
        saved.busy = true; // no PATCH of this one while it is being read: the read must match
        try {
          const { status, text } = await this.send(kind, "valid", ok, `/api/explorations/${saved.slug}`, {}, record);
          if (status === 200 && checkable && record) {
            const body = JSON.parse(text) as { title: string; version: number };
            if (body.title !== expectedState.title || body.version !== expectedState.version) {
              this.staleReads++;
              this.problems.push({ kind, variant: "stale read", status, body: `expected ${JSON.stringify(expectedState)}, got title ${JSON.stringify(body.title)} version ${body.version}` });
            }
          }
        } finally {
          saved.busy = false;
        }
        return;
      }
      case "share page": {
        const saved = this.idle(random);
        if (!saved) return this.run("exploration create", random, record);
        await this.send(kind, "valid", ok, `/s/${saved.slug}`, {}, record);
        return;
      }
      case "collection search": {
        await this.send(kind, "valid", ok, "/api/collections/example/search", this.json({ query: this.pick(random, questions), k: 3 }), record);
        return;
      }
    }
  }

  /** `concurrency` workers in a closed loop until `durationMs` has passed (in-flight requests finish). */
  async load(durationMs: number, workers: number, seed: number): Promise<number> {
    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        const random = createRandom(seed + worker);
        while (performance.now() < deadline) {
          let draw = random() * totalWeight();
          const kind = kinds.find((candidate) => (draw -= weights[candidate]) < 0) ?? kinds[0];
          await this.run(kind, random);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  }

  /** Reads back every saved exploration: 200 with the acknowledged title and version, else a lost write. */
  async verifyWrites(): Promise<{ checked: number; lost: { slug: string; problem: string }[] }> {
    const lost: { slug: string; problem: string }[] = [];
    for (const saved of this.saved) {
      const response = await fetch(`${this.url}/api/explorations/${saved.slug}`).catch((error: Error) => error);
      if (response instanceof Error) {
        lost.push({ slug: saved.slug, problem: `network error: ${response.message}` });
        continue;
      }
      const text = await response.text();
      if (response.status !== 200) {
        lost.push({ slug: saved.slug, problem: `answered ${response.status}: ${text.slice(0, 300)}` });
        continue;
      }
      const body = JSON.parse(text) as { title: string; version: number };
      const acceptable = [{ title: saved.title, version: saved.version }, ...saved.alternatives];
      if (!acceptable.some((state) => state.title === body.title && state.version === body.version)) {
        lost.push({ slug: saved.slug, problem: `expected ${JSON.stringify(acceptable)}, got title ${JSON.stringify(body.title)} version ${body.version}` });
      }
    }
    return { checked: this.saved.length, lost };
  }
}

// --- the server's memory -----------------------------------------------------------------------

/** PIDs of the processes started by startApp for this server (they all carry its PGLITE_DIR). */
function serverProcesses(server: AppServer): number[] {
  const marker = `PGLITE_DIR=${path.join(server.dataDir, "pglite")}\0`;
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });
}

/** The process that listens on the server's port, found through its socket's inode. */
function listeningPid(server: AppServer): number {
  const port = Number(new URL(server.url).port);
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      if (parseInt(fields[1].split(":")[1], 16) === port && fields[3] === "0A") inodes.add(fields[9]);
    }
  }
  for (const pid of serverProcesses(server)) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      }
    } catch {} // gone or not ours to read
  }
  throw new Error(`no process of this server listens on port ${port}`);
}

function rssMiB(pid: number): number | undefined {
  try {
    const kib = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 80);
  } catch {
    return "?";
  }
}

interface MemorySample {
  t: number;
  mib: number;
}

function sampleMemory(pid: number): { samples: MemorySample[]; stop: () => void } {
  const samples: MemorySample[] = [];
  const started = performance.now();
  const take = () => {
    const mib = rssMiB(pid);
    if (mib !== undefined) samples.push({ t: (performance.now() - started) / 1000, mib });
  };
  take();
  const timer = setInterval(take, 1000);
  return { samples, stop: () => (take(), clearInterval(timer)) };
}

/** Least-squares slope in MiB per minute. */
function slopePerMinute(samples: MemorySample[]): number {
  if (samples.length < 2) return 0;
  const meanT = samples.reduce((sum, s) => sum + s.t, 0) / samples.length;
  const meanM = samples.reduce((sum, s) => sum + s.mib, 0) / samples.length;
  const num = samples.reduce((sum, s) => sum + (s.t - meanT) * (s.mib - meanM), 0);
  const den = samples.reduce((sum, s) => sum + (s.t - meanT) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

// --- figures -----------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const ms = (value: number) => (Number.isNaN(value) ? "–" : value >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(1));
const int = (value: number) => Math.round(value).toLocaleString("en");
const mib = (value: number) => `${Math.round(value)} MiB`;

function statusSummary(samples: Sample[]): string {
  const counts = new Map<number, number>();
  for (const sample of samples) counts.set(sample.status, (counts.get(sample.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? "error" : status}×${int(count)}`)
    .join(", ");
}

function latencyTable(samples: Sample[], elapsed: number, with429 = false): string {
  const lines = [
    `| Request kind | Requests | Req/s | Statuses | p50 ms | p95 ms | p99 ms | max ms |${with429 ? " 429s |" : ""}`,
    `|---|--:|--:|---|--:|--:|--:|--:|${with429 ? "--:|" : ""}`,
  ];
  const row = (label: string, group: Sample[]) => {
    const sorted = group.map((s) => s.ms).sort((a, b) => a - b);
    const limited = group.filter((s) => s.status === 429).length;
    lines.push(
      `| ${label} | ${int(group.length)} | ${(group.length / elapsed).toFixed(1)} | ${statusSummary(group)} | ${ms(percentile(sorted, 50))} | ` +
        `${ms(percentile(sorted, 95))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} |${with429 ? ` ${int(limited)} |` : ""}`,
    );
  };
  for (const kind of kinds) {
    const group = samples.filter((s) => s.kind === kind);
    if (group.length) row(kind, group);
  }
  row("**all**", samples);
  return lines.join("\n");
}

const howTo = [
  "`npm run load` (`scripts/load-test.ts`; ~2 minutes) builds into .next-e2e if needed, starts the production server on a free loopback",
  "port with a fresh PGLITE_DIR in a temporary directory, warms up, then runs a closed loop of concurrent workers for a fixed",
  "time over a weighted mix: embeds of short texts from a 300-text pool (cached after warm-up) and of fresh texts, invalid",
  "bodies (malformed JSON, wrong types, 2,001 texts, empty texts, unknown fields and models, bad k, unknown slugs, wrong or",
  "missing edit key), /api/search, saving small explorations, PATCHing them with their edit key and the version they are at,",
  "GET /api/explorations/<slug>, share pages /s/<slug>, and search in the `example` collection. Afterwards every exploration",
  "that got a 201 is read back and must have the title and version of its last acknowledged write (else it counts as a lost",
  "write); reads during the run are checked the same way (stale reads). The server's RSS (VmRSS of the listening process) is sampled",
  "every second. A second, shorter phase runs the same mix against a second fresh server with the default rate limits,",
  "from one client, and counts 429s. The script rewrites this section up to the notes line; the notes below it are kept.",
].join("\n");

// --- the run -----------------------------------------------------------------------------------

const servers = new Set<AppServer>();
async function stopAll(): Promise<void> {
  await Promise.all([...servers].map((server) => server.stop().catch(() => {})));
  servers.clear();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`load: ${signal}, stopping the server`);
    void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

async function warmUp(phase: Phase): Promise<void> {
  for (let start = 0; start < pool.length; start += 50) {
    await phase.send("embed cached", "warm-up", [200], "/api/embed", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ texts: pool.slice(start, start + 50) }) }, false);
  }
  const random = createRandom(7);
  for (const kind of kinds) await phase.run(kind, random, false);
  for (let i = 0; i < 3; i++) await phase.run("exploration create", random, false);
  for (const kind of kinds) await phase.run(kind, random, false);
}

function serverErrorLines(server: AppServer): string[] {
  return server
    .output()
    .split("\n")
    .filter((line) => /error|⨯|unhandled|exception/i.test(line));
}

async function main(): Promise<void> {
  process.chdir(rootDir); // buildApp and startApp work relative to the project root
  const loadAtStart = os.loadavg()[0];
  const source = sourceState(["app", "lib", "components"]);
  const runId = Date.now().toString(36);
  log("load: building if needed (.next-e2e)…");
  await buildApp();

  // Phase 1: limits off.
  log("load: starting the server (fresh PGLITE_DIR, rate limits off)…");
  const server = await startApp({ RATE_LIMIT_COMPUTE_PER_MINUTE: "0", RATE_LIMIT_WRITE_PER_MINUTE: "0" });
  servers.add(server);
  const pid = listeningPid(server);
  log(`load: server listening at ${server.url}, pid ${pid} (${commandOf(pid)}); group: ${serverProcesses(server).map((p) => `${p} ${commandOf(p)}`).join("; ")}`);
  const phase = new Phase("unlimited", server.url, runId);
  log("load: warming up…");
  await warmUp(phase);
  const rssBefore = rssMiB(pid)!;
  log(`load: ${seconds} s, ${concurrency} workers…`);
  const memory = sampleMemory(pid);
  const progress = setInterval(() => log(`load:   ${phase.samples.length} requests, RSS ${mib(memory.samples.at(-1)?.mib ?? 0)}`), 10_000);
  const elapsed = await phase.load(seconds * 1000, concurrency, 1000);
  clearInterval(progress);
  memory.stop();
  log("load: reading back every saved exploration…");
  const writes = await phase.verifyWrites();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rssIdle = rssMiB(pid) ?? NaN;
  const errorLines = serverErrorLines(server);
  await server.stop();
  servers.delete(server);

  // Phase 2: the default limits, from one client.
  let limited: { phase: Phase; elapsed: number; writes: Awaited<ReturnType<Phase["verifyWrites"]>>; errorLines: string[] } | undefined;
  if (limitedSeconds > 0) {
    log("load: starting a second server with the default rate limits…");
    const second = await startApp({ RATE_LIMIT_COMPUTE_PER_MINUTE: "", RATE_LIMIT_WRITE_PER_MINUTE: "" });
    servers.add(second);
    const limitedPhase = new Phase("default limits", second.url, `${runId}l`);
    // Warm the model and page code without spending much of the allowance (the pool's embeds: 6 requests).
    await warmUp(limitedPhase);
    log(`load: ${limitedSeconds} s with the default limits…`);
    const limitedElapsed = await limitedPhase.load(limitedSeconds * 1000, concurrency, 2000);
    limited = { phase: limitedPhase, elapsed: limitedElapsed, writes: await limitedPhase.verifyWrites(), errorLines: serverErrorLines(second) };
    await second.stop();
    servers.delete(second);
  }

  // Figures.
  const samples = phase.samples;
  const fiveXX = samples.filter((s) => s.status >= 500);
  const networkErrors = samples.filter((s) => s.status === 0);
  const unexpected = samples.filter((s) => s.unexpected && s.status < 500 && s.status !== 0);
  const rss = memory.samples;
  const lastHalf = rss.filter((s) => s.t >= elapsed / 2);
  const peak = rss.reduce((max, s) => Math.max(max, s.mib), 0);
  const slope = slopePerMinute(lastHalf);
  const firstHalfSlope = slopePerMinute(rss.filter((s) => s.t < elapsed / 2));
  const patches = samples.filter((s) => s.kind === "exploration patch" && s.status === 200).length;

  const headline = [
    `- **5xx: ${fiveXX.length}**; network errors/timeouts: ${networkErrors.length}; other unexpected statuses: ${unexpected.length}`,
    `- **Lost writes: ${writes.lost.length}** of ${int(writes.checked)} explorations saved (201) and read back after the run (${int(patches)} acknowledged PATCHes among them); stale reads during the run: ${phase.staleReads}`,
    `- **Throughput: ${(samples.length / elapsed).toFixed(1)} requests/s** (${int(samples.length)} in ${elapsed.toFixed(1)} s, ${concurrency} workers)`,
    `- **Server RSS** (VmRSS of the listening process, every 1 s): ${mib(rssBefore)} after warm-up → start ${mib(rss[0]?.mib ?? NaN)}, peak ${mib(peak)}, end ${mib(rss.at(-1)?.mib ?? NaN)}, ${mib(rssIdle)} after 5 s idle; slope ${firstHalfSlope >= 0 ? "+" : ""}${firstHalfSlope.toFixed(1)} MiB/min over the first half, **${slope >= 0 ? "+" : ""}${slope.toFixed(1)} MiB/min over the last half** (${lastHalf.length} samples)`,
  ];
  const rssSeries = rss.filter((_, i) => i % 5 === 0 || i === rss.length - 1).map((s) => `${Math.round(s.t)} s: ${Math.round(s.mib)}`).join(", ");

  let limitedText = "";
  if (limited) {
    const ls = limited.phase.samples;
    const limited429 = ls.filter((s) => s.status === 429).length;
    limitedText = [
      `### Second phase: default limits (compute 600/min, write 120/min), ${limitedSeconds} s, one client`,
      "",
      `- 429s: **${int(limited429)}** of ${int(ls.length)} requests (${((100 * limited429) / Math.max(1, ls.length)).toFixed(0)} %); ` +
        `5xx: ${ls.filter((s) => s.status >= 500).length}; network errors: ${ls.filter((s) => s.status === 0).length}; ` +
        `lost writes: ${limited.writes.lost.length} of ${limited.writes.checked}; stale reads: ${limited.phase.staleReads}`,
      "",
      latencyTable(ls, limited.elapsed, true),
    ].join("\n");
  }

  const figures = [
    headline.join("\n"),
    "",
    latencyTable(samples, elapsed),
    "",
    `RSS samples (s: MiB, every 5th): ${rssSeries}`,
    ...(limitedText ? ["", limitedText] : []),
  ].join("\n");

  const machine = describeMachine({ loadAtStart, source });
  console.log(`\n${machine}\n\n${figures}\n`);
  const allProblems = [...phase.problems, ...(limited?.phase.problems.filter((p) => p.status >= 500 || p.status === 0 || p.variant === "stale read") ?? [])];
  if (allProblems.length) {
    console.log(`Problems (${allProblems.length}; first 20):`);
    for (const p of allProblems.slice(0, 20)) console.log(`  ${p.kind} / ${p.variant}: ${p.status || "network error"} ${p.body}`);
  }
  const lostAll = [...writes.lost, ...(limited?.writes.lost ?? [])];
  if (lostAll.length) {
    console.log("Lost writes:");
    for (const l of lostAll.slice(0, 20)) console.log(`  ${l.slug}: ${l.problem}`);
  }
  const serverErrors = [...errorLines, ...(limited?.errorLines ?? [])];
  if (serverErrors.length) console.log(`Server error lines (${serverErrors.length}; first 30):\n  ${serverErrors.slice(0, 30).join("\n  ")}`);

  if (writeReportFile) {
    const args = seconds === 60 && concurrency === 16 && limitedSeconds === 20 ? "" : ` -- --seconds ${seconds} --concurrency ${concurrency} --limited-seconds ${limitedSeconds}`;
    writeResults(
      "load",
      `# Benchmarks: load\n\n${howTo}\n\n## Latest run\n\n${machine}\n\nCommand: \`npm run load${args}\`. Closed loop: ${concurrency} workers, each sends its next request when the last reply has been read; ` +
        `first phase with both rate limits off (\`RATE_LIMIT_COMPUTE_PER_MINUTE=0 RATE_LIMIT_WRITE_PER_MINUTE=0\`), ${seconds} s after a warm-up.` +
        `${serverErrors.length ? ` The server logged ${serverErrors.length} error line(s).` : " The server logged no error lines."}\n\n${figures}`,
      { heading: "Benchmarks: load" },
    );
    log(`load: figures written to ${path.relative(process.cwd(), reportPath)}`);
  }
  const failed = fiveXX.length + networkErrors.length + lostAll.length + phase.staleReads + (limited?.phase.samples.filter((s) => s.status >= 500 || s.status === 0).length ?? 0);
  if (failed) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    log(`load: failed: ${error instanceof Error ? error.stack : String(error)}`);
    for (const server of servers) log(`load: the server's last output:\n${server.output().slice(-4000)}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
