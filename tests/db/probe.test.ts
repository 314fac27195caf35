import net from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { probeDatabase } from "@/lib/db/probe";
import { pgliteBackend, postgresBackend } from "../support/databases";
import { freePort } from "../support/server";

/** The entry lib/db/client.ts caches the open database under, which probeDatabase reads. */
const cache = globalThis as unknown as { embeddingsNotebookDb?: Promise<Database> };

afterEach(() => {
  delete cache.embeddingsNotebookDb;
});

describe("probeDatabase({ timeoutMs, url })", () => {
  it("is unknown with no database open and no URL: the page opens the embedded one itself", async () => {
    expect(await probeDatabase({ url: undefined })).toBe("unknown");
  });

  it("is down with no database open when nothing accepts connections at the URL", async () => {
    const port = await freePort();
    expect(await probeDatabase({ url: `postgresql://user:secret@127.0.0.1:${port}/notebook` })).toBe("down");
  });

  it("is unknown with no database open when something listens at the URL: the page tries to open it", async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      expect(await probeDatabase({ url: `postgresql://user:secret@127.0.0.1:${port}/notebook` })).toBe("unknown");
    } finally {
      server.close();
    }
  });

  it("is down when opening the database failed", async () => {
    cache.embeddingsNotebookDb = Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    cache.embeddingsNotebookDb.catch(() => {});
    expect(await probeDatabase()).toBe("down");
  });

  it("is down when the database does not answer within timeoutMs (a frozen server: connected, silent)", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const pool = new pg.Pool({ connectionString: `postgresql://user:secret@127.0.0.1:${port}/notebook`, connectionTimeoutMillis: 5_000 });
    pool.on("error", () => {});
    try {
      const frozen = { kind: "postgres", query: async (text: string, values: unknown[]) => (await pool.query(text, values)).rows };
      cache.embeddingsNotebookDb = Promise.resolve(frozen as unknown as Database);
      expect(await probeDatabase({ timeoutMs: 200 })).toBe("down");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await pool.end().catch(() => {});
    }
  });

  it("is up for the embedded database without asking it, however busy it is", async () => {
    const handle = await pgliteBackend.open();
    try {
      const busy = handle.db.query("SELECT pg_sleep(1)", []);
      cache.embeddingsNotebookDb = Promise.resolve(handle.db);
      expect(await probeDatabase({ timeoutMs: 50 })).toBe("up");
      await busy;
    } finally {
      await handle.dispose();
    }
  });

  it.skipIf(!postgresBackend.enabled)("is up for an open PostgreSQL database", async () => {
    const handle = await postgresBackend.open();
    try {
      cache.embeddingsNotebookDb = Promise.resolve(handle.db);
      expect(await probeDatabase()).toBe("up");
    } finally {
      await handle.dispose();
    }
  });
});
