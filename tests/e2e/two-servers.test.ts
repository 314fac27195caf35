import { createHash } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postgresClusterUnavailableReason, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster";
import { pollUntil, readReply, type Reply } from "../support/http-reply";
import { buildApp, launchServer, type ServerProcess } from "../support/server";

/**
 * Two production servers on one PostgreSQL, as people run them behind a proxy: a client's rate
 * limit holds across both; a bounded mixed load through both (saves, conflicting edits, uploads
 * into one collection at once, searches); PostgreSQL stopped (fast, then immediate) under the
 * servers, which must answer 503 meanwhile, API and share pages alike, and recover without a
 * restart. Afterwards every acknowledged write is there once, each conflict had one winner,
 * every cached embedding is indexed, and both servers answer a search identically.
 *
 * The servers trust one proxy hop (TRUSTED_PROXY_HOPS=1), so each request names its client in
 * X-Forwarded-For: the load spreads over many clients, the rate-limit check uses one.
 */

const writeAllowance = 8;

const noClusterReason = postgresClusterUnavailableReason();
if (noClusterReason) console.warn(`NOTICE: ${noClusterReason}: the two-server PostgreSQL tests are skipped.`);

let clients = 0;
/** A client address of its own for each load request, so the load never meets the write limit. */
const nextClient = () => `10.${(++clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;

/** One request with a client-side deadline, from `client` (default: a new one each time). */
async function call(
  server: ServerProcess,
  method: string,
  route: string,
  { body, key, client = nextClient(), seconds = 30 }: { body?: unknown; key?: string; client?: string; seconds?: number } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { "x-forwarded-for": client };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch(`${server.url}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(seconds * 1000),
    });
  } catch (error) {
    throw new Error(`${method} ${route} on ${server.url} gave no answer within ${seconds} s (${(error as Error).message})`);
  }
  return readReply(response);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const words = ["cat", "dog", "horse", "cow", "car", "truck", "train", "apple", "banana", "cherry", "violin", "piano", "river", "mountain", "ocean", "forest"];

/** An exploration of four items, different for each n. */
const exploration = (n: number) => ({
  title: `Load ${n}`,
  items: [0, 1, 2, 3].map((i) => ({ text: `${words[(n + i * 5) % words.length]} ${n % 3 === 0 ? "" : n}`.trim() })),
  cells: [{ id: "map", type: "map", method: "pca", params: {} }],
});

const topics = ["bees make honey from nectar", "volcanoes erupt lava and ash", "rivers carve valleys into rock", "glaciers grind mountains slowly", "tides follow the moon"];
/** A document of ~1,500 characters (two or three chunks), different for each n. */
const documentText = (n: number) =>
  Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} of document ${n}: ${topics[(n + i) % topics.length]}, as note ${n * 100 + i} records.`).join("\n\n");

interface Saved {
  slug: string;
  editKey: string;
  url: string;
  title: string;
  texts: string[];
}

describe.skipIf(noClusterReason !== null)("two servers on one PostgreSQL", () => {
  let cluster: PostgresCluster;
  let servers: [ServerProcess, ServerProcess];
  let serverEnv: Record<string, string>;
  let sql: pg.Pool;
  const saved: Saved[] = [];
  /** Titles of saves whose answer was lost to the outage (503): stored once or not at all. */
  const unacknowledged: string[] = [];
  const winners = new Map<string, string>();
  let collection: { id: string; writeKey: string };
  /** Document id (as the API gives it) → its text's SHA-256 and the chunks the upload reported. */
  const storedDocuments = new Map<string, { hash: string; chunks: number }>();

  beforeAll(async () => {
    await buildApp();
    cluster = await startPostgresCluster();
    sql = new pg.Pool({ connectionString: cluster.url, max: 2 });
    sql.on("error", () => {}); // idle connections die with the cluster's outages
    // The CI cluster trades durability for speed (synchronous_commit = off): an immediate shutdown
    // then loses commits PostgreSQL had already acknowledged, and the app with them. A production
    // PostgreSQL commits synchronously; so does this one, or "no acknowledged write lost" could
    // not be tested. (fsync stays off: the kernel keeps what a killed process wrote.)
    await sql.query("ALTER SYSTEM SET synchronous_commit = on");
    await sql.query("SELECT pg_reload_conf()");
    serverEnv = {
      DATABASE_URL: cluster.url,
      PGLITE_DIR: path.join(cluster.dir, "unused-pglite"),
      TRUSTED_PROXY_HOPS: "1",
      RATE_LIMIT_WRITE_PER_MINUTE: String(writeAllowance),
      RATE_LIMIT_COMPUTE_PER_MINUTE: "100000",
    };
    // One after the other: the first applies the migrations, the second finds them applied.
    const first = await launchServer(serverEnv);
    servers = [first, await launchServer(serverEnv)];
  }, 300_000);

  afterEach(({ task }) => {
    if (task.result?.state === "fail") {
      for (const server of servers ?? []) console.error(`--- server output (${server.url}) ---\n${server.output().slice(-5000)}`);
    }
  });

  afterAll(async () => {
    await Promise.all((servers ?? []).map((server) => server.stop()));
    await sql?.end();
    await cluster?.destroy();
  }, 120_000);

  it(`gives one client its ${writeAllowance} writes a minute once across both servers, then 429 with Retry-After`, async () => {
    const statuses: number[] = [];
    let limited: Reply | undefined;
    for (let i = 0; i < 2 * writeAllowance; i++) {
      // An empty body is refused after the limit is taken: nothing is written.
      const reply = await call(servers[i % 2], "POST", "/api/explorations", { body: "{}", client: "203.0.113.9" });
      statuses.push(reply.status);
      if (reply.status === 429) limited = reply;
    }
    expect(statuses.filter((status) => status === 400)).toHaveLength(writeAllowance);
    expect(statuses.slice(writeAllowance)).toEqual(Array(writeAllowance).fill(429));
    expect(limited!.json.error.code).toBe("rate_limited:write");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client is unaffected, on either server.
    for (const server of servers) expect((await call(server, "POST", "/api/explorations", { body: "{}" })).status).toBe(400);
  }, 60_000);

  it("takes a mixed load through both: saves, conflicting edits, uploads into one collection at once, searches", async () => {
    const created = await call(servers[0], "POST", "/api/collections", { body: { name: "Shared", model: "use-lite" } });
    expect(created.status, created.text).toBe(201);
    collection = { id: created.json.id, writeKey: created.json.writeKey };

    const saves = Array.from({ length: 12 }, async (_, n) => {
      const body = exploration(n);
      const reply = await call(servers[n % 2], "POST", "/api/explorations", { body, seconds: 60 });
      expect(reply.status, reply.text).toBe(201);
      saved.push({ slug: reply.json.slug, editKey: reply.json.editKey, url: reply.json.url, title: body.title, texts: body.items.map((item) => item.text) });
    });
    // Four uploads at once, two through each server, and one document that all four carry.
    const uploads = [0, 1, 2, 3].map(async (u) => {
      const documents = [documentText(100), documentText(u * 2), documentText(u * 2 + 1)].map((text) => ({ text, metadata: { upload: u } }));
      const reply = await call(servers[u % 2], "POST", `/api/collections/${collection.id}/documents`, { body: { documents }, key: collection.writeKey, seconds: 60 });
      expect(reply.status, reply.text).toBe(201);
      (reply.json.documents as { documentId: number | string; chunks: number; duplicate: boolean }[]).forEach((document, i) => {
        // A duplicate adds nothing (0 chunks): the upload that stored it reports its chunks.
        const id = String(document.documentId);
        const hash = createHash("sha256").update(documents[i].text).digest("hex");
        if (!document.duplicate) storedDocuments.set(id, { hash, chunks: document.chunks });
        else if (!storedDocuments.has(id)) storedDocuments.set(id, { hash, chunks: -1 });
      });
    });
    const searches = Array.from({ length: 8 }, async (_, n) => {
      await sleep(n * 100);
      const reply = await call(servers[n % 2], "POST", `/api/collections/${collection.id}/search`, { body: { query: "how do bees make honey", k: 3 }, key: collection.writeKey });
      expect(reply.status, reply.text).toBe(200);
    });
    await Promise.all([...saves, ...uploads, ...searches]);
    // Eight documents and the shared one, each stored once (one id, whichever server stored it).
    expect(storedDocuments.size).toBe(9);

    // Conflicting edits: both servers at once, both from version 1: exactly one wins.
    await Promise.all(
      saved.slice(0, 6).map(async (exploration) => {
        const replies = await Promise.all(
          servers.map((server, s) => call(server, "PATCH", `/api/explorations/${exploration.slug}`, { body: { title: `${exploration.title} by ${s}`, version: 1 }, key: exploration.editKey })),
        );
        expect(replies.map((reply) => reply.status).sort(), replies.map((reply) => reply.text).join("\n")).toEqual([200, 409]);
        expect(replies.find((reply) => reply.status === 409)!.json.error.code).toBe("conflict:version");
        winners.set(exploration.slug, replies.find((reply) => reply.status === 200)!.json.title);
      }),
    );
  }, 90_000);

  async function expectUnavailable(server: ServerProcess): Promise<void> {
    const api = [
      await call(server, "POST", "/api/explorations", { body: exploration(99), seconds: 15 }),
      await call(server, "POST", `/api/collections/${collection.id}/search`, { body: { query: "honey", k: 3 }, key: collection.writeKey, seconds: 15 }),
    ];
    for (const reply of api) {
      expect(reply.status, reply.text).toBe(503);
      expect(reply.json.error.code).toBe("unavailable:database");
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    const page = await call(server, "GET", new URL(saved[0].url).pathname, { seconds: 15 });
    expect(page.status, page.text.slice(0, 500)).toBe(503);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.text).toContain("The database is unavailable right now");
    expect(page.text).not.toMatch(/ECONNREFUSED|57P01|postgres(ql)?:\/\//i);
  }

  let recoveryAttempts = 0;
  async function expectRecovered(server: ServerProcess): Promise<void> {
    await pollUntil(`${server.url} saves again`, 30, async () => {
      const body = exploration(200 + recoveryAttempts++);
      const reply = await call(server, "POST", "/api/explorations", { body, seconds: 20 });
      if (reply.status !== 201) {
        unacknowledged.push(body.title);
        return false;
      }
      saved.push({ slug: reply.json.slug, editKey: reply.json.editKey, url: reply.json.url, title: body.title, texts: body.items.map((item) => item.text) });
      return true;
    });
    expect((await call(server, "GET", new URL(saved[0].url).pathname)).status).toBe(200);
  }

  it("answers 503 with Retry-After on the API and on share pages while PostgreSQL is stopped, and recovers without a restart", async () => {
    await cluster.stop();
    try {
      for (const server of servers) await expectUnavailable(server);
      // A server started during the outage, which never opened the database, says so too.
      const late = await launchServer(serverEnv, { ready: "answering" });
      try {
        await expectUnavailable(late);
      } finally {
        await late.stop();
      }
    } finally {
      await cluster.start();
    }
    for (const server of servers) await expectRecovered(server);
  }, 90_000);

  it("answers 201 or 503, nothing else, when PostgreSQL dies abruptly under saves, then 503 until it is back", async () => {
    const pending = Array.from({ length: 6 }, async (_, n) => {
      await sleep(n * 80);
      const body = { ...exploration(300 + n), title: `Abrupt ${n}` };
      const reply = await call(servers[n % 2], "POST", "/api/explorations", { body, seconds: 60 });
      if (reply.status === 201) saved.push({ slug: reply.json.slug, editKey: reply.json.editKey, url: reply.json.url, title: body.title, texts: body.items.map((item) => item.text) });
      else unacknowledged.push(body.title);
      return reply;
    });
    await sleep(250);
    await cluster.kill();
    try {
      for (const reply of await Promise.all(pending)) {
        expect([201, 503], reply.text).toContain(reply.status);
        if (reply.status === 503) expect(reply.json.error.code).toBe("unavailable:database");
      }
      for (const server of servers) await expectUnavailable(server);
    } finally {
      await cluster.start();
    }
    for (const server of servers) await expectRecovered(server);
    for (const server of servers) expect(server.output()).not.toMatch(/uncaughtException|Unhandled 'error' event/);
  }, 90_000);

  it("keeps every acknowledged write once, one winner per conflict, every embedding indexed, and both servers agree", async () => {
    for (const exploration of saved) {
      const [a, b] = await Promise.all(servers.map((server) => call(server, "GET", `/api/explorations/${exploration.slug}`)));
      expect(a.status, a.text).toBe(200);
      expect(b.json).toEqual(a.json);
      expect(a.json.items.map((item: { text: string }) => item.text)).toEqual(exploration.texts);
      const winner = winners.get(exploration.slug);
      expect(a.json.title).toBe(winner ?? exploration.title);
      expect(a.json.version).toBe(winner ? 2 : 1);
    }

    const { rows: stored } = await sql.query<{ title: string; copies: number }>(
      `SELECT "title", count(*)::int AS "copies" FROM "explorations" GROUP BY "title"`,
    );
    const copies = new Map(stored.map((row) => [row.title.replace(/ by [01]$/, ""), row.copies]));
    for (const exploration of saved) expect(copies.get(exploration.title), exploration.title).toBe(1);
    for (const title of unacknowledged) expect(copies.get(title) ?? 0, title).toBeLessThanOrEqual(1);
    expect(stored.filter((row) => row.copies !== 1)).toEqual([]);

    const { rows: documents } = await sql.query<{ hash: string; chunks: number; positions: number }>(
      `SELECT d."content_hash" AS "hash", count(c."id")::int AS "chunks", count(DISTINCT c."position")::int AS "positions"
       FROM "collection_documents" d JOIN "collection_chunks" c ON c."document_id" = d."id"
       WHERE d."collection_id" = (SELECT "id" FROM "collections" WHERE "public_id" = $1) GROUP BY d."id"`,
      [collection.id],
    );
    expect(documents).toHaveLength(storedDocuments.size);
    const reported = new Map([...storedDocuments.values()].map((document) => [document.hash, document.chunks]));
    for (const document of documents) {
      expect(document.positions, `document ${document.hash}: a chunk position twice`).toBe(document.chunks);
      expect(document.chunks).toBe(reported.get(document.hash));
    }

    // An indexer whose step failed in the outage tries again 30 s later (indexingPolicy.retryAfterFailureMs).
    await pollUntil("every embedding row is in its HNSW index", 45, async () => {
      const { rows } = await sql.query<{ unindexed: number }>(`SELECT count(*)::int AS "unindexed" FROM "embeddings" WHERE NOT "indexed"`);
      return rows[0].unindexed === 0;
    });

    for (const mode of ["hybrid", "vector", "keyword"]) {
      const body = { query: "how do bees make honey", k: 5, mode };
      const [a, b] = await Promise.all(servers.map((server) => call(server, "POST", `/api/collections/${collection.id}/search`, { body, key: collection.writeKey })));
      expect(a.status, a.text).toBe(200);
      expect(a.json.results.length).toBeGreaterThan(0);
      expect(b.json).toEqual(a.json);
    }
  }, 80_000);
});
