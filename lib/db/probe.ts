import net from "node:net";
import type { Database } from "./database";

export type DatabaseProbe = "up" | "down" | "unknown";

/**
 * Whether the database answers, for proxy.ts, which runs before a page renders. It reads the
 * globalThis entry lib/db/client.ts caches the open database under, without importing client.ts:
 * that would bundle the drivers into the proxy and open a second pool.
 *
 * - Open on PostgreSQL: "up" when `SELECT 1` answers within `timeoutMs` (default 5 s, as long as
 *   connecting may take), else "down". The embedded database is not asked: it lives in this
 *   process, so it cannot be unreachable, and a question would wait behind whatever it does.
 * - Not open (opening it failed, e.g. the server started during an outage): "down" when nothing
 *   accepts a connection at DATABASE_URL's host and port, else "unknown": the page opens it.
 */
export async function probeDatabase({ timeoutMs = 5_000, url = process.env.DATABASE_URL }: { timeoutMs?: number; url?: string } = {}): Promise<DatabaseProbe> {
  const pending = (globalThis as { embeddingsNotebookDb?: Promise<Database> }).embeddingsNotebookDb;
  if (!pending) return url ? ((await acceptsConnections(url, timeoutMs)) ?? "unknown") : "unknown";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"down">((resolve) => {
    timer = setTimeout(() => resolve("down"), timeoutMs);
  });
  const probe = (async () => {
    const db = await pending;
    if (db.kind === "postgres") await db.query("SELECT 1", []);
    return "up" as const;
  })().catch(() => "down" as const);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** "down" when a TCP connection to the URL's host and port is refused or times out; undefined when it is accepted or the URL names no TCP host (a Unix socket). */
async function acceptsConnections(url: string, timeoutMs: number): Promise<"down" | undefined> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, "");
    port = Number(parsed.port || 5432);
  } catch {
    return undefined;
  }
  if (!host) return undefined;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const settle = (result: "down" | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => settle("down"));
    socket.once("connect", () => settle(undefined));
    socket.once("error", () => settle("down"));
  });
}
