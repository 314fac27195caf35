import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AutoTokenizer } from "@huggingface/transformers";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createLocalModel, type LocalModelOptions } from "@/lib/embeddings/local/model";
import { ModelWorker } from "@/lib/embeddings/model-worker";
import { cosine } from "@/lib/vectors";
import { appErrorOf } from "../../support/app-errors";
import { tinyModelDims, tinyModelMaxLength, tinyModelVectors, writeTinyModel, type TinyModelOptions } from "@/scripts/make-tiny-onnx-model";
import { writeSlowTinyModel } from "./slow-model";

// The tiny model from scripts/make-tiny-onnx-model.ts, on disk: no hub, no downloads.
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-models-"));
afterAll(() => fs.rmSync(modelsDir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let repoCount = 0;
/** A fresh repo id with the tiny model written under it. */
function tinyRepo(options: TinyModelOptions = {}): string {
  const repoId = `test/tiny-${++repoCount}`;
  writeTinyModel(path.join(modelsDir, repoId), options);
  return repoId;
}

function modelFor(repoId: string, options: Partial<LocalModelOptions> = {}) {
  return createLocalModel(repoId, { modelsDir, downloads: false, hubUrl: "http://127.0.0.1:9", threads: 1, ...options });
}

const rows = new Map(tinyModelVectors.map(([token, vector]) => [token, vector]));
/** What the tiny model answers for these tokens with mean pooling: their average, at unit length. */
function expectedMean(tokens: string[]): number[] {
  const sum = new Array<number>(tinyModelDims).fill(0);
  for (const token of tokens) rows.get(token)!.forEach((value, d) => (sum[d] += value / tokens.length));
  const length = Math.hypot(...sum);
  return sum.map((value) => value / length);
}

/** How many ONNX sessions were asked to load, through a spy on `ModelWorker.prototype.request`. */
function sessionLoads(requests: { mock: { calls: unknown[][] } }): number {
  return requests.mock.calls.filter(([message]) => (message as { load?: boolean }).load).length;
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, d) => expect(value).toBeCloseTo(expected[d], 5));
}


describe("createLocalModel(repoId, options).embed(texts)", () => {
  it("mean-pools the token vectors over the attention mask, [CLS] and [SEP] included", async () => {
    const [cat, kittens] = await modelFor(tinyRepo()).embed(["cat", "The kitten"]);
    expectClose(cat, expectedMean(["[CLS]", "cat", "[SEP]"]));
    expectClose(kittens, expectedMean(["[CLS]", "the", "kitten", "[SEP]"]));
  });

  it("puts cat near kitten and far from truck", async () => {
    const [cat, kitten, truck] = await modelFor(tinyRepo()).embed(["cat", "kitten", "truck"]);
    expect(cosine(cat, kitten)).toBeGreaterThan(0.95);
    expect(cosine(cat, truck)).toBeLessThan(0.2);
  });

  it("gives a text the same vector alone and padded beside a longer text", async () => {
    const model = modelFor(tinyRepo());
    const [alone] = await model.embed(["cat"]);
    const [padded] = await model.embed(["cat", "the big big big kitten and a truck"]);
    expect(padded).toEqual(alone);
  });

  it("answers in input order when there are more texts than one batch holds", async () => {
    const model = modelFor(tinyRepo(), { batchSize: 3 });
    const texts = ["cat", "a truck", "the big kitten", "dog", "banana", "car", "a cat", "the dog", "big truck", "kitten"];
    const together = await model.embed(texts);
    const oneByOne = await Promise.all(texts.map(async (text) => (await modelFor(tinyRepo()).embed([text]))[0]));
    together.forEach((vector, i) => expectClose(vector, oneByOne[i]));
  });

  it("returns unit vectors unless the model's modules say otherwise", async () => {
    const repoId = tinyRepo();
    fs.writeFileSync(path.join(modelsDir, repoId, "modules.json"), JSON.stringify([{ type: "sentence_transformers.models.Transformer" }]));
    const [raw] = await modelFor(repoId).embed(["cat"]);
    const [unit] = await modelFor(tinyRepo()).embed(["cat"]);
    expect(Math.hypot(...unit)).toBeCloseTo(1, 6);
    expect(Math.hypot(...raw)).not.toBeCloseTo(1, 2);
    expectClose(raw.map((value) => value / Math.hypot(...raw)), unit);
  });

  it("takes the first token's vector when 1_Pooling/config.json asks for CLS pooling", async () => {
    const [cat, truck] = await modelFor(tinyRepo({ pooling: "cls" })).embed(["cat", "truck"]);
    expectClose(cat, expectedMean(["[CLS]"]));
    expect(truck).toEqual(cat);
  });

  it(`cuts a long text to the tokenizer's ${tinyModelMaxLength} tokens`, async () => {
    const model = modelFor(tinyRepo());
    const words = Array.from({ length: 40 }, (_, i) => (i < 10 ? "cat" : "truck"));
    const [long] = await model.embed([words.join(" ")]);
    const [longer] = await model.embed([[...words, ...words].join(" ")]);
    expect(longer).toEqual(long);
    expectClose(long, expectedMean(["[CLS]", ...words.slice(0, tinyModelMaxLength - 1)]));
  });

  it("loads the tokenizer and the ONNX session once for concurrent first calls", async () => {
    const tokenizerLoads = vi.spyOn(AutoTokenizer, "from_pretrained");
    const requests = vi.spyOn(ModelWorker.prototype, "request");
    const model = modelFor(tinyRepo());
    await Promise.all([model.embed(["cat"]), model.embed(["dog"]), model.read!(["truck"])]);
    await model.embed(["car"]);
    expect(tokenizerLoads).toHaveBeenCalledTimes(1);
    expect(sessionLoads(requests)).toBe(1);
  });

  it("loads onnx/model_quantized.onnx when that is the file there", async () => {
    const [cat] = await modelFor(tinyRepo({ onnxFile: "model_quantized.onnx" })).embed(["cat"]);
    expectClose(cat, expectedMean(["[CLS]", "cat", "[SEP]"]));
  });
});

describe("createLocalModel(repoId, options).info()", () => {
  it("describes a model found on disk: local, available, ready, its dims from config.json", () => {
    const repoId = tinyRepo();
    expect(modelFor(repoId).info()).toMatchObject({
      id: `local:${repoId}`,
      dims: tinyModelDims,
      kind: "sentence",
      local: true,
      available: true,
      reads: null,
      download: { state: "ready" },
    });
  });

  it("learns the dimension from the first answer when config.json does not say it", async () => {
    const repoId = tinyRepo();
    fs.writeFileSync(path.join(modelsDir, repoId, "config.json"), JSON.stringify({ model_type: "bert" }));
    const model = modelFor(repoId);
    expect(model.info().dims).toBeNull();
    await model.embed(["cat"]);
    expect(model.info().dims).toBe(tinyModelDims);
  });

  it("describes a known model from the table: languages, dims, not available offline", () => {
    const info = modelFor("Xenova/multilingual-e5-small").info();
    expect(info).toMatchObject({ dims: 384, available: false, download: { state: "absent" } });
    expect(info.reads?.languages).toContain("zh");
    expect(info.description).toMatch(/multilingual-e5-small.*Runs locally/);
  });

  it("is available when the files are missing but downloads are allowed", () => {
    expect(modelFor("test/not-here", { downloads: true }).info()).toMatchObject({ available: true, download: { state: "absent" } });
  });
});

describe("createLocalModel(repoId, options).read(texts)", () => {
  it("lists the pieces the tokenizer does not know, and calls a text of only such pieces unreadable", async () => {
    const readings = await modelFor(tinyRepo()).read!(["the cat 🦄 and the kitten", "🦄 zebra", "cats!"]);
    expect(readings).toEqual([
      { readable: true, unknown: ["🦄", "and"] },
      { readable: false, unknown: ["🦄", "zebra"] },
      { readable: true, unknown: ["!"] },
    ]);
  });

  it("needs only the tokenizer: no ONNX session starts", async () => {
    const requests = vi.spyOn(ModelWorker.prototype, "request");
    expect(await modelFor(tinyRepo()).read!(["cat"])).toEqual([{ readable: true, unknown: [] }]);
    expect(requests).not.toHaveBeenCalled();
  });

  it("reads while the ONNX file is missing or corrupt, and embed then names the ONNX file", async () => {
    const missing = tinyRepo();
    fs.rmSync(path.join(modelsDir, missing, "onnx"), { recursive: true });
    const corrupt = tinyRepo({ variant: "corrupt" });
    for (const [repoId, problem] of [
      [missing, `onnx/model.onnx (or model_quantized.onnx) is missing in ${path.join(modelsDir, missing)}`],
      [corrupt, `${path.join(modelsDir, corrupt, "onnx/model.onnx")} does not load as an ONNX model`],
    ]) {
      const model = modelFor(repoId);
      expect(await model.read!(["cat", "zebra"])).toEqual([
        { readable: true, unknown: [] },
        { readable: false, unknown: ["zebra"] },
      ]);
      const error = await appErrorOf(model.embed(["cat"]));
      expect(error.code).toBe("unavailable:model");
      expect(error.message).toContain(problem);
    }
  });

  it("says which tokenizer file is missing, and where", async () => {
    const repoId = tinyRepo();
    fs.rmSync(path.join(modelsDir, repoId, "tokenizer_config.json"));
    const error = await appErrorOf(modelFor(repoId).read!(["cat"]));
    expect(error.code).toBe("unavailable:model");
    expect(error.message).toContain(`tokenizer_config.json is missing in ${path.join(modelsDir, repoId)}`);
  });
});

describe("createLocalModel(repoId, options) in its worker thread", () => {
  const crashOnDemand = "tests/embeddings/local/crash-on-demand.worker.mjs";

  it("leaves this thread free while a batch runs: the event loop keeps turning", async () => {
    const repoId = `test/slow-${++repoCount}`;
    writeSlowTinyModel(path.join(modelsDir, repoId));
    const model = modelFor(repoId);
    await model.embed(["cat"]); // loaded: what follows counts only the runs
    const texts = Array.from({ length: 64 }, (_, i) => ["cat", "the big kitten", "a truck", "banana"][i % 4]);
    let turns = 0;
    let pending = true;
    const turn = () => {
      turns++;
      if (pending) setImmediate(turn);
    };
    setImmediate(turn);
    const vectors = await model.embed(texts);
    pending = false;
    expect(vectors[0]).toEqual((await modelFor(tinyRepo()).embed(["cat"]))[0]); // the slow graph's extra work adds zero
    // Two batches of 32. Run on this thread, each batch stalled the loop: it turned 3 times in all
    // (the batcher's and ONNX Runtime's setImmediate on the way in); in the worker it turns all along.
    expect(turns).toBeGreaterThan(100);
  });

  it("reports a thread that crashed during a batch, naming the ONNX file, and loads the model again on the next call", async () => {
    const requests = vi.spyOn(ModelWorker.prototype, "request");
    const repoId = tinyRepo();
    const model = modelFor(repoId, { workerFile: crashOnDemand });
    const [cat] = await model.embed(["cat"]);
    fs.writeFileSync(path.join(modelsDir, repoId, "crash-on-run"), "");
    const error = await appErrorOf(model.embed(["kitten", "truck"]));
    expect(error.code).toBe("internal:model");
    expect(error.message).toBe(
      `local:${repoId}: the worker thread running ${path.join(modelsDir, repoId, "onnx/model.onnx")} stopped ` +
        "(crashed on demand during a run); the next request starts it again.",
    );
    expect(await model.embed(["cat"])).toEqual([cat]);
    expect(sessionLoads(requests)).toBe(2);
  });

  it("reports a thread that crashed while loading, and tries again on the next call", async () => {
    const repoId = tinyRepo();
    const model = modelFor(repoId, { workerFile: crashOnDemand });
    fs.writeFileSync(path.join(modelsDir, repoId, "crash-on-start"), "");
    const error = await appErrorOf(model.embed(["cat"]));
    expect(error.code).toBe("internal:model");
    expect(error.message).toContain(`the worker thread running ${path.join(modelsDir, repoId, "onnx/model.onnx")} stopped (crashed on demand as it started)`);
    const [cat] = await model.embed(["cat"]);
    expectClose(cat, expectedMean(["[CLS]", "cat", "[SEP]"]));
  });

  it("names the worker's script when it cannot start", async () => {
    const error = await appErrorOf(modelFor(tinyRepo(), { workerFile: "lib/embeddings/local/no-such.worker.mjs" }).embed(["cat"]));
    expect(error.code).toBe("internal:model");
    expect(error.message).toContain(`Cannot find module '${path.resolve("lib/embeddings/local/no-such.worker.mjs")}'`);
  });
});

describe("createLocalModel(repoId, options) failures", () => {
  it("says which files are missing, where, and that MODEL_DOWNLOADS=1 would fetch them", async () => {
    const repoId = tinyRepo();
    fs.rmSync(path.join(modelsDir, repoId, "tokenizer.json"));
    const error = await appErrorOf(modelFor(repoId).embed(["cat"]));
    expect(error.code).toBe("unavailable:model");
    expect(error.message).toContain(`tokenizer.json is missing in ${path.join(modelsDir, repoId)}`);
    expect(error.message).toContain("MODEL_DOWNLOADS=1");
  });

  it("names a corrupt ONNX file, and loads it once it is replaced, without a new model", async () => {
    const repoId = tinyRepo({ variant: "corrupt" });
    const model = modelFor(repoId);
    const error = await appErrorOf(model.embed(["cat"]));
    expect(error.code).toBe("unavailable:model");
    expect(error.message).toContain(`${path.join(modelsDir, repoId, "onnx/model.onnx")} does not load as an ONNX model`);
    writeTinyModel(path.join(modelsDir, repoId));
    const [cat] = await model.embed(["cat"]);
    expectClose(cat, expectedMean(["[CLS]", "cat", "[SEP]"]));
  });

  it("refuses a model whose last_hidden_state is not [batch, sequence, dims]", async () => {
    const error = await appErrorOf(modelFor(tinyRepo({ variant: "wrong-shape" })).embed(["cat"]));
    expect(error.code).toBe("unavailable:model");
    expect(error.message).toMatch(/onnx\/model\.onnx answers last_hidden_state as float32 \[1, 6\] for 1 text of 3 tokens/);
  });

  it("names a tokenizer.json that does not load", async () => {
    const repoId = tinyRepo();
    fs.writeFileSync(path.join(modelsDir, repoId, "tokenizer.json"), "{ not json");
    const error = await appErrorOf(modelFor(repoId).embed(["cat"]));
    expect(error.message).toContain(`${path.join(modelsDir, repoId, "tokenizer.json")} (with tokenizer_config.json) does not load`);
  });

  it("refuses files whose config.json names another dimension than the ONNX file answers", async () => {
    const repoId = tinyRepo();
    fs.writeFileSync(path.join(modelsDir, repoId, "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 384 }));
    const error = await appErrorOf(modelFor(repoId).embed(["cat"]));
    expect(error.message).toMatch(/answers 6-dimensional token vectors, but config\.json says hidden_size 384/);
  });
});
