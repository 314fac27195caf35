import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites } from "@/lib/db/queries";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

// The route handlers use the process-wide database: point it at a fresh PGlite directory first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-unreadable-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const routes = {
  models: await import("@/app/api/models/route"),
  embed: await import("@/app/api/embed/route"),
  similarity: await import("@/app/api/similarity/route"),
  search: await import("@/app/api/search/route"),
  project: await import("@/app/api/project/route"),
  explorations: await import("@/app/api/explorations/route"),
};

type Warning = { code: string; text: string; unknown: string[]; message: string };
type Reply = ErrorReply & { warnings?: Warning[]; matrix?: number[][] };

async function post(route: keyof Omit<typeof routes, "models">, body: unknown) {
  return readJson<Reply>(await routes[route].POST(jsonRequest(`/api/${route}`, body), {}));
}

const essayWords = ["猫", "动物", "宠物", "汽车", "卡车", "香蕉"];
let db: Database;
const storedRows = async () => (await flushEmbeddingWrites(db), db.prisma.embedding.count());

beforeAll(async () => {
  db = await getDatabase();
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a text use-lite cannot read", () => {
  it.each([
    ["similarity", { texts: essayWords }],
    ["embed", { texts: ["cat", ...essayWords] }],
    ["project", { texts: [...essayWords, "cat"], method: "pca" }],
    ["search", { query: "猫" }],
    ["explorations", { title: "猫", items: essayWords.map((text) => ({ text })) }],
  ] as const)("POST /api/%s answers 400 unreadable:texts naming it and a model that reads it, and stores nothing", async (route, body) => {
    const before = await storedRows();
    const { status, body: reply } = await post(route, body);
    expect(status).toBe(400);
    expect(reply.error.code).toBe("unreadable:texts");
    expect(reply.error.message).toMatch(/^use-lite cannot read "猫"/);
    expect(reply.error.details).toMatchObject({ model: "use-lite", texts: expect.arrayContaining(["猫"]) });
    expect(reply.error.details!.readableBy).toContain("cedict-glove-100d");
    expect(await storedRows()).toBe(before);
  });

  it("comes with warnings naming the unknown pieces when the rest of the text is readable", async () => {
    for (const route of ["embed", "similarity"] as const) {
      const { status, body } = await post(route, { texts: ["my cat 猫", "dog"] });
      expect(status).toBe(200);
      expect(body.warnings).toEqual([expect.objectContaining({ code: "unknown_pieces", text: "my cat 猫", unknown: ["猫"] })]);
    }
    const project = await post("project", { texts: ["my cat 猫", "dog", "car"], method: "pca" });
    expect(project.body.warnings?.map(({ text }) => text)).toEqual(["my cat 猫"]);
    const search = await post("search", { query: "my cat 猫" });
    expect(search.body.warnings?.map(({ text }) => text)).toEqual(["my cat 猫"]);
    const saved = await post("explorations", { title: "mixed", items: [{ text: "my cat 猫" }, { text: "dog" }] });
    expect(saved.status).toBe(201);
    expect(saved.body.warnings?.map(({ text }) => text)).toEqual(["my cat 猫"]);
  });

  it("warns when a text is longer than use-lite reads, saying how much of it the vector stands for", async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} follows the canal boats as they wait at the lock for the water to rise.`).join(" ");
    const { status, body } = await post("embed", { texts: [long, "dog"] });
    expect(status).toBe(200);
    expect(body.warnings).toEqual([expect.objectContaining({ code: "truncated", text: long, maxTokens: 128 })]);
    const [warning] = body.warnings as unknown as { tokens: number; readCharacters: number; message: string }[];
    expect(warning.tokens).toBeGreaterThan(128);
    expect(warning.readCharacters).toBeGreaterThan(300);
    expect(warning.readCharacters).toBeLessThan(long.length);
    // The vector is that of the text's beginning: the characters the warning names.
    const whole = await post("similarity", { texts: [long, long.slice(0, warning.readCharacters + 1)] });
    expect(whole.body.matrix![0][1]).toBeGreaterThan(0.9999);
    expect(warning.message).toMatch(/^use-lite reads the first 128 tokens of a text, and ".+" has \d+: its vector stands for about its first \d+ of \d+ characters/);
  });

  it("leaves replies without a warnings field when every piece is known", async () => {
    const { body } = await post("similarity", { texts: ["cat", "dog"] });
    expect(body).not.toHaveProperty("warnings");
  });
});

describe("GET /api/models", () => {
  it("says which scripts and languages each model reads", async () => {
    const { body } = await readJson<{ models: { id: string; reads: unknown }[] }>(await routes.models.GET(new Request("http://localhost/api/models"), {}));
    const reads = Object.fromEntries(body.models.map(({ id, reads }) => [id, reads]));
    expect(reads["use-lite"]).toMatchObject({ scripts: ["Latin"], languages: ["en"] });
    expect(reads["cedict-glove-100d"]).toMatchObject({ scripts: expect.arrayContaining(["Han", "Latin"]), languages: expect.arrayContaining(["zh", "en"]) });
    expect(reads["hf:sentence-transformers/all-MiniLM-L6-v2"]).toBeNull();
  });
});
