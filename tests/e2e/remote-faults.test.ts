import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHfInferenceServer, type HfInferenceServer } from "../support/hf-inference-server";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * A remote embedding provider that hangs, times out, rate-limits or fails, seen through the
 * production build over real HTTP: bounded attempts, clear 5xx answers that name the problem,
 * nothing stored from a failed call, and the local models answering all the while.
 */
const remoteModel = "hf:sentence-transformers/all-MiniLM-L6-v2";
const timeoutMs = 1_500;

let provider: HfInferenceServer;
let app: AppServer;

beforeAll(async () => {
  await buildApp();
  provider = await startHfInferenceServer({ dims: 16 });
  app = await startApp({
    HF_ENDPOINT_URL: provider.embedUrl,
    HF_TIMEOUT_MS: String(timeoutMs),
    RATE_LIMIT_COMPUTE_PER_MINUTE: "0",
  });
  // Load both local models before any fault, so their first-use start-up is not part of a test.
  for (const model of ["use-lite", "glove-100d"]) expect((await embed(model, ["warm up"])).status).toBe(200);
}, 600_000);

afterAll(async () => {
  await app?.stop();
  await provider?.close();
});

async function embed(model: string, texts: string[]): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${app.url}/api/embed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, texts }),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Resolves once the provider has received `count` requests in all. */
async function providerReceived(count: number): Promise<void> {
  while (provider.requests.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("a remote provider in trouble, through the running app", () => {
  it("keeps the local models answering while a remote call is stuck", async () => {
    let release!: () => void;
    provider.script({ until: new Promise<void>((resolve) => (release = resolve)) });
    const before = provider.requests.length;
    const remote = embed(remoteModel, ["held by the provider"]);
    let remoteSettled = false;
    void remote.finally(() => (remoteSettled = true));
    await providerReceived(before + 1);

    const local = [
      await embed("use-lite", ["the cat sat on the mat"]),
      await embed("glove-100d", ["cat", "dog"]),
      await embed("use-lite", ["a second sentence while the first call waits"]),
    ];
    expect(local.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(local[1].body.vectors).toHaveLength(2);
    expect(remoteSettled).toBe(false);

    release();
    const { status, body } = await remote;
    expect(status).toBe(200);
    expect(body.vectors[0]).toHaveLength(16);
  });

  it("answers 504 after three timed-out attempts, stores nothing, and recovers", async () => {
    const slow = { delayMs: timeoutMs * 20 };
    provider.script(slow, slow, slow);
    const before = provider.requests.length;
    const { status, body } = await embed(remoteModel, ["too slow to wait for"]);
    expect(status).toBe(504);
    expect(body.error.code).toBe("gateway_timeout:model");
    expect(body.error.message).toMatch(new RegExp(`did not answer within ${timeoutMs} ms \\(3 attempts\\)`));
    expect(provider.requests.length - before).toBe(3);

    // The text was not cached by the failed call: asking again reaches the provider, which now answers.
    const again = await embed(remoteModel, ["too slow to wait for"]);
    expect(again.status).toBe(200);
    expect(provider.requests.length - before).toBe(4);
  });

  it("waits out a 429 with Retry-After and then succeeds", async () => {
    provider.script({ status: 429, headers: { "retry-after": "1" }, json: { error: "Too many requests" } });
    const before = provider.requests.length;
    const { status, body } = await embed(remoteModel, ["rate limited once"]);
    expect(status).toBe(200);
    expect(body.vectors).toHaveLength(1);
    expect(provider.requests.length - before).toBe(2);
  });

  it("answers 502 naming the provider when it keeps failing, and never leaks its address", async () => {
    const failing = { status: 502, json: { error: "upstream exploded" } };
    provider.script(failing, failing, failing);
    const before = provider.requests.length;
    const { status, body } = await embed(remoteModel, ["never embedded"]);
    expect(status).toBe(502);
    expect(body.error.code).toBe("bad_gateway:model");
    expect(body.error.message).toContain("HF_ENDPOINT_URL");
    expect(body.error.message).toContain("upstream exploded");
    expect(JSON.stringify(body)).not.toContain(provider.url);
    expect(provider.requests.length - before).toBe(3);
  });

  it("answers a refusal of the texts as 400 without retrying", async () => {
    provider.script({ status: 422, json: { error: "Input validation error: inputs must not be empty" } });
    const before = provider.requests.length;
    const { status, body } = await embed(remoteModel, ["refused"]);
    expect(status).toBe(400);
    expect(body.error.message).toContain("Input validation error");
    expect(provider.requests.length - before).toBe(1);
  });
});
