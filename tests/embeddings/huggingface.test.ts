import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "../../lib/api/errors";
import {
  createHuggingFaceModel,
  defaults,
  parseHuggingFaceModelId,
  type HuggingFaceModelOptions,
} from "../../lib/embeddings/huggingface";
import {
  fakeEmbedding,
  fakeTokenEmbeddings,
  startHfInferenceServer,
  type HfInferenceServer,
} from "../support/hf-inference-server";

const TOKEN = "hf_test_secret_0123456789";
const DIMS = 8;

let server: HfInferenceServer;
let sleeps: number[];
let modelCounter = 0;

beforeAll(async () => {
  server = await startHfInferenceServer({ dims: DIMS, token: TOKEN });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.options.output = "pooled";
  vi.unstubAllEnvs();
});

/** A fresh repo id per test: learned dimensions are cached per id for the whole process. */
function freshRepoId(): string {
  return `test-org/model-${++modelCounter}`;
}

/** The model pointed at the local server as the router, with tiny delays and recorded sleeps. */
function routerModel(repoId = freshRepoId(), options: HuggingFaceModelOptions = {}) {
  sleeps = [];
  return createHuggingFaceModel(repoId, {
    token: TOKEN,
    endpointUrl: "",
    routerUrl: server.url,
    timeoutMs: 1_000,
    retryBaseDelayMs: 4,
    maxRetryDelayMs: 20,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("parseHuggingFaceModelId(id)", () => {
  it("returns the repo id of hf:<owner/name> and hf:<name>", () => {
    expect(parseHuggingFaceModelId("hf:BAAI/bge-small-en-v1.5")).toBe("BAAI/bge-small-en-v1.5");
    expect(parseHuggingFaceModelId("hf:sentence-transformers/all-MiniLM-L6-v2")).toBe("sentence-transformers/all-MiniLM-L6-v2");
    expect(parseHuggingFaceModelId("hf:gpt2")).toBe("gpt2");
  });

  it("rejects ids without the hf: prefix, saying how to write one", () => {
    const error = (() => {
      try {
        parseHuggingFaceModelId("BAAI/bge-small-en-v1.5");
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error).toMatchObject({ code: "bad_request:model", status: 400 });
    expect(error?.message).toContain("hf:<owner/name>");
  });

  it.each([
    ["hf:", "is empty"],
    ["hf:a/b/c", "more than one '/'"],
    ["hf:../etc", "letters, digits"],
    ["hf:org/..", "letters, digits"],
    ["hf:a..b", "letters, digits"],
    ["hf:has space", "letters, digits"],
    ["hf:-lead", "letters, digits"],
    ["hf:org/", "letters, digits"],
    ["hf:org/name?x=1", "letters, digits"],
    [`hf:${"a".repeat(97)}`, "longer than 96"],
  ])("rejects %s as bad_request:model", (id, why) => {
    expect(() => parseHuggingFaceModelId(id)).toThrow(AppError);
    expect(() => parseHuggingFaceModelId(id)).toThrow(why);
  });

  it("accepts a repo id of exactly 96 characters", () => {
    const repoId = `${"o".repeat(40)}/${"n".repeat(55)}`;
    expect(parseHuggingFaceModelId(`hf:${repoId}`)).toBe(repoId);
  });
});

describe("createHuggingFaceModel(modelId, options)", () => {
  it("describes a remote sentence model whose dims are unknown before its first answer", () => {
    const model = routerModel("BAAI/bge-small-en-v1.5");
    expect(model.info()).toMatchObject({
      id: "hf:BAAI/bge-small-en-v1.5",
      dims: null,
      kind: "sentence",
      local: false,
      available: true,
    });
  });

  it("has documented defaults", () => {
    expect(defaults).toEqual({
      routerUrl: "https://router.huggingface.co",
      timeoutMs: 15_000,
      maxAttempts: 3,
      retryBaseDelayMs: 500,
      maxRetryDelayMs: 10_000,
      batchSize: 32,
      truncate: true,
    });
  });

  it("rejects an invalid repo id", () => {
    expect(() => createHuggingFaceModel("a/b/c")).toThrow(/bad|more than one/);
  });

  it("embeds through the router URL with one request, the token and truncation", async () => {
    const model = routerModel("BAAI/bge-small-en-v1.5");
    const vectors = await model.embed(["cat", "dog", "truck"]);

    expect(vectors).toEqual(["cat", "dog", "truck"].map((t) => fakeEmbedding(t, DIMS)));
    expect(server.requests).toEqual([
      {
        method: "POST",
        path: "/hf-inference/models/BAAI/bge-small-en-v1.5/pipeline/feature-extraction",
        authorization: `Bearer ${TOKEN}`,
        body: { inputs: ["cat", "dog", "truck"], truncate: true },
      },
    ]);
  });

  it("learns dims from the first answer and remembers them per model id", async () => {
    const repoId = freshRepoId();
    const model = routerModel(repoId);
    expect(model.info().dims).toBeNull();
    await model.embed(["cat"]);
    expect(model.info().dims).toBe(DIMS);
    expect(routerModel(repoId).info().dims).toBe(DIMS);
    expect(routerModel().info().dims).toBeNull();
  });

  it("batches into requests of batchSize texts and keeps input order", async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `text number ${i}`);
    const vectors = await routerModel(freshRepoId(), { batchSize: 32 }).embed(texts);

    expect(vectors).toEqual(texts.map((t) => fakeEmbedding(t, DIMS)));
    expect(server.requests.map((r) => (r.body as { inputs: string[] }).inputs.length)).toEqual([32, 32, 6]);
    expect(server.requests.flatMap((r) => (r.body as { inputs: string[] }).inputs)).toEqual(texts);
  });

  it("returns [] for no texts without a request", async () => {
    expect(await routerModel().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("POSTs to HF_ENDPOINT_URL verbatim and works without a token there", async () => {
    const open = await startHfInferenceServer({ dims: 4 });
    try {
      const model = createHuggingFaceModel(freshRepoId(), { token: "", endpointUrl: open.embedUrl });
      expect(model.info().available).toBe(true);
      expect(await model.embed(["a", "b"])).toEqual([fakeEmbedding("a", 4), fakeEmbedding("b", 4)]);
      expect(open.requests).toEqual([
        { method: "POST", path: "/embed", authorization: undefined, body: { inputs: ["a", "b"], truncate: true } },
      ]);
    } finally {
      await open.close();
    }
  });

  it("reads HF_TOKEN and HF_ENDPOINT_URL from the environment", async () => {
    vi.stubEnv("HF_TOKEN", TOKEN);
    vi.stubEnv("HF_ENDPOINT_URL", `${server.url}/`);
    const model = createHuggingFaceModel(freshRepoId());
    expect(await model.embed(["env"])).toEqual([fakeEmbedding("env", DIMS)]);
    expect(server.requests).toMatchObject([{ path: "/", authorization: `Bearer ${TOKEN}` }]);
  });

  it("is unavailable without token and endpoint, and says what to set, without any request", async () => {
    vi.stubEnv("HF_TOKEN", "");
    vi.stubEnv("HF_ENDPOINT_URL", "");
    const model = createHuggingFaceModel(freshRepoId(), { routerUrl: server.url });
    expect(model.info().available).toBe(false);

    const error = await rejection(model.embed(["cat"]));
    expect(error).toMatchObject({ code: "unavailable:model", status: 503 });
    expect(error.message).toContain("set HF_TOKEN");
    expect(error.message).toContain("HF_ENDPOINT_URL");
    expect(server.requests).toHaveLength(0);
  });

  it("is unavailable when HF_ENDPOINT_URL is not an http(s) URL", async () => {
    const model = createHuggingFaceModel(freshRepoId(), { token: TOKEN, endpointUrl: "127.0.0.1:8080" });
    expect(model.info().available).toBe(false);
    const error = await rejection(model.embed(["cat"]));
    expect(error).toMatchObject({ code: "unavailable:model" });
    expect(error.message).toContain("HF_ENDPOINT_URL must be an http(s) URL");
  });
});

describe("output shapes", () => {
  it("mean-pools number[][][] token embeddings per text", async () => {
    server.options.output = "tokens";
    const texts = ["the cat sat", "a dog"];
    const vectors = await routerModel().embed(texts);

    texts.forEach((text, i) => {
      const tokens = fakeTokenEmbeddings(text, DIMS);
      const mean = tokens[0].map((_, d) => tokens.reduce((sum, t) => sum + t[d], 0) / tokens.length);
      expect(vectors[i]).toHaveLength(DIMS);
      vectors[i].forEach((x, d) => expect(x).toBeCloseTo(mean[d], 12));
    });
  });

  it("accepts number[] for a single text", async () => {
    server.script({ json: fakeEmbedding("solo", DIMS) });
    expect(await routerModel().embed(["solo"])).toEqual([fakeEmbedding("solo", DIMS)]);
  });

  it("mean-pools number[][] token rows answered for a single text", async () => {
    server.script({ json: [[1, 2, 3], [3, 4, 5]] });
    expect(await routerModel().embed(["two tokens"])).toEqual([[2, 3, 4]]);
  });

  it.each([
    ["vectors of unequal length", [[1, 2], [1, 2, 3]], "vector 1 has 3 dimensions"],
    ["token vectors of unequal length", [[[1, 2], [1]], [[1, 2]]], "unequal lengths"],
    ["too few vectors", [[1, 2]], "got 1 vectors"],
    ["an object", { embeddings: [] }, "not a list of embeddings"],
    ["strings", [["a", "b"], ["c", "d"]], "not a list of embeddings"],
    ["empty vectors", [[], []], "expected number[]"],
  ])("rejects %s as bad_gateway:model without retrying", async (_, json, why) => {
    server.script({ json });
    const error = await rejection(routerModel().embed(["one", "two"]));
    expect(error).toMatchObject({ code: "bad_gateway:model", status: 502 });
    expect(error.message).toContain(why);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a body that is not JSON as bad_gateway:model", async () => {
    server.script({ raw: "<html>oops", contentType: "application/json" });
    const error = await rejection(routerModel().embed(["one"]));
    expect(error.code).toBe("bad_gateway:model");

    server.script({ raw: "oops", contentType: "text/html" });
    expect((await rejection(routerModel().embed(["one"]))).code).toBe("bad_gateway:model");
  });

  it("rejects a later answer whose dimension differs from the learned one", async () => {
    const repoId = freshRepoId();
    await routerModel(repoId).embed(["cat"]);
    server.script({ json: [[1, 2, 3]] });
    const error = await rejection(routerModel(repoId).embed(["dog"]));
    expect(error.code).toBe("bad_gateway:model");
    expect(error.message).toContain(`3-dimensional vectors for hf:${repoId}, but earlier answers had ${DIMS}`);
  });
});

describe("retries, timeouts and upstream errors", () => {
  it("retries 503 and then succeeds, honouring Retry-After", async () => {
    server.script(
      { status: 503, json: { error: "Model is currently loading" }, headers: { "Retry-After": "0.01" } },
      { status: 503, json: { error: "Model is currently loading" }, headers: { "Retry-After": "0" } },
    );
    expect(await routerModel().embed(["cat"])).toEqual([fakeEmbedding("cat", DIMS)]);
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([10, 0]);
  });

  it("retries 429 with exponential backoff and jitter when there is no Retry-After", async () => {
    server.script({ status: 429, json: { error: "Too many requests" } }, { status: 429, json: { error: "Too many requests" } });
    expect(await routerModel().embed(["cat"])).toEqual([fakeEmbedding("cat", DIMS)]);
    // base 4 ms: attempt 1 waits 4/2 + 0.5·4/2 = 3, attempt 2 waits 8/2 + 0.5·8/2 = 6.
    expect(sleeps).toEqual([3, 6]);
  });

  it("caps a long Retry-After at maxRetryDelayMs", async () => {
    server.script({ status: 429, json: { error: "slow down" }, headers: { "Retry-After": "120" } });
    await routerModel().embed(["cat"]);
    expect(sleeps).toEqual([20]);
  });

  it("reads Retry-After given as an HTTP date", async () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    server.script({ status: 503, json: { error: "busy" }, headers: { "Retry-After": inAMinute } });
    await routerModel().embed(["cat"]);
    expect(sleeps).toEqual([20]);
  });

  it("retries an upstream 502 and 504", async () => {
    server.script({ status: 502, raw: "Bad Gateway", contentType: "text/plain; charset=utf-8" }, { status: 504, json: {} });
    expect(await routerModel().embed(["cat"])).toEqual([fakeEmbedding("cat", DIMS)]);
    expect(server.requests).toHaveLength(3);
  });

  it("retries with real waits by default", async () => {
    server.script({ status: 503, json: { error: "busy" } });
    const model = createHuggingFaceModel(freshRepoId(), { token: TOKEN, endpointUrl: "", routerUrl: server.url, retryBaseDelayMs: 5 });
    expect(await model.embed(["cat"])).toEqual([fakeEmbedding("cat", DIMS)]);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on 503 after maxAttempts with unavailable:model and Retry-After", async () => {
    const busy = { status: 503, json: { error: "Model is currently loading" }, headers: { "Retry-After": "2" } };
    server.script(busy, busy, busy);
    const error = await rejection(routerModel().embed(["cat"]));
    expect(error).toMatchObject({ code: "unavailable:model", status: 503, headers: { "Retry-After": "2" } });
    expect(error.message).toContain("HTTP 503, 3 attempts");
    expect(error.message).toContain("Model is currently loading");
    expect(server.requests).toHaveLength(3);
  });

  it("gives up on 429 after maxAttempts with rate_limited:model", async () => {
    const limited = { status: 429, json: { error: "rate limit reached" } };
    server.script(limited, limited);
    const error = await rejection(routerModel(freshRepoId(), { maxAttempts: 2 }).embed(["cat"]));
    expect(error).toMatchObject({ code: "rate_limited:model", status: 429 });
    expect(server.requests).toHaveLength(2);
  });

  it("makes one attempt only when maxAttempts is 1", async () => {
    server.script({ status: 503, json: { error: "busy" } });
    const error = await rejection(routerModel(freshRepoId(), { maxAttempts: 1 }).embed(["cat"]));
    expect(error.message).toContain("1 attempt");
    expect(server.requests).toHaveLength(1);
  });

  it("retries a slow answer and reports gateway_timeout:model when every attempt times out", async () => {
    server.script({ delayMs: 500 }, { delayMs: 500 });
    const started = Date.now();
    const error = await rejection(routerModel(freshRepoId(), { timeoutMs: 60, maxAttempts: 2 }).embed(["cat"]));
    expect(error).toMatchObject({ code: "gateway_timeout:model", status: 504 });
    expect(error.message).toContain("within 60 ms");
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it("succeeds after one timed-out attempt", async () => {
    // The retry must answer within the timeout too: 60 ms was too short on a loaded CI machine.
    server.script({ delayMs: 1_500 });
    expect(await routerModel(freshRepoId(), { timeoutMs: 300 }).embed(["cat"])).toEqual([fakeEmbedding("cat", DIMS)]);
    expect(server.requests).toHaveLength(2);
  });

  it("reports a rejected token as bad_gateway:model without echoing it, and does not retry", async () => {
    const wrong = "hf_wrong_secret_987654";
    const error = await rejection(routerModel(freshRepoId(), { token: wrong }).embed(["cat"]));
    expect(error).toMatchObject({ code: "bad_gateway:model", status: 502 });
    expect(error.message).toContain("rejected the access token (HTTP 401)");
    expect(error.message).toContain("HF_TOKEN");
    expect(error.message).not.toContain(wrong);
    expect(JSON.stringify(error.toBody())).not.toContain(wrong);
    expect(server.requests).toEqual([expect.objectContaining({ authorization: `Bearer ${wrong}` })]);
  });

  it("says to set HF_TOKEN when an endpoint without a token answers 401", async () => {
    const model = createHuggingFaceModel(freshRepoId(), { token: "", endpointUrl: server.url });
    const error = await rejection(model.embed(["cat"]));
    expect(error).toMatchObject({ code: "bad_gateway:model" });
    expect(error.message).toBe(
      "The server at HF_ENDPOINT_URL requires an access token (HTTP 401): Invalid credentials in Authorization header: set HF_TOKEN.",
    );
  });

  it("redacts the token if upstream echoes it", async () => {
    server.script({ status: 403, json: { error: `token ${TOKEN} has no inference permission` } });
    const error = await rejection(routerModel().embed(["cat"]));
    expect(error.message).toContain("token [token] has no inference permission");
    expect(error.message).not.toContain(TOKEN);
  });

  it.each([
    [422, "bad_request:texts", "Input validation error: inputs must have less than 512 tokens"],
    [400, "bad_request:texts", "bad input"],
    [413, "payload_too_large:texts", "Payload Too Large"],
    [404, "bad_request:model", "Model not found"],
    [500, "bad_gateway:model", "CUDA out of memory"],
    [418, "bad_gateway:model", "teapot"],
  ])("maps upstream %i to %s with upstream's message, without retrying", async (status, code, upstream) => {
    server.script({ status, json: { error: upstream } });
    const error = await rejection(routerModel().embed(["cat"]));
    expect(error.code).toBe(code);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain(upstream);
    expect(server.requests).toHaveLength(1);
  });

  it("trims a long upstream message", async () => {
    server.script({ status: 400, json: { error: `${"x".repeat(1000)}\n\n  trailing` } });
    const error = await rejection(routerModel().embed(["cat"]));
    expect(error.message.length).toBeLessThan(450);
    expect(error.message).toContain("x…");
  });

  it("reports a 404 from HF_ENDPOINT_URL as a configuration problem", async () => {
    const model = createHuggingFaceModel(freshRepoId(), { token: TOKEN, endpointUrl: `${server.url}/wrong/path` });
    const error = await rejection(model.embed(["cat"]));
    expect(error.code).toBe("bad_gateway:model");
    expect(error.message).toContain("check HF_ENDPOINT_URL");
  });

  it("retries an unreachable server, then reports bad_gateway:model", async () => {
    const gone = await startHfInferenceServer();
    await gone.close();
    sleeps = [];
    const model = createHuggingFaceModel(freshRepoId(), {
      endpointUrl: gone.url,
      retryBaseDelayMs: 1,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const error = await rejection(model.embed(["cat"]));
    expect(error).toMatchObject({ code: "bad_gateway:model", status: 502 });
    expect(error.message).toContain("Could not reach the server at HF_ENDPOINT_URL (ECONNREFUSED) after 3 attempts");
    expect(sleeps).toHaveLength(2);
  });
});
