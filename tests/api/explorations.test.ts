import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import type { Exploration } from "@/lib/explorations/schemas";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-explorations-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const project = await import("@/app/api/project/route");
const collection = await import("@/app/api/explorations/route");
const single = await import("@/app/api/explorations/[slug]/route");
const fork = await import("@/app/api/explorations/[slug]/fork/route");

type Created = { slug: string; editKey: string; url: string; editUrl: string; exploration: Exploration };
type ProjectReply = { model: string; method: string; note?: string; points: { text: string; x: number; y: number }[]; placed?: { text: string; x: number; y: number }[] };

const words = ["cat", "dog", "animal", "pet", "car", "truck", "banana"];
const items = words.map((text, i) => ({ text, group: i < 4 ? "animals" : i < 6 ? "vehicles" : undefined }));
const params = (slug: string) => ({ params: Promise.resolve({ slug }) });

async function create(body: unknown) {
  return readJson<Created & ErrorReply>(await collection.POST(jsonRequest("/api/explorations", body), {}));
}
async function read(slug: string) {
  return readJson<Exploration & ErrorReply>(await single.GET(new Request(`http://localhost/api/explorations/${slug}`), params(slug)));
}
async function patch(slug: string, body: unknown, key?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  return readJson<Exploration & ErrorReply>(
    await single.PATCH(jsonRequest(`/api/explorations/${slug}`, body, { method: "PATCH", headers }), params(slug)),
  );
}
async function remove(slug: string, key?: string) {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  return single.DELETE(new Request(`http://localhost/api/explorations/${slug}`, { method: "DELETE", headers }), params(slug));
}
async function projectTexts(body: unknown) {
  return readJson<ProjectReply & ErrorReply>(await project.POST(jsonRequest("/api/project", body), {}));
}

let db: Database;
beforeAll(async () => {
  db = await getDatabase();
});
afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe("POST /api/project", () => {
  it("UMAP puts cat nearer dog than truck, and answers the same again (seeded)", async () => {
    const first = await projectTexts({ texts: words, method: "umap" });
    expect(first.status).toBe(200);
    expect(first.body.method).toBe("umap");
    const at = (text: string) => first.body.points.find((point) => point.text === text)!;
    expect(distance(at("cat"), at("dog"))).toBeLessThan(distance(at("cat"), at("truck")));
    const second = await projectTexts({ texts: words, method: "umap" });
    expect(second.body.points).toEqual(first.body.points);
  });

  it("places new texts without moving the existing points", async () => {
    const base = await projectTexts({ texts: words, method: "umap" });
    const withPlaced = await projectTexts({ texts: words, method: "umap", place: ["kitten", "lorry"] });
    expect(withPlaced.body.points).toEqual(base.body.points);
    expect(withPlaced.body.placed!.map((point) => point.text)).toEqual(["kitten", "lorry"]);
    for (const point of withPlaced.body.placed!) expect(Number.isFinite(point.x) && Number.isFinite(point.y)).toBe(true);
  });

  it("PCA and semantic axes: car lies towards 'vehicle' on an animal → vehicle axis", async () => {
    const pca = await projectTexts({ texts: words, method: "pca" });
    expect(pca.body.method).toBe("pca");
    const axes = await projectTexts({ texts: words, method: "axes", params: { axes: { x: ["animal", "vehicle"] } } });
    expect(axes.status).toBe(200);
    const at = (text: string) => axes.body.points.find((point) => point.text === text)!;
    expect(at("car").x).toBeGreaterThan(at("cat").x);
  });

  it("falls back to PCA for fewer than four texts and says so", async () => {
    const { body } = await projectTexts({ texts: ["cat", "dog"], method: "umap" });
    expect(body.method).toBe("pca");
    expect(body.note).toBeTruthy();
  });

  it.each([
    [{ texts: words, method: "tsne" }, "bad_request:method"],
    [{ texts: words, method: "axes" }, "bad_request:params"],
    [{ texts: [], method: "pca" }, "bad_request:texts"],
    [{ texts: words, method: "umap", params: { nNeighbors: 1 } }, "bad_request:params"],
  ])("answers 400 for %j", async (body, code) => {
    const reply = await projectTexts(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
  });
});

describe("explorations", () => {
  it("POST saves title, model, items, groups and computed coordinates, and returns share and edit links", async () => {
    const { status, body } = await create({ title: "Animals and vehicles", items });
    expect(status).toBe(201);
    expect(body.slug).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(body.editKey.length).toBeGreaterThanOrEqual(32);
    expect(body.url).toBe(`http://localhost/s/${body.slug}`);
    expect(body.editUrl).toBe(`http://localhost/s/${body.slug}/edit#key=${body.editKey}`);
    const map = body.exploration.cells.find((cell) => cell.type === "map");
    expect(map?.type === "map" && map.layout?.points).toHaveLength(words.length);
    expect(body.exploration.items[0]).toEqual({ text: "cat", group: "animals" });
    expect(body.exploration.items[6]).toEqual({ text: "banana" });
  });

  it("GET returns the same exploration, coordinates included, and never the key or its hash", async () => {
    const created = await create({ title: "Read me", items });
    const { status, body } = await read(created.body.slug);
    expect(status).toBe(200);
    expect(body).toEqual(created.body.exploration);
    expect(JSON.stringify(body)).not.toContain(created.body.editKey);
    expect(JSON.stringify(body)).not.toMatch(/editKey|edit_key/);
  });

  it("keeps the tokenizers a tokens cell compares and the one a retrieve cell counts its prompt with", async () => {
    const cells = [
      { id: "t", type: "tokens", text: "人工智能的未来将", tokenizers: ["model", "o200k_base", "qwen3"] },
      { id: "r", type: "retrieve", collection: "example", question: "How do bees make honey?", k: 3, tokenizer: "qwen3" },
    ];
    const created = await create({ title: "Tokenizers", items, cells });
    expect(created.status).toBe(201);
    const { body } = await read(created.body.slug);
    expect(body.cells).toEqual([cells[0], cells[1]]);
    const bad = await create({ title: "Bad", items, cells: [{ ...cells[1], tokenizer: "no spaces allowed" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/tokenizer/);
  });

  it("stores the coordinates the client sent for a map (what the user saw), when they fit the items", async () => {
    const points = words.map((_, i) => [i, 2 * i + 0.5] as [number, number]);
    const { body } = await create({
      title: "Client layout",
      items,
      cells: [{ id: "m", type: "map", method: "umap", params: {}, layout: { method: "umap", points } }],
    });
    const map = body.exploration.cells[0];
    expect(map.type === "map" && map.layout?.points).toEqual(points);
  });

  it("PATCH without a key is 401, with a wrong key 403, and nothing changes", async () => {
    const { body: created } = await create({ title: "Guarded", items });
    const before = await read(created.slug);
    const missing = await patch(created.slug, { title: "Hacked" });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("unauthorized:exploration");
    const wrong = await patch(created.slug, { title: "Hacked" }, "not-the-key");
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("forbidden:exploration");
    expect((await read(created.slug)).body).toEqual(before.body);
  });

  it("PATCH with the key edits the title and items, recomputes the map for the new items and bumps the version", async () => {
    const { body: created } = await create({ title: "Editable", items });
    const newItems = [...items, { text: "bus", group: "vehicles" }];
    const { status, body } = await patch(created.slug, { title: "Edited", items: newItems, version: 1 }, created.editKey);
    expect(status).toBe(200);
    expect(body.title).toBe("Edited");
    expect(body.version).toBe(2);
    expect(body.items).toHaveLength(8);
    const map = body.cells.find((cell) => cell.type === "map");
    expect(map?.type === "map" && map.layout?.points).toHaveLength(8);
  });

  it("PATCH based on an old version is 409 and changes nothing", async () => {
    const { body: created } = await create({ title: "Versioned", items });
    await patch(created.slug, { title: "First edit", version: 1 }, created.editKey);
    const stale = await patch(created.slug, { title: "Lost update", version: 1 }, created.editKey);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("conflict:version");
    expect((await read(created.slug)).body.title).toBe("First edit");
  });

  it("links follow the Host the client used, or PUBLIC_URL when set, and a fork's links too", async () => {
    const viaHost = await readJson<Created>(
      await collection.POST(jsonRequest("/api/explorations", { title: "Linked", items }, { headers: { "content-type": "application/json", host: "127.0.0.1:3901" } }), {}),
    );
    expect(viaHost.body.url).toBe(`http://127.0.0.1:3901/s/${viaHost.body.slug}`);
    expect(viaHost.body.editUrl.startsWith(`http://127.0.0.1:3901/s/${viaHost.body.slug}/edit#key=`)).toBe(true);
    process.env.PUBLIC_URL = "https://notebook.example.org";
    try {
      const forked = await readJson<Created>(await fork.POST(new Request(`http://localhost/api/explorations/${viaHost.body.slug}/fork`, { method: "POST" }), params(viaHost.body.slug)));
      expect(forked.body.url).toBe(`https://notebook.example.org/s/${forked.body.slug}`);
    } finally {
      delete process.env.PUBLIC_URL;
    }
  });

  it("PATCH that changes nothing keeps the version and updatedAt, so a client holding that version is not refused", async () => {
    const { body: created } = await create({ title: "Unchanged", items });
    const before = (await read(created.slug)).body;
    for (const changes of [{}, { version: 1 }, { title: "Unchanged" }, { items, cells: before.cells }]) {
      const { status, body } = await patch(created.slug, changes, created.editKey);
      expect(status, JSON.stringify(changes)).toBe(200);
      expect(body.version).toBe(1);
      expect(body.updatedAt).toBe(before.updatedAt);
    }
    const other = await patch(created.slug, { title: "A real edit", version: 1 }, created.editKey);
    expect(other.status).toBe(200);
    expect(other.body.version).toBe(2);
    // Still checked: the key, and a stale version.
    expect((await patch(created.slug, {}, "wrong")).status).toBe(403);
    expect((await patch(created.slug, { version: 1 }, created.editKey)).status).toBe(409);
  });

  it("DELETE needs the key: 401 and 403 keep the exploration, the key deletes it (then 404)", async () => {
    const { body: created } = await create({ title: "Doomed", items });
    expect((await remove(created.slug)).status).toBe(401);
    expect((await remove(created.slug, "wrong")).status).toBe(403);
    expect((await read(created.slug)).status).toBe(200);
    expect((await remove(created.slug, created.editKey)).status).toBe(204);
    expect((await read(created.slug)).status).toBe(404);
    expect(await db.prisma.explorationItem.count({ where: { text: "cat", exploration: { slug: created.slug } } })).toBe(0);
  });

  it("fork makes an editable copy with a new slug and key, same coordinates, and the original's key can't edit it", async () => {
    const { body: original } = await create({ title: "Original", items });
    const reply = await readJson<Created>(await fork.POST(jsonRequest(`/api/explorations/${original.slug}/fork`, ""), params(original.slug)));
    expect(reply.status).toBe(201);
    const copy = reply.body;
    expect(copy.slug).not.toBe(original.slug);
    expect(copy.exploration.cells).toEqual(original.exploration.cells);
    expect(copy.exploration.forkedFrom).toBe(original.slug);
    expect((await patch(copy.slug, { title: "Mine" }, original.editKey)).status).toBe(403);
    expect((await patch(copy.slug, { title: "Mine" }, copy.editKey)).status).toBe(200);
  });

  it("answers 404 for an unknown or malformed slug", async () => {
    expect((await read("AAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await read("../../etc/passwd")).status).toBe(404);
  });

  it.each([
    [{ items }, "bad_request:title"],
    [{ title: "x", items: [] }, "bad_request:items"],
    [{ title: "x", items: [{ text: "cat" }, { text: "cat" }] }, "bad_request:items"],
    [{ title: "x", items, cells: [{ id: "a", type: "map", method: "umap" }, { id: "a", type: "heatmap" }] }, "bad_request:cells"],
    [{ title: "x", items, cells: [{ id: "a", type: "chart" }] }, "bad_request:cells"],
    [{ title: "x", items, model: "glove-100d", extra: 1 }, "bad_request:extra"],
  ])("POST answers 400 for %j and writes nothing", async (body, code) => {
    const before = await db.prisma.exploration.count();
    const reply = await create(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
    expect(await db.prisma.exploration.count()).toBe(before);
  });

  it("POST with glove-100d and an unknown word answers 400 naming it, and writes nothing", async () => {
    const before = await db.prisma.exploration.count();
    const reply = await create({ title: "x", model: "glove-100d", items: [{ text: "cat" }, { text: "qwzxv" }] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/qwzxv/);
    expect(await db.prisma.exploration.count()).toBe(before);
  });
});
