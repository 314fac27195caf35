import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites, getEmbeddingsByTexts } from "@/lib/db/queries";
import { ModelWorker } from "@/lib/embeddings/model-worker";
import { embedTexts } from "@/lib/embeddings/service";
import { useLite } from "@/lib/embeddings/use-lite";
import { normalize } from "@/lib/vectors";
import { pgliteBackend, useScratchDatabase } from "../support/databases";

describe("ModelWorker", () => {
  const worker = new ModelWorker("tests/support/echo-model.worker.mjs");

  it("answers concurrent calls, each with its own rows", async () => {
    const [a, b] = await Promise.all([worker.embed(["cat", "dog"]), worker.embed(["horse"])]);
    expect(a).toEqual([[3, 99], [3, 100]]);
    expect(b).toEqual([[5, 104]]);
  });

  it("passes the worker's error on, and keeps working", async () => {
    await expect(worker.embed(["throw"])).rejects.toThrow("asked to throw");
    expect(await worker.embed(["ok"])).toEqual([[2, 111]]);
  });

  it("lets a process that used it end once no call is waiting", () => {
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "notebook-worker-exit-")), "script.mts");
    fs.writeFileSync(
      script,
      `import { ModelWorker } from ${JSON.stringify(path.resolve("lib/embeddings/model-worker.ts"))};
      const worker = new ModelWorker("tests/support/echo-model.worker.mjs");
      console.log(JSON.stringify(await worker.embed(["cat"])));`,
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("[[3,99]]");
    expect(run.status).toBe(0); // not killed by the timeout
  });

  it("rejects the calls of a worker that died, then starts a new one", async () => {
    const inFlight = worker.embed(["exit"]);
    await expect(inFlight).rejects.toThrow(/worker thread exited \(code 3\)/);
    expect(await worker.embed(["back"])).toEqual([[4, 98]]);
  });
});

describe("embedTexts with USE-lite in its worker thread", () => {
  let db: Database;
  useScratchDatabase(pgliteBackend, (opened) => (db = opened));

  it("stores every text once and answers the vectors of a direct model call, in input order", async () => {
    const texts = Array.from({ length: 53 }, (_, i) => `sentence ${i} about ${i % 2 ? "cats" : "trucks"}`);
    const request = [...texts, texts[0]];
    const { vectors } = await embedTexts(db, { model: "use-lite", texts: request });
    const direct = (await useLite.embed(texts)).map(normalize);
    expect(vectors).toEqual([...direct, direct[0]]);
    await flushEmbeddingWrites(db);
    const stored = await getEmbeddingsByTexts(db, { model: "use-lite", texts });
    expect(stored.size).toBe(texts.length);
    expect(texts.map((text) => stored.get(text))).toEqual(direct);
  });
});
