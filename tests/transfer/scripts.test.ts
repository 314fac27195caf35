import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDocuments, createCollection, searchCollection } from "@/lib/collections/service";
import { openDatabase, type Database } from "@/lib/db/connection";
import { createExploration, readExploration } from "@/lib/explorations/service";
import type { Exploration } from "@/lib/explorations/schemas";
import { parseDump } from "@/lib/transfer/format";

/** `npm run export` and `npm run import` as a user runs them: child processes, PGlite directory A to B. */

const tsx = path.resolve("node_modules/.bin/tsx");
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-transfer-"));
const dirA = path.join(workDir, "a");
const dirB = path.join(workDir, "b");
const dumpFile = path.join(workDir, "dump.json");

function runScript(script: string, args: string[], pgliteDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [script, ...args], { env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: pgliteDir } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function withDatabase<T>(dir: string, use: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ pgliteDir: dir });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

const question = { query: "Which engine works without spark plugs?", k: 2 };
let exploration: Exploration;
let keys: { id: string; readKey: string };
let results: Awaited<ReturnType<typeof searchCollection>>["results"];

describe("scripts/export.ts and scripts/import.ts", () => {
  beforeAll(async () => {
    await withDatabase(dirA, async (db) => {
      const created = await createExploration(db, { title: "Animals", model: "use-lite", items: [{ text: "cat" }, { text: "dog" }, { text: "car" }] });
      exploration = created.exploration;
      const collection = await createCollection(db, { name: "Notes", model: "use-lite", public: false });
      keys = { id: collection.collection.id, readKey: collection.readKey };
      await addDocuments(db, {
        id: keys.id,
        key: collection.writeKey,
        documents: [{ text: "A diesel engine ignites its fuel by compression alone." }, { text: "Apples are picked in autumn." }],
      });
      results = (await searchCollection(db, { id: keys.id, key: keys.readKey, ...question })).results;
    });
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it("export writes the file (and only the dump on stdout with -)", async () => {
    const toFile = await runScript("scripts/export.ts", ["--vectors", dumpFile], dirA);
    expect(toFile.stderr).toContain("[export] 1 explorations, 1 collections (2 documents, 2 chunks, with vectors)");
    expect(toFile.code).toBe(0);
    expect(fs.existsSync(`${dumpFile}.partial`)).toBe(false);
    const fromFile = parseDump(fs.readFileSync(dumpFile, "utf8"));

    const toStdout = await runScript("scripts/export.ts", ["--vectors", "-"], dirA);
    expect(toStdout.code).toBe(0);
    expect({ ...parseDump(toStdout.stdout), exportedAt: fromFile.exportedAt }).toEqual(fromFile);
  }, 120_000);

  it("import refuses a wrong-version file and writes nothing, not even a database", async () => {
    const badFile = path.join(workDir, "bad.json");
    fs.writeFileSync(badFile, JSON.stringify({ format: "embeddings-notebook/dump", version: 3 }));
    const { code, stderr } = await runScript("scripts/import.ts", [badFile], dirB);
    expect(code).toBe(1);
    expect(stderr).toContain("[import] failed: This dump has version 3; this app reads versions 1 and 2.");
    expect(fs.existsSync(dirB)).toBe(false);
  }, 120_000);

  it("import moves everything to another database, and skips it the second time", async () => {
    const first = await runScript("scripts/import.ts", [dumpFile], dirB);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("explorations 1 new, 0 replaced, 0 skipped; collections 1 new, 0 replaced, 0 skipped (2 documents, 2 chunks, 0 re-embedded)");

    const second = await runScript("scripts/import.ts", [dumpFile], dirB);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("explorations 0 new, 0 replaced, 1 skipped; collections 0 new, 0 replaced, 1 skipped");

    await withDatabase(dirB, async (db) => {
      expect(await readExploration(db, { slug: exploration.slug })).toEqual(exploration);
      const moved = (await searchCollection(db, { id: keys.id, key: keys.readKey, ...question })).results;
      expect(moved.map(({ text, score }) => ({ text, score }))).toEqual(results.map(({ text, score }) => ({ text, score })));
    });
  }, 120_000);
});
