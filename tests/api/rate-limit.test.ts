import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketAddressHeader } from "@/lib/api/client-address";
import { RateLimiter } from "@/lib/api/rate-limit";
import { SharedRateLimiter, SharedRateLimiterWithFallback } from "@/lib/api/shared-rate-limit";
import { openDatabase, type Database } from "@/lib/db/connection";
import { maxClientKeyLength, pruneRateLimitBuckets } from "@/lib/db/rate-limit-queries";
import { createScratchDatabase, pgliteBackend, postgresBackend, type TestBackend } from "../support/databases";
import { jsonRequest } from "../support/routes";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-rate-"));
Object.assign(process.env, { PGLITE_DIR: dataDir, RATE_LIMIT_WRITE_PER_MINUTE: "2", RATE_LIMIT_COMPUTE_PER_MINUTE: "3" });
delete process.env.DATABASE_URL;

const explorations = await import("@/app/api/explorations/route");
const single = await import("@/app/api/explorations/[slug]/route");
const similarity = await import("@/app/api/similarity/route");
const { closeDatabase } = await import("@/lib/db/client");

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const from = (client: string) => ({ "content-type": "application/json", [socketAddressHeader]: client });

describe("RateLimiter(perMinute)", () => {
  it("lets a client burst up to a minute's allowance, then asks it to wait", () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 30]);
    expect(limiter.take("b")).toBe(0);
    now = 30_000;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(30);
  });

  it("with 0 per minute never limits", () => {
    const limiter = new RateLimiter(0);
    expect(Array.from({ length: 100 }, () => limiter.take("a")).every((wait) => wait === 0)).toBe(true);
  });
});

describe("rate limits on the API", () => {
  it("answers 429 with Retry-After once a client has used its write allowance; others are unaffected", async () => {
    const save = (client: string) => explorations.POST(jsonRequest("/api/explorations", "{}", { headers: from(client) }), {});
    expect((await save("192.0.2.1")).status).toBe(400);
    expect((await save("192.0.2.1")).status).toBe(400);
    const limited = await save("192.0.2.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited:write");
    expect((await save("192.0.2.2")).status).toBe(400);
  });

  it("counts every address of one IPv6 /64 as one client", async () => {
    const save = (client: string) => explorations.POST(jsonRequest("/api/explorations", "{}", { headers: from(client) }), {});
    const statuses = [];
    for (const host of ["1", "2", "3"]) statuses.push((await save(`2001:db8:7:7::${host}`)).status);
    expect(statuses).toEqual([400, 400, 429]);
    expect((await save("2001:db8:7:8::1")).status).toBe(400); // the next /64 is another client
  });

  it("limits compute endpoints on their own allowance", async () => {
    const compare = () => similarity.POST(jsonRequest("/api/similarity", "{}", { headers: from("198.51.100.7") }), {});
    const statuses = [await compare(), await compare(), await compare(), await compare()].map((response) => response.status);
    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  it("never limits reads", async () => {
    const read = () => single.GET(new Request("http://localhost/api/explorations/AAAAAAAAAAAAAAAA", { headers: from("192.0.2.1") }), { params: Promise.resolve({ slug: "AAAAAAAAAAAAAAAA" }) });
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await read()).status));
    expect(new Set(statuses)).toEqual(new Set([404]));
  });
});

/**
 * Two "servers" on one database: on PostgreSQL two pools of their own (as two processes have), on
 * PGlite, which one process owns, the same database twice (the app keeps PGlite's buckets in
 * memory; these tests only check that the SQL holds there too).
 */
async function openTwoServers(backend: TestBackend): Promise<{ servers: [Database, Database]; dispose(): Promise<void> }> {
  if (backend === pgliteBackend) {
    const handle = await pgliteBackend.open();
    return { servers: [handle.db, handle.db], dispose: () => handle.dispose() };
  }
  const { url, drop } = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
  const first = await openDatabase({ url });
  const second = await openDatabase({ url });
  return {
    servers: [first, second],
    async dispose() {
      await Promise.all([first.close(), second.close()]);
      await drop();
    },
  };
}

for (const backend of [pgliteBackend, postgresBackend]) {
  describe.skipIf(!backend.enabled)(`SharedRateLimiter(kind, perMinute, database) on ${backend.name}`, () => {
    let servers: [Database, Database];
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ servers, dispose } = await openTwoServers(backend));
    });
    afterAll(async () => dispose?.());

    const limiterOn = (server: number, kind: string, perMinute: number) => new SharedRateLimiter(kind, perMinute, async () => servers[server]);
    /** Moves a bucket `seconds` into the past, as if that much of the database's time had passed. */
    const age = (kind: string, client: string, seconds: number) =>
      servers[0].query(`UPDATE "rate_limit_buckets" SET "updated_at" = "updated_at" - make_interval(secs => $3) WHERE "kind" = $1 AND "client" = $2`, [kind, client, seconds]);

    it("gives a client exactly its allowance across two servers, however its requests interleave", async () => {
      const limiters = [limiterOn(0, "write", 10), limiterOn(1, "write", 10)];
      const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 2].take("192.0.2.10")));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
      // Ten a minute: the next token is at most 6 s away.
      for (const wait of waits.filter((wait) => wait > 0)) expect(wait >= 1 && wait <= 6, `Retry-After ${wait}`).toBe(true);
    });

    it("refills a bucket at perMinute a minute of the database's clock, up to perMinute", async () => {
      const [first, second] = [limiterOn(0, "write", 2), limiterOn(1, "write", 2)];
      expect([await first.take("192.0.2.11"), await second.take("192.0.2.11"), await first.take("192.0.2.11")]).toEqual([0, 0, 30]);
      await age("write", "192.0.2.11", 30);
      expect([await second.take("192.0.2.11"), await first.take("192.0.2.11")]).toEqual([0, 30]);
      await age("write", "192.0.2.11", 3600); // an hour refills it to 2, not 120
      expect([await first.take("192.0.2.11"), await second.take("192.0.2.11"), await first.take("192.0.2.11")]).toEqual([0, 0, 30]);
    });

    it("keeps kinds and clients apart", async () => {
      const write = limiterOn(0, "write", 1);
      const compute = limiterOn(1, "compute", 1);
      expect([await write.take("192.0.2.12"), await write.take("192.0.2.12")]).toEqual([0, 60]);
      expect(await compute.take("192.0.2.12")).toBe(0);
      expect(await write.take("192.0.2.13")).toBe(0);
    });

    it("with 0 per minute never limits and writes no bucket", async () => {
      const unlimited = limiterOn(0, "write", 0);
      expect(await Promise.all(Array.from({ length: 20 }, () => unlimited.take("192.0.2.14")))).toEqual(Array(20).fill(0));
      expect(await servers[0].query(`SELECT 1 FROM "rate_limit_buckets" WHERE "client" = '192.0.2.14'`, [])).toEqual([]);
    });

    it(`stores a client key of at most ${maxClientKeyLength} characters`, async () => {
      const limiter = limiterOn(0, "write", 1);
      const long = "x".repeat(5_000);
      expect([await limiter.take(long), await limiter.take(`${long}y`)]).toEqual([0, 60]);
      const [row] = await servers[0].query<{ length: number }>(`SELECT max(length("client")) AS "length" FROM "rate_limit_buckets"`, []);
      expect(row.length).toBe(maxClientKeyLength);
    });

    it("pruneRateLimitBuckets(db) deletes buckets idle for a minute, full by then, and no others", async () => {
      const limiter = limiterOn(0, "compute", 1);
      await limiter.take("192.0.2.15");
      await limiter.take("192.0.2.16");
      await age("compute", "192.0.2.15", 61);
      expect(await pruneRateLimitBuckets(servers[1])).toBeGreaterThanOrEqual(1);
      const left = await servers[0].query<{ client: string }>(`SELECT "client" FROM "rate_limit_buckets" WHERE "client" IN ('192.0.2.15', '192.0.2.16') AND "kind" = 'compute'`, []);
      expect(left.map((row) => row.client)).toEqual(["192.0.2.16"]);
      expect([await limiter.take("192.0.2.15"), await limiter.take("192.0.2.16")]).toEqual([0, 60]);
    });
  });
}

describe("SharedRateLimiterWithFallback(shared, local)", () => {
  it("counts on this server's own buckets while the shared ones fail, and asks them again after retryAfterMs", async () => {
    let now = 0;
    let reachable = false;
    let asked = 0;
    const backend = await pgliteBackend.open();
    try {
      const shared = new SharedRateLimiter("write", 1, async () => {
        asked += 1;
        if (!reachable) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
        return backend.db;
      });
      const limiter = new SharedRateLimiterWithFallback(shared, new RateLimiter(2, () => now), 5_000, () => now);
      expect([await limiter.take("192.0.2.20"), await limiter.take("192.0.2.20"), await limiter.take("192.0.2.20")]).toEqual([0, 0, 30]);
      expect(asked).toBe(1); // one failure, then the own buckets without asking
      reachable = true;
      now = 5_000;
      expect([await limiter.take("192.0.2.20"), await limiter.take("192.0.2.20")]).toEqual([0, 60]);
      expect(asked).toBe(3);
    } finally {
      await backend.dispose();
    }
  });
});
