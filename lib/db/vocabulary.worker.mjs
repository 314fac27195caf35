// The embedded vocabulary database (see vocabulary-store.ts): a PGlite instance of its own in a
// worker thread, so its minute-long HNSW build runs on another core and holds no session the
// server's own PGlite needs. Plain JavaScript, loaded by path at run time (like use-lite.worker.mjs),
// so neither Next.js's bundler nor a TypeScript runner is involved.
// workerData: { dataDir, settings: [name, value][] } (the main session's settings, e.g. hnsw.ef_search).
// Messages, each answered { id, ...reply } or { id, error }:
//   { op: "query", text, values }   → { rows }
//   { op: "exec", sql }             → {}        a script (migrations)
//   { op: "transaction", statements: [{ text, values, copy? }] } → {}  copy: Uint8Array for COPY … FROM '/dev/blob'
//   { op: "maintenance", sql }      → {}        statements in one transaction (SET LOCAL, CREATE INDEX)
//   { op: "close" }                 → {}
import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";

const { dataDir, settings = [] } = workerData;

async function open() {
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { extensions: { vector } });
  for (const [name, value] of settings) {
    if (!/^[a-z_][a-z0-9_.]*$/i.test(name)) throw new Error(`Not a setting name: ${JSON.stringify(name)}`);
    await client.exec(`SET ${name} = '${String(value).replace(/'/g, "''")}'`);
  }
  return client;
}

const opening = open();
// A database that failed to open stays failed in this thread: end it, so the next call starts a new one.
opening.catch(() => setTimeout(() => process.exit(1), 0));

async function run(client, message) {
  switch (message.op) {
    case "query":
      return { rows: (await client.query(message.text, message.values ?? [])).rows };
    case "exec":
      await client.exec(message.sql);
      return {};
    case "transaction":
      await client.transaction(async (tx) => {
        for (const { text, values, copy } of message.statements) {
          await tx.query(text, values ?? [], copy ? { blob: new Blob([copy]) } : undefined);
        }
      });
      return {};
    case "maintenance":
      await client.transaction((tx) => tx.exec(message.sql));
      return {};
    case "close":
      await client.close();
      return {};
    default:
      throw new Error(`Unknown vocabulary database operation: ${message.op}`);
  }
}

parentPort.on("message", async ({ id, ...message }) => {
  try {
    parentPort.postMessage({ id, ...(await run(await opening, message)) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
