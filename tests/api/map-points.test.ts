import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePoints } from "@/lib/maps/points-format";
import { addClusteredRows } from "../support/clustered-rows";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

/**
 * The map's routes as the page uses them, on the embedded database: GET …/points (binary columns,
 * coloured by a metadata key), GET …/points/:index for one point's chunk, checked against the
 * points' version, and GET /api/collections/:id with the map's state.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-map-points-"));
process.env.PGLITE_DIR = path.join(dataDir, "pglite");
delete process.env.DATABASE_URL;
process.env.RATE_LIMIT_WRITE_PER_MINUTE = "0";

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { getCollectionByPublicId } = await import("@/lib/db/collection-queries");
const create = await import("@/app/api/collections/route");
const one = await import("@/app/api/collections/[id]/route");
const points = await import("@/app/api/collections/[id]/points/route");
const point = await import("@/app/api/collections/[id]/points/[index]/route");
const map = await import("@/app/api/collections/[id]/map/route");

const context = <Params extends Record<string, string>>(params: Params) => ({ params: Promise.resolve(params) });
const get = (url: string, key?: string) => new Request(`http://localhost${url}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

/** The binary body as the page reads it. */
async function readPoints(response: Response) {
  const buffer = await response.arrayBuffer();
  return { ...decodePoints(buffer), bytes: buffer.byteLength };
}

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("map points", () => {
  let id: string;
  let readKey: string;
  beforeAll(async () => {
    const created = (await readJson<{ id: string; readKey: string } & ErrorReply>(await create.POST(jsonRequest("/api/collections", { name: "Points", model: "own:points" }), {}))).body;
    ({ id, readKey } = created);
    const db = await getDatabase();
    await addClusteredRows(db, (await getCollectionByPublicId(db, { publicId: id }))!, 1, 400);
  });

  it("sends every point as float32 columns, mapping a small collection first, and says so in GET /api/collections/:id", async () => {
    expect((await readJson<{ map: { state: string } }>(await one.GET(get(`/api/collections/${id}`, readKey), context({ id })))).body.map).toMatchObject({ state: "outdated", rows: 396, points: 0 });
    expect((await points.GET(get(`/api/collections/${id}/points`), context({ id }))).status).toBe(401);

    const response = await points.GET(get(`/api/collections/${id}/points`, readKey), context({ id }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    const read = await readPoints(response);
    expect(read.header).toMatchObject({ count: 396, version: response.headers.get("x-points-version") });
    expect(response.headers.get("x-points-count")).toBe("396");
    expect(read.x.every(Number.isFinite) && read.y.every(Number.isFinite)).toBe(true);
    expect(read.bytes).toBeLessThan(396 * 8 + 400);
    expect((await readJson<{ map: unknown }>(await one.GET(get(`/api/collections/${id}`, readKey), context({ id })))).body.map).toMatchObject({ state: "ready", rows: 396, points: 396, method: "umap" });

    // The same positions as the JSON map, point by point.
    const json = (await readJson<{ chunks: { chunkId: string; x: number; y: number }[] }>(await map.POST(jsonRequest(`/api/collections/${id}/map`, {}, { headers: { authorization: `Bearer ${readKey}` } }), context({ id })))).body;
    const detail = (await readJson<{ chunkId: string; x: number; y: number; metadata: { n: number }; index: number }>(await point.GET(get(`/api/collections/${id}/points/5?version=${read.header.version}`, readKey), context({ id, index: "5" })))).body;
    // JSON carries a real as its shortest decimal, which reads back as the same float32.
    expect(detail).toMatchObject({ index: 5, metadata: { n: 6 } });
    expect([Math.fround(detail.x), Math.fround(detail.y)]).toEqual([read.x[5], read.y[5]]);
    const same = json.chunks.find((chunk) => chunk.chunkId === detail.chunkId)!;
    expect([Math.fround(same.x), Math.fround(same.y)]).toEqual([read.x[5], read.y[5]]);
  });

  it("colours by a metadata key: categories most common first, numbers as values", async () => {
    const byKind = await readPoints(await points.GET(get(`/api/collections/${id}/points?color=kind`, readKey), context({ id })));
    const column = byKind.header.columns.find((each) => each.name === "category")!;
    expect(column.categories!.map((category) => category.value).sort()).toEqual(["k0", "k1", "k2"]);
    expect(column.categories!.reduce((sum, category) => sum + category.count, 0)).toBe(396);
    const index = new Map(column.categories!.map((category, i) => [category.value, i]));
    const detail = (await readJson<{ metadata: { kind: string } }>(await point.GET(get(`/api/collections/${id}/points/7`, readKey), context({ id, index: "7" })))).body;
    expect(byKind.category![7]).toBe(index.get(detail.metadata.kind));

    const byNumber = await readPoints(await points.GET(get(`/api/collections/${id}/points?color=n`, readKey), context({ id })));
    expect(byNumber.value![0]).toBe(1);
    expect(byNumber.category).toBeUndefined();
    const missing = await readPoints(await points.GET(get(`/api/collections/${id}/points?color=nothing`, readKey), context({ id })));
    expect(Array.from(missing.value!).every(Number.isNaN)).toBe(true);
  });

  it("refuses an index from older points (409), one past the end (404) and one that is not a number (400)", async () => {
    const stale = await point.GET(get(`/api/collections/${id}/points/1?version=0000000000000000`, readKey), context({ id, index: "1" }));
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorReply).error.message).toContain("read the points again");
    expect((await point.GET(get(`/api/collections/${id}/points/396`, readKey), context({ id, index: "396" }))).status).toBe(404);
    const bad = await point.GET(get(`/api/collections/${id}/points/-1`, readKey), context({ id, index: "-1" }));
    expect(bad.status).toBe(400);
    expect((await points.GET(get(`/api/collections/${id}/points?color=`, readKey), context({ id }))).status).toBe(400);
  });
});
