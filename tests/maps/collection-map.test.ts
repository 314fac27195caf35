import { describe, expect, it } from "vitest";
import { createCollection } from "@/lib/collections/store";
import { getCollection, mapCollection } from "@/lib/collections/service";
import { wordMapExample } from "@/lib/collections/word-map-example";
import { getCollectionByPublicId, type CollectionRow } from "@/lib/db/collection-queries";
import type { Database } from "@/lib/db/connection";
import { queueMapIfOutdated, queueMapJob } from "@/lib/jobs/maps/queue";
import { insertJob } from "@/lib/db/job-queries";
import { mapJob } from "@/lib/jobs/maps/kind";
import { relayoutMap } from "@/lib/jobs/maps/service";
import { JobRunner } from "@/lib/jobs/runner";
import type { JobKind } from "@/lib/jobs/types";
import { inlineMapRows } from "@/lib/maps/service";
import { mapStateOf } from "@/lib/maps/state";
import { appErrorOf } from "../support/app-errors";
import { addClusteredRows as addRows } from "../support/clustered-rows";
import { testBackends, useScratchDatabase } from "../support/databases";
import { resultsOf, runToEnd, waitForJob } from "../jobs/helpers";

/**
 * A collection's stored map on each backend: laid out by a map job from the stored vectors,
 * new rows placed among the mapped ones (which stay put), re-laid out on demand, small
 * collections mapped when read, rows without a vector off the map, and points gone with their rows.
 */

async function points(db: Database, row: CollectionRow): Promise<{ n: number; c: number; x: number; y: number }[]> {
  const rows = await db.prisma.$queryRaw<{ n: number; c: number; x: number; y: number }[]>`
    SELECT (c."metadata"->>'n')::int AS "n", (c."metadata"->>'c')::int AS "c", p."x", p."y"
    FROM "collection_points" p JOIN "collection_chunks" c ON c."id" = p."chunk_id"
    WHERE p."collection_id" = ${row.id} ORDER BY 1`;
  return rows;
}

/** Share of sampled points whose nearest other point on the map is in their cluster. */
function purity(mapped: { c: number; x: number; y: number }[], sample = 300): number {
  let same = 0;
  for (let s = 0; s < sample; s++) {
    const a = mapped[Math.floor((s * mapped.length) / sample)];
    let best = mapped[0] === a ? mapped[1] : mapped[0];
    for (const b of mapped) {
      if (b !== a && (a.x - b.x) ** 2 + (a.y - b.y) ** 2 < (a.x - best.x) ** 2 + (a.y - best.y) ** 2) best = b;
    }
    if (best.c === a.c) same++;
  }
  return same / sample;
}

describe.each(testBackends)("collection maps on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  async function collection(name: string): Promise<CollectionRow & { writeKey: string; readKey: string }> {
    const { collection: created, writeKey, readKey } = await createCollection(db, { name, model: `own:${name}`, public: false });
    return { ...(await getCollectionByPublicId(db, { publicId: created.id }))!, writeKey, readKey };
  }

  it.skipIf(!backend.enabled)("a map job lays every row with a vector out, then places new rows without moving the others; a re-layout starts again", async () => {
    const row = await collection("clusters");
    await addRows(db, row, 1, 2_500);
    const withVectors = 2_500 - Math.floor(2_500 / 97);
    expect(withVectors).toBeGreaterThan(inlineMapRows);
    expect(await mapStateOf(db, { collectionId: row.id })).toMatchObject({ state: "outdated", rows: withVectors, points: 0, method: null });

    expect(await queueMapIfOutdated(db, row.id)).toBe(true);
    const queued = await queueMapJob(db, { collectionId: row.id, relayout: false });
    const first = await runToEnd(db, row, queued.publicId);
    expect(first).toMatchObject({ state: "done", unitsDone: withVectors, unitsTotal: withVectors });
    expect(await resultsOf(db, first)).toEqual([expect.objectContaining({ status: "done", action: "layout", rows: withVectors, positioned: withVectors })]);
    expect(await mapStateOf(db, { collectionId: row.id })).toMatchObject({ state: "ready", rows: withVectors, points: withVectors, method: "umap", seed: 42, laidOut: withVectors, placedSince: 0, job: null });
    const before = await points(db, row);
    expect(before.some((point) => point.n % 97 === 0)).toBe(false);
    expect(purity(before)).toBeGreaterThan(0.95);
    expect(await queueMapIfOutdated(db, row.id)).toBe(false);

    // A job that adds rows (as uploads and imports do) is followed by the map's update.
    const adding: JobKind = {
      kind: "adding",
      names: { items: "batches", units: "rows" },
      async run(job) {
        const [item] = await job.pendingItems({ afterPosition: -1, limit: 1 });
        await addRows(db, row, 2_501, 2_800);
        await job.complete(item.position, { status: "done" }, 300);
      },
      followUp: queueMapIfOutdated,
    };
    const added = await insertJob(db, { publicId: "adding-rows-0001", kind: "adding", collectionId: row.id, params: {}, items: [{ label: null, input: {} }] });
    const runner = new JobRunner(db, { owner: "test", pollMs: 50, kinds: { adding, [mapJob.kind]: mapJob } });
    await runner.start();
    try {
      await waitForJob(db, row, added.publicId);
      await expect.poll(async () => (await mapStateOf(db, { collectionId: row.id })).state, { timeout: 120_000, interval: 100 }).toBe("ready");
    } finally {
      await runner.stop();
    }
    const [second] = await db.prisma.job.findMany({ where: { collectionId: row.id, kind: "map" }, orderBy: { id: "desc" }, take: 1 });
    expect(await resultsOf(db, second)).toEqual([expect.objectContaining({ action: "place", positioned: 300 - 3 })]);
    const after = await points(db, row);
    const moved = after.filter((point) => point.n <= 2_500 && before.find((old) => old.n === point.n)!.x !== point.x);
    expect(moved).toEqual([]);
    expect(purity(after.filter((point) => point.n > 2_500).concat(before).sort((a, b) => a.n - b.n))).toBeGreaterThan(0.95);
    expect(await mapStateOf(db, { collectionId: row.id })).toMatchObject({ state: "ready", laidOut: withVectors, placedSince: 297 });

    // A deleted document's point goes with it.
    await db.prisma.collectionDocument.deleteMany({ where: { collectionId: row.id, publicId: "row0000000000001" } });
    expect((await points(db, row)).find((point) => point.n === 1)).toBeUndefined();

    // Laying out again needs the write key, and starts over from every row.
    expect(await appErrorOf(relayoutMap(db, { id: row.publicId, key: row.readKey }))).toMatchObject({ status: 403 });
    const relayout = await relayoutMap(db, { id: row.publicId, key: row.writeKey });
    expect(relayout).toMatchObject({ kind: "map", state: "queued" });
    expect((await relayoutMap(db, { id: row.publicId, key: row.writeKey })).id).toBe(relayout.id);
    expect(await mapStateOf(db, { collectionId: row.id })).toMatchObject({ state: "updating", job: { id: relayout.id, state: "queued" } });
    await runToEnd(db, row, relayout.id);
    expect(await mapStateOf(db, { collectionId: row.id })).toMatchObject({ state: "ready", laidOut: withVectors + 297 - 1, placedSince: 0 });
  }, 240_000);

  it.skipIf(!backend.enabled)("a small collection is mapped when its map is read, without a job", async () => {
    const row = await collection("small");
    await addRows(db, row, 1, 120);
    const map = await mapCollection(db, { id: row.publicId, key: row.readKey });
    expect(map.map).toMatchObject({ state: "ready", rows: 119, points: 119, method: "umap" });
    expect(map.chunks).toHaveLength(119);
    expect(map.chunks.every((chunk) => Number.isFinite(chunk.x) && Number.isFinite(chunk.y))).toBe(true);
    expect(await db.prisma.job.count({ where: { collectionId: row.id } })).toBe(0);
    // Read again: the same points (stored, not laid out again).
    expect((await mapCollection(db, { id: row.publicId, key: row.readKey })).chunks).toEqual(map.chunks);
    // A question in words has no place in a space of own vectors.
    expect(await appErrorOf(mapCollection(db, { id: row.publicId, key: row.readKey, question: "cats" }))).toMatchObject({ status: 400 });
  });

  it.skipIf(!backend.enabled)("the word map example is made on first open from the GloVe words the app ships, and mapped by its job", async () => {
    const words = wordMapExample.words;
    wordMapExample.words = 2_600; // the real 50,000 take ~10 s to store and ~20 s to map: a benchmark's size, not a test's
    try {
      const opened = await getCollection(db, { id: wordMapExample.id, key: null });
      expect(opened).toMatchObject({ id: wordMapExample.id, model: "glove-100d", public: true, documents: 2_600, access: "public" });
      expect(opened.map).toMatchObject({ state: "updating", rows: 2_600, points: 0, job: { state: "queued" } });
      const row = (await getCollectionByPublicId(db, { publicId: wordMapExample.id }))!;
      await runToEnd(db, row, opened.map.job!.id);
      const map = await mapCollection(db, { id: wordMapExample.id, key: null, question: "king" });
      expect(map.map).toMatchObject({ state: "ready", points: 2_600, method: "umap" });
      // "king" is one of the words: the question lands near its row (among its nearest words).
      const king = map.chunks.find((chunk) => chunk.text === "king")!;
      expect(king).toBeDefined();
      expect(Math.hypot(map.question!.x - king.x, map.question!.y - king.y)).toBeLessThan(1);
      expect((await getCollection(db, { id: wordMapExample.id, key: null })).documents).toBe(2_600); // opened again: nothing added
    } finally {
      wordMapExample.words = words;
    }
  }, 240_000);
});
