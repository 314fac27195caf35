import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLocalModel, type LocalModelOptions } from "@/lib/embeddings/local/model";
import { tinyModelDims, tinyModelFiles } from "@/scripts/make-tiny-onnx-model";
import { appErrorOf } from "../../support/app-errors";
import { startFakeModelHub, type FakeModelHub } from "../../support/fake-model-hub";
import { freePort } from "../../support/server";

// Downloads from a local server laid out like the hub (`/<owner>/<name>/resolve/main/<file>`).
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-downloads-"));
let hub: FakeModelHub;

beforeAll(async () => {
  hub = await startFakeModelHub({ "test/tiny": tinyModelFiles(), "test/pooled": tinyModelFiles({ pooling: "cls" }) });
});
afterAll(async () => {
  await hub?.close();
  fs.rmSync(modelsDir, { recursive: true, force: true });
});

function modelFor(repoId: string, options: Partial<LocalModelOptions> = {}) {
  return createLocalModel(repoId, { modelsDir, downloads: true, hubUrl: hub.url, threads: 1, ...options });
}


const gets = (repoId: string) => hub.requests.filter((request) => request.startsWith(`GET /${repoId}/`));

describe("a local: model with MODEL_DOWNLOADS on", () => {
  it("downloads the files once into MODELS_DIR/<owner>/<name> and embeds", async () => {
    const model = modelFor("test/tiny");
    const [cat] = await model.embed(["cat"]);
    expect(cat).toHaveLength(tinyModelDims);
    const dir = path.join(modelsDir, "test/tiny");
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"]) {
      expect(fs.readFileSync(path.join(dir, file))).toEqual(Buffer.from(tinyModelFiles()[file]));
    }
    // Nothing half-written is left behind.
    expect(fs.readdirSync(path.join(dir, "onnx"))).toEqual(["model.onnx"]);
    // The quantized file is asked for first; the hub has only model.onnx.
    expect(hub.requests).toContain("HEAD /test/tiny/resolve/main/onnx/model_quantized.onnx");
    expect(gets("test/tiny").sort()).toEqual(
      ["config.json", "onnx/model.onnx", "tokenizer.json", "tokenizer_config.json"].map((file) => `GET /test/tiny/resolve/main/${file}`).sort(),
    );
    expect(model.info()).toMatchObject({ available: true, dims: tinyModelDims, download: { state: "ready" } });
  });

  it("uses the files on disk next time: a second start downloads nothing", async () => {
    const before = hub.requests.length;
    await modelFor("test/tiny").embed(["kitten"]);
    expect(hub.requests).toHaveLength(before);
  });

  it("fetches the optional sentence-transformers files the hub has, and pools as they say", async () => {
    const [cat, truck] = await modelFor("test/pooled").embed(["cat", "truck"]);
    expect(gets("test/pooled")).toContain("GET /test/pooled/resolve/main/1_Pooling/config.json");
    expect(truck).toEqual(cat); // CLS pooling: the first token, the same for every text
  });

  it("answers 503 with progress and Retry-After while downloading, and downloads once for concurrent requests", async () => {
    hub.put("test/slow", tinyModelFiles());
    const held = hub.hold("test/slow", "onnx/model.onnx");
    const model = modelFor("test/slow", { waitForDownloadMs: 0 });
    const [first, second] = await Promise.all([appErrorOf(model.embed(["cat"])), appErrorOf(modelFor("test/slow", { waitForDownloadMs: 0 }).embed(["dog"]))]);
    for (const error of [first, second]) {
      expect(error.code).toBe("unavailable:model");
      expect(error.headers["Retry-After"]).toBe("5");
      expect(error.message).toMatch(/local:test\/slow is being downloaded from .* into .*test\/slow/);
    }
    await vi.waitFor(() => expect(model.info().download).toMatchObject({ state: "downloading", file: "onnx/model.onnx" }));
    const progress = model.info().download!;
    expect(progress.bytesTotal).toBe(Object.values(tinyModelFiles()).reduce((sum, bytes) => sum + bytes.byteLength, 0));
    expect(progress.bytesDone).toBeGreaterThan(0);
    expect(progress.bytesDone).toBeLessThan(progress.bytesTotal!);
    expect(model.info().available).toBe(true);
    expect(await appErrorOf(model.embed(["cat"]))).toMatchObject({ code: "unavailable:model" });

    held.release();
    await vi.waitFor(() => expect(model.info().download?.state).toBe("ready"));
    expect(await model.embed(["cat"])).toHaveLength(1);
    expect(gets("test/slow").filter((request) => request.endsWith("onnx/model.onnx"))).toHaveLength(1);
  });

  it("answers 503 naming the file and the URL when the hub has no such file, and stores nothing", async () => {
    const files = tinyModelFiles();
    delete files["tokenizer.json"];
    hub.put("test/no-tokenizer", files);
    const model = modelFor("test/no-tokenizer");
    const error = await appErrorOf(model.embed(["cat"]));
    expect(error.code).toBe("unavailable:model");
    expect(error.message).toContain(`${hub.url}/test/no-tokenizer/resolve/main/tokenizer.json answered 404 Not Found`);
    expect(error.message).toContain(`into ${path.join(modelsDir, "test/no-tokenizer")}`);
    expect(error.headers["Retry-After"]).toBe("10");
    expect(model.info().download).toMatchObject({ state: "failed", message: expect.stringContaining("404") });
    // The HEAD requests failed first: no file was fetched, none written.
    expect(gets("test/no-tokenizer")).toEqual([]);
    expect(fs.existsSync(path.join(modelsDir, "test/no-tokenizer/config.json"))).toBe(false);
  });

  it("repeats a failure for a while, then tries again and succeeds once the hub has the file", async () => {
    const files = tinyModelFiles();
    delete files["onnx/model.onnx"];
    hub.put("test/later", files);
    const model = modelFor("test/later", { retryAfterFailureMs: 60_000 });
    expect((await appErrorOf(model.embed(["cat"]))).message).toContain("onnx/model.onnx answered 404");
    const before = hub.requests.length;
    expect((await appErrorOf(model.embed(["cat"]))).message).toMatch(/The next attempt starts in (59|60) s/);
    expect(hub.requests).toHaveLength(before);

    hub.put("test/later", tinyModelFiles());
    expect(await modelFor("test/later", { retryAfterFailureMs: 0 }).embed(["cat"])).toHaveLength(1);
  });

  it("fails at once, saying what to copy where, when the hub's port is closed", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const model = modelFor("test/offline", { hubUrl: closed });
    const error = await appErrorOf(model.embed(["cat"]));
    expect(error.code).toBe("unavailable:model");
    expect(error.message).toContain(`Could not reach ${closed} (ECONNREFUSED)`);
    expect(error.message).toContain("config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx (or model_quantized.onnx)");
    expect(error.message).toContain(`into ${path.join(modelsDir, "test/offline")}`);
    expect(fs.existsSync(path.join(modelsDir, "test/offline"))).toBe(false);
  });

  it("fails at once for a host that does not resolve", async () => {
    const error = await appErrorOf(modelFor("test/nowhere", { hubUrl: "http://hub.invalid" }).embed(["cat"]));
    expect(error.message).toMatch(/Could not reach http:\/\/hub\.invalid \((ENOTFOUND|EAI_AGAIN)\)/);
  });

  it("gives up on a hub that accepts the connection but never answers", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket)); // holds every connection open, says nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      const error = await appErrorOf(modelFor("test/silent", { hubUrl: silentUrl, download: { connectTimeoutMs: 200 } }).embed(["cat"]));
      expect(error.message).toContain(`${silentUrl} did not answer within 0.2 s`);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("refuses a model larger than the download limit before fetching it", async () => {
    hub.put("test/huge", tinyModelFiles());
    const error = await appErrorOf(modelFor("test/huge", { download: { maxBytes: 100 } }).embed(["cat"]));
    expect(error.message).toMatch(/test\/huge is .* MB on .*, more than the 0\.0 MB allowed for one model/);
    expect(gets("test/huge")).toEqual([]);
  });

  it("never downloads with MODEL_DOWNLOADS off", async () => {
    hub.put("test/not-allowed", tinyModelFiles());
    const error = await appErrorOf(modelFor("test/not-allowed", { downloads: false }).embed(["cat"]));
    expect(error.message).toContain("MODEL_DOWNLOADS=1");
    expect(hub.requests.filter((request) => request.includes("test/not-allowed"))).toEqual([]);
  });
});
