import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connection";
import {
  deferredEmbeddings,
  findNearestEmbeddings,
  getEmbeddingsByTexts,
  hasDeferredEmbeddings,
  saveEmbeddingsLater,
} from "@/lib/db/queries";
import { normalize } from "@/lib/vectors";
import { testBackends, useScratchDatabase } from "../support/databases";

const unit = (seed: number) => normalize(Array.from({ length: 100 }, (_, i) => Math.sin(seed * 7.3 + i)));

describe.each(testBackends)("cache rows written after the reply, on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("answers queued rows at once, and stores them in order behind the caller", async () => {
    const first = saveEmbeddingsLater(db, { model: "glove-100d", entries: [{ text: "one", vector: unit(1) }] });
    const second = saveEmbeddingsLater(db, { model: "glove-100d", entries: [{ text: "two", vector: unit(2) }] });
    expect(hasDeferredEmbeddings(db)).toBe(true);
    expect(deferredEmbeddings(db, { model: "glove-100d", texts: ["one", "two", "three"] })).toEqual(
      new Map([["one", unit(1)], ["two", unit(2)]]),
    );
    expect(deferredEmbeddings(db, { model: "use-lite", texts: ["one"] }).size).toBe(0);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(hasDeferredEmbeddings(db)).toBe(false);
    expect([...(await getEmbeddingsByTexts(db, { model: "glove-100d", texts: ["one", "two"] })).keys()].sort()).toEqual(["one", "two"]);
  });

  it.skipIf(!backend.enabled)("a search of stored texts waits for queued rows", async () => {
    void saveEmbeddingsLater(db, { model: "glove-100d", entries: [{ text: "queued", vector: unit(3) }] });
    const nearest = await findNearestEmbeddings(db, { model: "glove-100d", vector: unit(3), k: 1 });
    expect(nearest[0]).toMatchObject({ text: "queued" });
  });

  it.skipIf(!backend.enabled)("a failed write resolves false, is logged, and leaves nothing queued", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // PostgreSQL refuses a NUL in text: a real failure from the database.
      const written = saveEmbeddingsLater(db, { model: "glove-100d", entries: [{ text: "bad\u0000text", vector: unit(4) }] });
      expect(await written).toBe(false);
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/could not store 1 glove-100d vector/), expect.anything());
      expect(hasDeferredEmbeddings(db)).toBe(false);
      // The queue goes on: a later write still lands.
      expect(await saveEmbeddingsLater(db, { model: "glove-100d", entries: [{ text: "after", vector: unit(5) }] })).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});

describe("closing the embedded database", () => {
  it("first writes the cache rows still queued", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-deferred-close-"));
    try {
      const first = await openDatabase({ pgliteDir: dir });
      void saveEmbeddingsLater(first, { model: "glove-100d", entries: [{ text: "before close", vector: unit(6) }] });
      await first.close();
      const again = await openDatabase({ pgliteDir: dir });
      expect((await getEmbeddingsByTexts(again, { model: "glove-100d", texts: ["before close"] })).size).toBe(1);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
