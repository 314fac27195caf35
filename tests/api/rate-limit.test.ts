import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { socketAddressHeader } from "@/lib/api/client-address";
import { RateLimiter } from "@/lib/api/rate-limit";
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
