import { describe, expect, it } from "vitest";
import { createBatcher, type BatcherOptions } from "@/lib/embeddings/batcher";

/** A batcher whose runs wait until the test finishes them: `runs` lists what each run was given, in start order. */
function controlledBatcher(options: BatcherOptions) {
  const runs: { texts: string[]; finish(): void; fail(error: Error): void }[] = [];
  const embed = createBatcher(
    (texts) =>
      new Promise((resolve, reject) => {
        runs.push({ texts, finish: () => resolve(texts.map((text) => [text.length, text.charCodeAt(0)])), fail: reject });
      }),
    options,
  );
  return { embed, runs };
}

/** Lets the batcher start what it may (it waits one macrotask before a first run). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Resolves to the order in which the given promises settled, by name. */
function completionOrder(calls: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  return Promise.all(Object.entries(calls).map(([name, call]) => call.finally(() => order.push(name)))).then(() => order);
}

describe("createBatcher(run, { groupByLength })", () => {
  it("cuts a big call into runs of similar length, longest first, and answers in input order", async () => {
    const texts = ["a", "bbbbbbbb", "cc", "dddddd", "e", "ffff", "ggggggg", "hhh"];
    const runs: string[][] = [];
    const embed = createBatcher(async (batch) => (runs.push(batch), batch.map((text) => [text.length])), { maxBatchSize: 3 });
    const vectors = await embed(texts);
    expect(runs).toEqual([["bbbbbbbb", "ggggggg", "dddddd"], ["ffff", "hhh", "cc"], ["a", "e"]]);
    expect(vectors).toEqual(texts.map((text) => [text.length]));
  });

  it("keeps input order in its runs with groupByLength: false", async () => {
    const runs: string[][] = [];
    const embed = createBatcher(async (batch) => (runs.push(batch), batch.map(() => [0])), { maxBatchSize: 2, groupByLength: false });
    await embed(["a", "bbb", "cc"]);
    expect(runs).toEqual([["a", "bbb"], ["cc"]]);
  });

  it("ends a run before maxBatchCharacters, but always takes one text", async () => {
    const runs: string[][] = [];
    const embed = createBatcher(async (batch) => (runs.push(batch), batch.map(() => [0])), { maxBatchCharacters: 10 });
    await embed(["x".repeat(12), "y".repeat(6), "z".repeat(4), "w".repeat(3)]);
    expect(runs.map((run) => run.map((text) => text.length))).toEqual([[12], [6, 4], [3]]);
  });
});

describe("createBatcher(run, { concurrency, bigCallRuns })", () => {
  it("starts a small call before the rest of a big call that came first", async () => {
    const { embed, runs } = controlledBatcher({ maxBatchSize: 2 });
    const big = embed(["b1", "b2", "b3", "b4", "b5", "b6"]);
    await settle();
    expect(runs).toHaveLength(1); // one run at a time, the big call's first
    const small = embed(["typed"]);
    const order = completionOrder({ big, small });
    runs[0].finish();
    await settle();
    expect(runs[1].texts).toEqual(["typed"]);
    for (let i = 1; i < 4; i++) {
      runs[i].finish();
      await settle();
    }
    expect(await order).toEqual(["small", "big"]);
    expect(runs.map((run) => run.texts.length)).toEqual([2, 1, 2, 2]);
  });

  it("merges the small calls waiting behind a run into one run", async () => {
    const { embed, runs } = controlledBatcher({ maxBatchSize: 4 });
    const first = embed(["a", "b", "c", "d", "e"]);
    await settle();
    const small = [embed(["x"]), embed(["y", "z"])];
    await settle();
    runs[0].finish();
    await settle();
    expect(runs[1].texts).toEqual(["x", "y", "z"]);
    runs[1].finish();
    await settle();
    runs[2].finish();
    await expect(Promise.all([first, ...small])).resolves.toHaveLength(3);
  });

  it("runs up to `concurrency` slices of a big call at once", async () => {
    const { embed, runs } = controlledBatcher({ maxBatchSize: 1, concurrency: 2 });
    const call = embed(["a", "b", "c"]);
    await settle();
    expect(runs).toHaveLength(2);
    runs[0].finish();
    await settle();
    expect(runs).toHaveLength(3);
    runs[1].finish();
    runs[2].finish();
    await expect(call).resolves.toEqual([[1, 97], [1, 98], [1, 99]]);
  });

  it("runs one slice of a big call at a time while bigCallRuns says 1, and a small call on the free slot", async () => {
    let allowed = 1;
    const { embed, runs } = controlledBatcher({ maxBatchSize: 1, concurrency: 2, bigCallRuns: () => allowed });
    const big = embed(["a", "b", "c"]);
    await settle();
    expect(runs).toHaveLength(1);
    const small = embed(["typed"]);
    await settle();
    expect(runs.map((run) => run.texts)).toEqual([["a"], ["typed"]]);
    runs[1].finish();
    await expect(small).resolves.toEqual([[5, 116]]);
    allowed = 2;
    runs[0].finish();
    await settle();
    expect(runs).toHaveLength(4); // both slots for the big call again
    runs[2].finish();
    runs[3].finish();
    await expect(big).resolves.toHaveLength(3);
  });

  it("rejects a big call whose run failed and runs none of its other texts; later calls still work", async () => {
    const { embed, runs } = controlledBatcher({ maxBatchSize: 1 });
    const big = embed(["a", "b", "c"]);
    await settle();
    runs[0].fail(new Error("model failed"));
    await expect(big).rejects.toThrow("model failed");
    const later = embed(["d"]);
    await settle();
    expect(runs.map((run) => run.texts)).toEqual([["a"], ["d"]]);
    runs[1].finish();
    await expect(later).resolves.toEqual([[1, 100]]);
  });

  it("answers an empty call at once with no run", async () => {
    const { embed, runs } = controlledBatcher({});
    await expect(embed([])).resolves.toEqual([]);
    expect(runs).toHaveLength(0);
  });
});
