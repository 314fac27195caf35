import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-health-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;

const { closeDatabase } = await import("@/lib/db/client");
const health = await import("@/app/api/health/route");
const ready = await import("@/app/api/ready/route");

type Readiness = { ready: boolean; checks: { name: string; ok: boolean; detail: string }[] };
const readiness = async () => {
  const response = await ready.GET(new Request("http://localhost/api/ready"), {});
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as Readiness };
};

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("health and readiness", () => {
  it("/api/health answers while the process is up", async () => {
    const response = await health.GET(new Request("http://localhost/api/health"), {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });
  });

  it("/api/ready is 200 once the database is open and migrated, naming every check", async () => {
    // The first asks open and migrate the database, which may take longer than the check waits.
    await expect.poll(async () => (await readiness()).status, { timeout: 60_000, interval: 500 }).toBe(200);
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.checks.map((check) => check.name).sort()).toEqual(["database", "migrations", "models", "shutdown"]);
    expect(body.checks.every((check) => check.ok)).toBe(true);
  });

  it("/api/ready is 503 with Retry-After and the failed check while the server shuts down", async () => {
    const flag = globalThis as unknown as { embeddingsNotebookShuttingDown?: boolean };
    flag.embeddingsNotebookShuttingDown = true;
    try {
      const { status, retryAfter, body } = await readiness();
      expect(status).toBe(503);
      expect(retryAfter).toBe("5");
      expect(body.checks.find((check) => check.name === "shutdown")).toMatchObject({ ok: false, detail: expect.stringContaining("shutting down") });
    } finally {
      flag.embeddingsNotebookShuttingDown = false;
    }
  });

  it("/api/ready is 503 naming the database when it cannot be opened, with nothing secret in the reply", async () => {
    await closeDatabase();
    process.env.DATABASE_URL = "postgresql://someone:s3cret@127.0.0.1:1/nowhere";
    try {
      const { status, body } = await readiness();
      expect(status).toBe(503);
      expect(body.checks.find((check) => check.name === "database")?.ok).toBe(false);
      expect(JSON.stringify(body)).not.toMatch(/s3cret|127\.0\.0\.1|someone/);
    } finally {
      delete process.env.DATABASE_URL;
      await closeDatabase().catch(() => {});
    }
  }, 30_000);
});
