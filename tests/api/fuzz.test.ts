import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import {
  anyJson,
  applyMutation,
  badAuthorization,
  changedTables,
  deeplyNestedBody,
  hostileSegment,
  hugeString,
  inspectReply,
  mutation,
  notJson,
  parsesAsJson,
  snapshotDatabase,
  type Reply,
  type Snapshot,
} from "../support/fuzz";
import { inspectOpenAiReply } from "../support/openai-reply";

/**
 * Property-based tests of the whole API: thousands of random, malformed and almost-valid requests
 * sent straight to the route handlers. Whatever comes in, a reply is never a 5xx (except the
 * documented 503s), is always JSON, an error is exactly `{ error: { code, message } }` (on /v1
 * routes OpenAI's `{ error: { message, type, param, code } }`, never a 409) without stack traces,
 * SQL, Prisma internals or keys, and a rejected request leaves the database as it was.
 * Every run is seeded: a failure prints its seed and counterexample, and reproduces.
 * FUZZ_STATS=1 prints how often each endpoint answered with each status and code.
 */

// The route handlers use the process-wide database: point it at a fresh PGlite directory first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-fuzz-"));
process.env.PGLITE_DIR = dataDir;
process.env.GLOVE_VOCABULARY_SIZE = "1000";
delete process.env.DATABASE_URL;
delete process.env.HF_TOKEN;
delete process.env.HF_ENDPOINT_URL;
delete process.env.HF_GENERATION_URL;
// Throttling has its own tests (rate-limit.test.ts); here every request must reach validation.
process.env.RATE_LIMIT_COMPUTE_PER_MINUTE = "0";
process.env.RATE_LIMIT_WRITE_PER_MINUTE = "0";

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { loadVocabulary } = await import("@/lib/embeddings/vocabulary");
const { ensureExampleCollection } = await import("@/lib/collections/example-collection");
const { operations } = await import("@/lib/api/openapi");
const { hashKey } = await import("@/lib/keys");
const routes = {
  health: await import("@/app/api/health/route"),
  ready: await import("@/app/api/ready/route"),
  models: await import("@/app/api/models/route"),
  openapi: await import("@/app/api/openapi.json/route"),
  embed: await import("@/app/api/embed/route"),
  similarity: await import("@/app/api/similarity/route"),
  search: await import("@/app/api/search/route"),
  analogy: await import("@/app/api/analogy/route"),
  tokens: await import("@/app/api/tokens/route"),
  tokenizers: await import("@/app/api/tokenizers/route"),
  nextTokens: await import("@/app/api/next-tokens/route"),
  project: await import("@/app/api/project/route"),
  generate: await import("@/app/api/generate/route"),
  explorations: await import("@/app/api/explorations/route"),
  exploration: await import("@/app/api/explorations/[slug]/route"),
  fork: await import("@/app/api/explorations/[slug]/fork/route"),
  collections: await import("@/app/api/collections/route"),
  collection: await import("@/app/api/collections/[id]/route"),
  documents: await import("@/app/api/collections/[id]/documents/route"),
  document: await import("@/app/api/collections/[id]/documents/[documentId]/route"),
  chunks: await import("@/app/api/collections/[id]/chunks/route"),
  collectionExport: await import("@/app/api/collections/[id]/export/route"),
  imports: await import("@/app/api/collections/[id]/imports/route"),
  resumeJob: await import("@/app/api/collections/[id]/jobs/[job]/resume/route"),
  discardJob: await import("@/app/api/collections/[id]/jobs/[job]/discard/route"),
  collectionMap: await import("@/app/api/collections/[id]/map/route"),
  mapLayout: await import("@/app/api/collections/[id]/map/layout/route"),
  points: await import("@/app/api/collections/[id]/points/route"),
  point: await import("@/app/api/collections/[id]/points/[index]/route"),
  collectionSearch: await import("@/app/api/collections/[id]/search/route"),
  jobs: await import("@/app/api/collections/[id]/jobs/route"),
  job: await import("@/app/api/collections/[id]/jobs/[job]/route"),
  openAiEmbeddings: await import("@/app/v1/embeddings/route"),
};

type Params = Record<string, string>;
type Handler = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;
type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** One operation: `name` is "METHOD /path/{param}", as in the OpenAPI document. */
interface Endpoint {
  name: string;
  method: Method;
  handler: Handler;
}

const endpoint = (name: string, handler: unknown): Endpoint => ({ name, method: name.split(" ")[0] as Method, handler: handler as Handler });

const endpoints = [
  endpoint("GET /api/health", routes.health.GET),
  endpoint("GET /api/ready", routes.ready.GET),
  endpoint("GET /api/models", routes.models.GET),
  endpoint("GET /api/openapi.json", routes.openapi.GET),
  endpoint("POST /api/embed", routes.embed.POST),
  endpoint("POST /api/similarity", routes.similarity.POST),
  endpoint("POST /api/search", routes.search.POST),
  endpoint("POST /api/analogy", routes.analogy.POST),
  endpoint("POST /api/tokens", routes.tokens.POST),
  endpoint("GET /api/tokenizers", routes.tokenizers.GET),
  endpoint("GET /api/next-tokens", routes.nextTokens.GET),
  endpoint("POST /api/next-tokens", routes.nextTokens.POST),
  endpoint("POST /api/project", routes.project.POST),
  endpoint("GET /api/generate", routes.generate.GET),
  endpoint("POST /api/generate", routes.generate.POST),
  endpoint("POST /api/explorations", routes.explorations.POST),
  endpoint("GET /api/explorations/{slug}", routes.exploration.GET),
  endpoint("PATCH /api/explorations/{slug}", routes.exploration.PATCH),
  endpoint("DELETE /api/explorations/{slug}", routes.exploration.DELETE),
  endpoint("POST /api/explorations/{slug}/fork", routes.fork.POST),
  endpoint("POST /api/collections", routes.collections.POST),
  endpoint("GET /api/collections/{id}", routes.collection.GET),
  endpoint("DELETE /api/collections/{id}", routes.collection.DELETE),
  endpoint("POST /api/collections/{id}/documents", routes.documents.POST),
  endpoint("GET /api/collections/{id}/documents", routes.documents.GET),
  endpoint("DELETE /api/collections/{id}/documents/{documentId}", routes.document.DELETE),
  endpoint("GET /api/collections/{id}/chunks", routes.chunks.GET),
  endpoint("GET /api/collections/{id}/export", routes.collectionExport.GET),
  endpoint("POST /api/collections/{id}/imports", routes.imports.POST),
  endpoint("POST /api/collections/{id}/jobs/{job}/resume", routes.resumeJob.POST),
  endpoint("POST /api/collections/{id}/jobs/{job}/discard", routes.discardJob.POST),
  endpoint("POST /api/collections/{id}/map", routes.collectionMap.POST),
  endpoint("POST /api/collections/{id}/map/layout", routes.mapLayout.POST),
  endpoint("GET /api/collections/{id}/points", routes.points.GET),
  endpoint("GET /api/collections/{id}/points/{index}", routes.point.GET),
  endpoint("POST /api/collections/{id}/search", routes.collectionSearch.POST),
  endpoint("GET /api/collections/{id}/jobs", routes.jobs.GET),
  endpoint("GET /api/collections/{id}/jobs/{job}", routes.job.GET),
  endpoint("DELETE /api/collections/{id}/jobs/{job}", routes.job.DELETE),
  endpoint("POST /v1/embeddings", routes.openAiEmbeddings.POST),
];
const byName = (name: string) => endpoints.find((candidate) => candidate.name === name)!;

// ——— fixtures ———————————————————————————————————————————————————————————————————

/** Resources made in setup; bodies sent with a valid key reach their parser. */
interface Fixtures {
  /** Private collection with two documents, guarded by the key tests: nothing else writes to it. */
  notes: { id: string; readKey: string; writeKey: string; documentId: string };
  /** Another private collection: the body fuzzers write to it, its keys are wrong keys for `notes`. */
  scratch: { id: string; readKey: string; writeKey: string };
  /** Exploration guarded by the key tests. */
  pets: { slug: string; editKey: string };
  /** Exploration the body fuzzers edit; its key is a wrong key for `pets`. */
  other: { slug: string; editKey: string };
}

let db: Database;
let lastSnapshot: Snapshot | undefined;
let fixtures: Fixtures;
let secrets: string[];

const items = [{ text: "cat", group: "animals" }, { text: "dog", group: "animals" }, { text: "truck" }];
const cells = [
  { id: "map", type: "map", method: "pca", params: {} },
  { id: "axes", type: "map", method: "axes", params: { axes: { x: ["cat", "truck"] } } },
  { id: "umap", type: "map", method: "umap", params: { nNeighbors: 2, minDist: 0.1, seed: 7 } },
  { id: "heatmap", type: "heatmap" },
  { id: "near", type: "neighbours", item: "cat", k: 2 },
  { id: "analogy", type: "analogy", a: "king", b: "man", c: "woman", k: 3 },
  { id: "note", type: "note", markdown: "# Pets" },
  { id: "tokens", type: "tokens", text: "cat" },
  { id: "rag", type: "retrieve", collection: "example", question: "How do bees make honey?", k: 2, template: "{{context}}\n{{question}}" },
];
const documents = [
  { text: "Bees turn nectar into honey.", metadata: { topic: "bees", year: 2024, reviewed: true } },
  { text: "A diesel engine ignites its fuel by compression.", metadata: { topic: "machines" } },
];

/**
 * Valid bodies per endpoint, short texts from a small pool so the embedding cache answers most
 * of the valid requests that mutations happen to produce.
 */
const validBodies: Record<string, unknown[]> = {
  "POST /api/embed": [{ model: "use-lite", texts: ["cat", "dog"] }, { model: "glove-100d", texts: ["king"] }],
  "POST /api/similarity": [{ model: "glove-100d", texts: ["cat", "dog", "truck"] }],
  "POST /api/search": [{ model: "use-lite", query: "cat", k: 3, scope: "texts" }, { model: "glove-100d", query: "king", k: 3, scope: "vocabulary" }],
  "POST /api/analogy": [{ model: "glove-100d", a: "king", b: "man", c: "woman", k: 3, scope: "vocabulary" }],
  "POST /api/tokens": [{ model: "use-lite", text: "The cat sat." }, { model: "glove-100d", text: "king" }, { tokenizer: "o200k_base", text: "人工智能的未来将" }],
  "POST /api/next-tokens": [{ text: "人工智能的未来将", k: 3 }, { text: "人工智能的未来将", k: 2, steps: 2, strategy: "sample", temperature: 0.8, seed: 7 }],
  "POST /api/project": [
    { model: "use-lite", texts: ["cat", "dog", "car", "truck"], method: "axes", params: { axes: { x: ["animal", "vehicle"], y: ["cat", "truck"] } }, place: ["dog"] },
    { model: "glove-100d", texts: ["cat", "dog", "car", "truck", "banana"], method: "umap", params: { nNeighbors: 2, minDist: 0.1, seed: 1 }, place: ["king"] },
  ],
  "POST /api/generate": [{ prompt: "Say hi.", maxTokens: 5 }],
  "POST /api/explorations": [{ title: "Pets", model: "use-lite", items, cells }],
  "PATCH /api/explorations/{slug}": [{ title: "Renamed", items, cells, version: 1 }, { title: "Renamed" }],
  "POST /api/collections": [{ name: "Notes", model: "use-lite", public: false, chunking: { size: 200, overlap: 20 } }],
  "POST /api/collections/{id}/documents": [{ documents }],
  "POST /api/collections/{id}/map": [{ question: "How do bees make honey?" }, {}],
  "POST /api/collections/{id}/search": [
    { query: "How do bees make honey?", k: 3, minScore: 0.1, filter: { topic: "bees" } },
    { query: Array.from({ length: 512 }, (_, i) => Math.sin(i)), k: 2 },
  ],
  "POST /v1/embeddings": [
    { model: "glove-100d", input: ["cat", "dog"], encoding_format: "float", dimensions: 100, user: "someone" },
    { model: "text-embedding-3-small", input: "cat", encoding_format: "base64" },
    { model: "use-lite", input: [[4719], [18964]] },
  ],
};

/** Arrays grown by the "grow" mutation to one past their documented limit. */
const overLimits: Record<string, Record<string, number>> = {
  "POST /api/embed": { texts: 2_001 },
  "POST /api/similarity": { texts: 501 },
  "POST /api/project": { texts: 2_001, place: 101, "params.axes.x": 3 },
  "POST /api/explorations": { items: 2_001, cells: 51 },
  "PATCH /api/explorations/{slug}": { items: 2_001, cells: 51 },
  "POST /api/collections/{id}/documents": { documents: 101 },
  "POST /api/collections/{id}/search": { query: 16_001 },
  "POST /v1/embeddings": { input: 2_001 },
};

const bodyEndpoints = Object.keys(validBodies).map(byName);

/** Path parameters and key under which each body endpoint parses its body. */
function access(name: string): { params: Params; key?: string } {
  if (name.includes("{slug}")) return { params: { slug: fixtures.other.slug }, key: fixtures.other.editKey };
  if (name.includes("{id}")) return { params: { id: fixtures.scratch.id }, key: fixtures.scratch.writeKey };
  return { params: {} };
}

beforeAll(async () => {
  db = await getDatabase();
  // Background work that writes would make "the database did not change" flaky: finish it first.
  await loadVocabulary(db, { onProgress: () => {} });
  await ensureExampleCollection(db);

  type Created = { id: string; readKey: string; writeKey: string };
  const [notes, scratch] = [
    await created<Created>(byName("POST /api/collections"), {}, { name: "Notes", chunking: { size: 200, overlap: 20 } }),
    await created<Created>(byName("POST /api/collections"), {}, { name: "Scratch" }),
  ];
  const added = await Promise.all(
    [notes, scratch].map((collection) =>
      created<{ documents: { documentId: string }[] }>(byName("POST /api/collections/{id}/documents"), { id: collection.id }, { documents }, collection.writeKey),
    ),
  );
  const pets = await created<{ slug: string; editKey: string }>(byName("POST /api/explorations"), {}, { title: "Pets", items, cells });
  const other = await created<{ slug: string; editKey: string }>(byName("POST /api/explorations"), {}, { title: "Other", items, cells });
  fixtures = {
    notes: { ...notes, documentId: added[0].documents[0].documentId },
    scratch,
    pets: { slug: pets.slug, editKey: pets.editKey },
    other: { slug: other.slug, editKey: other.editKey },
  };

  const keys = [notes.readKey, notes.writeKey, scratch.readKey, scratch.writeKey, pets.editKey, other.editKey];
  secrets = [...keys, ...keys.map(hashKey)];
});

afterAll(async () => {
  if (process.env.FUZZ_STATS) console.info([...stats].sort().map(([key, count]) => `${count}\t${key}`).join("\n"));
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function created<T>(target: Endpoint, params: Params, body: unknown, key?: string): Promise<T> {
  const { response } = await call(target, { params, body: JSON.stringify(body), key });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as T;
}

// ——— calling a handler ————————————————————————————————————————————————————————————

interface Call {
  params?: Params;
  query?: string;
  body?: string | Uint8Array;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** The raw Authorization header, when `key` is not given; undefined sends none. */
  authorization?: string;
}

/** Builds the request the way Next.js would hand it over, and calls the handler. */
async function call(target: Endpoint, { params = {}, query = "", body, key, authorization }: Call) {
  lastSnapshot = undefined; // this request may write
  const url = `http://localhost${target.name.split(" ")[1].replace(/\{(\w+)\}/g, (_, name: string) => encode(params[name]))}${query}`;
  const headers = new Headers({ "content-type": "application/json" });
  const header = key !== undefined ? `Bearer ${key}` : authorization;
  if (header !== undefined) headers.set("authorization", header);
  const payload = typeof body === "string" ? body : body?.slice(); // a copy backed by a plain ArrayBuffer
  const request = new Request(url, { method: target.method, headers, ...(payload !== undefined && target.method !== "GET" ? { body: payload } : {}) });
  const response = await target.handler(request, { params: Promise.resolve(params) });
  const bodyText = typeof body === "string" ? body : body ? new TextDecoder().decode(body) : "";
  return { response, sent: [...Object.values(params), url, header ?? "", bodyText].join(" "), bodyText };
}

// ——— known bugs ——————————————————————————————————————————————————————————————————

/**
 * Bugs this fuzzer found, reported to the integrator. Each excuses exactly the problems it causes,
 * for exactly the requests that trigger it; delete an entry once its fix lands and the fuzzer
 * checks that case again.
 */
const stats = new Map<string, number>();


// ——— the property every request must satisfy ——————————————————————————————————————

interface Expectation {
  /** Statuses this request may answer with (besides the documented 503s); default any below 500. */
  statuses?: number[];
  /** Error code it must answer with, when it is an error. */
  code?: string;
}

/**
 * Sends one request and checks the reply and the database. Returns the reply; throws, naming
 * every problem.
 */
async function check(target: Endpoint, request: Call, expectation: Expectation = {}): Promise<Reply> {
  // The snapshot taken after the previous check() is current unless call() ran since.
  const before = lastSnapshot ?? (await snapshotDatabase(db));
  const { response, sent, bodyText } = await call(target, request);
  const inspect = target.name.startsWith("POST /v1/") ? inspectOpenAiReply : inspectReply;
  const { reply, problems } = await inspect(response, { text: sent }, secrets);
  const after = await snapshotDatabase(db);
  lastSnapshot = after;

  const tally = `${target.name} ${reply.status} ${reply.code ?? ""}`;
  stats.set(tally, (stats.get(tally) ?? 0) + 1);
  const changed = changedTables(before, after);
  if (reply.status >= 400 && changed.length > 0) problems.push(`rejected (${reply.status}) but changed ${changed.join(", ")}`);
  if (expectation.statuses && !expectation.statuses.includes(reply.status) && !(reply.status === 503 && reply.code?.startsWith("unavailable:"))) {
    problems.push(`status ${reply.status}, expected one of ${expectation.statuses.join(", ")}`);
  }
  if (expectation.code && reply.status >= 400 && reply.code !== expectation.code) problems.push(`code ${reply.code}, expected ${expectation.code}`);

  if (problems.length > 0) {
    throw new Error(
      `${target.name} ${JSON.stringify(request.params ?? {})}${request.query ?? ""} → ${reply.status} ${reply.raw.slice(0, 300)}\n` +
        `problems: ${problems.join("; ")}\nbody: ${bodyText.slice(0, 300)}`,
    );
  }
  return reply;
}

/** fast-check settings: a fixed seed per property, so a failure reproduces exactly. */
const runs = (seed: number, numRuns: number) => ({ seed, numRuns });

// ——— the properties ——————————————————————————————————————————————————————————————

describe("API fuzzing", () => {
  it("covers every operation of the OpenAPI document", () => {
    const documented = operations.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`).sort();
    expect(endpoints.map((target) => target.name).sort()).toEqual(documented);
  });

  it("the snapshot sees every kind of write, so an unchanged one means nothing was written", async () => {
    const before = await snapshotDatabase(db);
    await call(byName("POST /api/embed"), { body: JSON.stringify({ texts: ["a snapshot test sentence"] }) });
    await call(byName("PATCH /api/explorations/{slug}"), { ...access("PATCH /api/explorations/{slug}"), body: JSON.stringify({ title: "Seen" }) });
    await call(byName("POST /api/collections/{id}/documents"), { ...access("POST /api/collections/{id}/documents"), body: JSON.stringify({ documents: [{ text: "Snapshots count rows." }] }) });
    expect(changedTables(before, await snapshotDatabase(db))).toEqual(["embeddings", "collection_documents", "collection_chunks", "exploration_versions"]);
  });

  it.each(bodyEndpoints.map((target, i) => [target.name, target, 1_000 + i] as const))(
    "%s: any JSON value as the body is answered without a 5xx, and a rejection writes nothing",
    async (_name, target, seed) => {
      const keys = Object.keys(validBodies[target.name][0] as object);
      const body = fc.oneof(
        anyJson(),
        // The endpoint's own field names with arbitrary values reach far deeper into validation.
        fc.record(Object.fromEntries(keys.map((key) => [key, fc.oneof({ arbitrary: anyJson(4), weight: 9 }, hugeString)])), { requiredKeys: [] }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          await check(target, { ...access(target.name), body: JSON.stringify(value) });
        }),
        runs(seed, 120),
      );
    },
  );

  it.each(bodyEndpoints.map((target, i) => [target.name, target, 2_000 + i] as const))(
    "%s: a body that is not JSON (or not UTF-8, or nested 20,000 deep) is a 400 bad_request:body",
    async (_name, target, seed) => {
      const raw = fc.oneof(
        notJson(validBodies[target.name]),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).filter((bytes) => !parsesAsJson(new TextDecoder().decode(bytes))),
        deeplyNestedBody,
      );
      await fc.assert(
        fc.asyncProperty(raw, async (body) => {
          const nested = typeof body === "string" && parsesAsJson(body);
          await check(target, { ...access(target.name), body }, nested ? { statuses: [400] } : { statuses: [400], code: "bad_request:body" });
        }),
        runs(seed, 80),
      );
    },
  );

  it.each(bodyEndpoints.map((target, i) => [target.name, target, 3_000 + i] as const))(
    "%s: a valid body with one field broken, removed, added or grown past its limit never gets a 5xx",
    async (_name, target, seed) => {
      const mutated = fc
        .constantFrom(...validBodies[target.name])
        .chain((valid) => mutation(valid, overLimits[target.name]).map((change) => ({ change, body: applyMutation(valid, change) })));
      await fc.assert(
        fc.asyncProperty(mutated, async ({ body }) => {
          await check(target, { ...access(target.name), body: JSON.stringify(body) });
        }),
        runs(seed, 250),
      );
    },
  );

  it("oversized bodies get 413 payload_too_large:body before anything is parsed", async () => {
    const huge = JSON.stringify({ texts: ["x".repeat(5 * 1024 * 1024)] });
    for (const target of bodyEndpoints) {
      await check(target, { ...access(target.name), body: huge }, { statuses: [413], code: "payload_too_large:body" });
    }
  });

  /**
   * Bodies of the right shape whose values sit on an edge: limits exactly, texts that embed alike,
   * characters PostgreSQL refuses. Each must pass the same checks as the random ones.
   */
  const edgeCases: [string, string, () => Call, Expectation?][] = [
    ["a text of exactly 10,000 characters", "POST /api/embed", () => ({ body: JSON.stringify({ model: "glove-100d", texts: ["cat ".repeat(2_500).trim() + "s"] }) }), { statuses: [200] }],
    ["500 texts, the most similarity allows", "POST /api/similarity", () => ({ body: JSON.stringify({ model: "glove-100d", texts: Array(500).fill("cat") }) }), { statuses: [200] }],
    ["semantic axes whose ends are the same text", "POST /api/project", () => ({ body: JSON.stringify({ texts: ["cat", "dog"], method: "axes", params: { axes: { x: ["cat", "cat"] } } }) }), { statuses: [400] }],
    ["semantic axes whose ends GloVe reads as one word", "POST /api/project", () => ({ body: JSON.stringify({ model: "glove-100d", texts: ["cat", "dog"], method: "axes", params: { axes: { x: ["Cat", "cat!"] } } }) }), { statuses: [400] }],
    ["a map cell with method axes and no axes, new items", "POST /api/explorations", () => ({ body: JSON.stringify({ title: "t", items: [{ text: "zebra crossing" }], cells: [{ id: "m", type: "map", method: "axes" }] }) }), { statuses: [400] }],
    ["an edit with a map cell with method axes and no axes, new items", "PATCH /api/explorations/{slug}", () => ({ ...access("PATCH /api/explorations/{slug}"), body: JSON.stringify({ items: [{ text: "pelican crossing" }], cells: [{ id: "m", type: "map", method: "axes" }] }) }), { statuses: [400] }],
    ["an edit based on a stale version", "PATCH /api/explorations/{slug}", () => ({ ...access("PATCH /api/explorations/{slug}"), body: JSON.stringify({ title: "Stale", version: 1_000 }) }), { statuses: [409] }],
    ["a NUL character in a title", "POST /api/explorations", () => ({ body: JSON.stringify({ title: "a\u0000b", items: [{ text: "cat" }] }) }), { statuses: [400] }],
    ["a NUL character in a note", "POST /api/explorations", () => ({ body: JSON.stringify({ title: "t", items: [{ text: "cat" }], cells: [{ id: "n", type: "note", markdown: "\u0000" }] }) }), { statuses: [400] }],
    ["a NUL character in a collection name", "POST /api/collections", () => ({ body: JSON.stringify({ name: "a\u0000" }) }), { statuses: [400] }],
    ["a NUL character in metadata", "POST /api/collections/{id}/documents", () => ({ ...access("POST /api/collections/{id}/documents"), body: JSON.stringify({ documents: [{ text: "Otters hold hands.", metadata: { a: "\u0000" } }] }) }), { statuses: [400] }],
    ["a NUL character in a filter", "POST /api/collections/{id}/search", () => ({ ...access("POST /api/collections/{id}/search"), body: JSON.stringify({ query: "honey", filter: { a: "\u0000" } }) }), { statuses: [400] }],
    ["a lone low surrogate after a non-ASCII character", "POST /api/embed", () => ({ body: JSON.stringify({ texts: ["é\udc00"] }) }), { statuses: [200, 400] }],
    ["a lone surrogate in metadata", "POST /api/collections/{id}/documents", () => ({ ...access("POST /api/collections/{id}/documents"), body: JSON.stringify({ documents: [{ text: "Owls turn their heads.", metadata: { a: "x\ud800" } }] }) }), { statuses: [201, 400] }],
    ["an unknown field whose name is not a word", "POST /api/embed", () => ({ body: JSON.stringify({ texts: ["cat"], "a b": 1 }) }), { statuses: [400] }],
    ["a zero query vector", "POST /api/collections/{id}/search", () => ({ ...access("POST /api/collections/{id}/search"), body: JSON.stringify({ query: Array(512).fill(0) }) }), { statuses: [400], code: "bad_request:query" }],
    ["a query vector too large to normalise", "POST /api/collections/{id}/search", () => ({ ...access("POST /api/collections/{id}/search"), body: JSON.stringify({ query: Array(512).fill(1e308) }) }), { statuses: [200, 400] }],
    ["documents that make more than 2,000 chunks", "POST /api/collections/{id}/documents", () => ({ ...access("POST /api/collections/{id}/documents"), body: JSON.stringify({ documents: Array.from({ length: 10 }, (_, i) => ({ text: `Document ${i}. ${"Bees make honey from nectar. ".repeat(5_000)}` })) }) }), { statuses: [413], code: "payload_too_large:documents" }],
    ["2,000 token-id inputs, the most /v1/embeddings allows", "POST /v1/embeddings", () => ({ body: JSON.stringify({ model: "glove-100d", input: Array(2_000).fill([4719]) }) }), { statuses: [200] }],
    ["token ids that end inside a character", "POST /v1/embeddings", () => ({ body: JSON.stringify({ model: "cedict-glove-100d", input: [[163, 234]] }) }), { statuses: [400], code: "bad_request:input" }],
    ["a Chinese text use-lite cannot read, under OpenAI's model name", "POST /v1/embeddings", () => ({ body: JSON.stringify({ model: "text-embedding-3-small", input: "猫" }) }), { statuses: [400], code: "unreadable:texts" }],
    ["the largest page of chunks, far past the end", "GET /api/collections/{id}/chunks", () => ({ ...access("GET /api/collections/{id}/chunks"), query: "?limit=2000&offset=9007199254740991" }), { statuses: [200] }],
  ];

  it.each(edgeCases)("edge case: %s (%s)", async (_title, name, request, expectation) => {
    await check(byName(name), request(), expectation);
  });

  const paramEndpoints = endpoints.filter((target) => target.name.includes("{"));
  it.each(paramEndpoints.map((target, i) => [target.name, target, 4_000 + i] as const))(
    "%s: hostile ids (../, NUL, 20,000 characters, unicode) and query strings are 4xx, never a 5xx",
    async (_name, target, seed) => {
      const request = fc.record({
        id: fc.oneof(hostileSegment, fc.constant("example")),
        slug: hostileSegment,
        documentId: hostileSegment,
        job: hostileSegment,
        index: fc.oneof(hostileSegment, fc.constantFrom("0", "1", "999999999")),
        query: fc.oneof(
          fc.constant(""),
          fc.record({ limit: hostileSegment, offset: hostileSegment }).map(({ limit, offset }) => `?limit=${encode(limit)}&offset=${encode(offset)}`),
          fc.string({ unit: fc.constantFrom(..."?&=%;#0123456789limitofset-+.e "), maxLength: 40 }).map((text) => `?${text}`),
        ),
        authorization: badAuthorization([fixtures.notes.readKey, fixtures.scratch.writeKey, fixtures.other.editKey]),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ id, slug, documentId, job, index, query, authorization }) => {
          const valid = validBodies[target.name]?.[0];
          await check(
            target,
            { params: { id, slug, documentId, job, index }, query, authorization, body: valid === undefined ? undefined : JSON.stringify(valid) },
            // The public example collection can be read (200) by anyone; nothing else is found.
            { statuses: [200, 400, 401, 403, 404] },
          );
        }),
        runs(seed, 150),
      );
    },
  );

  it("GET /api/collections/{id}/chunks: random limit and offset on a readable collection are 200 or 400", async () => {
    const target = byName("GET /api/collections/{id}/chunks");
    const value = fc.oneof(hostileSegment, fc.integer({ min: -10, max: 3_000 }).map(String), fc.constantFrom("9007199254740991", "9007199254740992", "1.0", "+1", " 1"));
    await fc.assert(
      fc.asyncProperty(fc.record({ limit: value, offset: value }), async ({ limit, offset }) => {
        const query = `?limit=${encode(limit)}&offset=${encode(offset)}`;
        await check(target, { params: { id: fixtures.notes.id }, key: fixtures.notes.readKey, query }, { statuses: [200, 400] });
      }),
      runs(4_900, 100),
    );
  });

  it("GET endpoints without parameters answer 200 whatever the query string and headers", async () => {
    const targets = endpoints.filter((target) => target.method === "GET" && !target.name.includes("{"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.string({ maxLength: 30 }), badAuthorization([]), async (target, query, authorization) => {
        await check(target, { query: `?${encode(query)}`, authorization }, { statuses: [200] });
      }),
      runs(5_000, 50),
    );
  });

  describe("keys", () => {
    /** Operations that need a key, the valid request, and the keys that must not open it. */
    const guarded = (): { name: string; params: Params; body?: unknown; wrong: string[] }[] => [
      { name: "PATCH /api/explorations/{slug}", params: { slug: fixtures.pets.slug }, body: { title: "Hijacked" }, wrong: [fixtures.other.editKey, fixtures.notes.writeKey] },
      { name: "DELETE /api/explorations/{slug}", params: { slug: fixtures.pets.slug }, wrong: [fixtures.other.editKey, fixtures.notes.writeKey] },
      { name: "DELETE /api/collections/{id}", params: { id: fixtures.notes.id }, wrong: [fixtures.notes.readKey, fixtures.scratch.writeKey, fixtures.pets.editKey] },
      { name: "POST /api/collections/{id}/documents", params: { id: fixtures.notes.id }, body: { documents: [{ text: "Smuggled in." }] }, wrong: [fixtures.notes.readKey, fixtures.scratch.writeKey] },
      { name: "POST /api/collections/{id}/imports", params: { id: fixtures.notes.id }, body: { smuggled: "in" }, wrong: [fixtures.notes.readKey, fixtures.scratch.writeKey] },
      { name: "DELETE /api/collections/{id}/documents/{documentId}", params: { id: fixtures.notes.id, documentId: fixtures.notes.documentId }, wrong: [fixtures.notes.readKey, fixtures.scratch.writeKey] },
      // Reads of a private collection: neither of its own keys is in `wrong`.
      { name: "GET /api/collections/{id}", params: { id: fixtures.notes.id }, wrong: [fixtures.scratch.readKey, fixtures.scratch.writeKey] },
      { name: "GET /api/collections/{id}/documents", params: { id: fixtures.notes.id }, wrong: [fixtures.scratch.readKey, fixtures.pets.editKey] },
      { name: "GET /api/collections/{id}/chunks", params: { id: fixtures.notes.id }, wrong: [fixtures.scratch.readKey] },
      { name: "GET /api/collections/{id}/jobs", params: { id: fixtures.notes.id }, wrong: [fixtures.scratch.readKey, fixtures.pets.editKey] },
      { name: "POST /api/collections/{id}/search", params: { id: fixtures.notes.id }, body: { query: "honey", k: 2 }, wrong: [fixtures.scratch.writeKey] },
    ];

    it("a missing, malformed or wrong Authorization header (a read key where the write key is needed) changes nothing: 400/401/403/404", async () => {
      const cases = guarded();
      const request = fc.constantFrom(...cases).chain((guard) => badAuthorization(guard.wrong).map((authorization) => ({ guard, authorization })));
      await fc.assert(
        fc.asyncProperty(request, async ({ guard, authorization }) => {
          const body = guard.body === undefined ? undefined : JSON.stringify(guard.body);
          await check(byName(guard.name), { params: guard.params, authorization, body }, { statuses: [400, 401, 403, 404] });
        }),
        runs(6_000, 600),
      );
    });

    it("afterwards the guarded resources are intact and still open with their own keys", async () => {
      const exploration = await check(byName("GET /api/explorations/{slug}"), { params: { slug: fixtures.pets.slug } }, { statuses: [200] });
      expect(exploration.json).toMatchObject({ title: "Pets", version: 1 });
      const collection = await check(byName("GET /api/collections/{id}"), { params: { id: fixtures.notes.id }, key: fixtures.notes.readKey }, { statuses: [200] });
      expect(collection.json).toMatchObject({ documents: 2 });
    });
  });
});

/** Percent-encodes `text` for a URL; lone surrogates, which URLs cannot carry, become U+FFFD as in UTF-8. */
function encode(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}
