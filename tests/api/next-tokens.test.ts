import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/next-tokens/route";
import { libimePaths } from "@/lib/next-token/registry";
import { startChatCompletionsServer, type ChatCompletionsServer } from "../support/chat-completions-server";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

type Distribution = { text: string; probability: number }[];
type Reply = { model: string; label: string; context: string[]; tokens: Distribution; steps: { chosen: string; tokens: Distribution }[]; text: string; note?: string } & ErrorReply;

const installed = fs.existsSync(libimePaths({}).binary) && fs.existsSync(libimePaths({}).source);
const saved = { ...process.env };
const names = ["DATA_DIR", "LIBIME_PREDICTION_BIN", "HF_TOKEN", "HF_GENERATION_URL", "HF_GENERATION_MODEL"];
let server: ChatCompletionsServer;

beforeAll(async () => {
  server = await startChatCompletionsServer();
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "next-tokens-route-"));
  saved.DATA_DIR = process.env.DATA_DIR;
});
afterAll(async () => server.close());
afterEach(() => {
  for (const name of names) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const post = async (body: unknown) => readJson<Reply>(await route.POST(jsonRequest("/api/next-tokens", body), {}));

describe("POST /api/next-tokens", () => {
  it("answers 400 naming the field for bad input", async () => {
    const cases: [unknown, string][] = [
      [{}, "bad_request:text"],
      [{ text: "  " }, "bad_request:text"],
      [{ text: "将", k: 0 }, "bad_request:k"],
      [{ text: "将", k: 51 }, "bad_request:k"],
      [{ text: "将", k: 2.5 }, "bad_request:k"],
      [{ text: "将", steps: 51 }, "bad_request:steps"],
      [{ text: "将", strategy: "beam" }, "bad_request:strategy"],
      [{ text: "将", temperature: 0 }, "bad_request:temperature"],
      [{ text: "将", seed: -1 }, "bad_request:seed"],
      [{ text: "将", model: "gpt-5" }, "bad_request:model"],
      [{ text: "将", topP: 0.9 }, "bad_request:topP"],
    ];
    for (const [body, code] of cases) {
      const { status, body: reply } = await post(body);
      expect({ body, status, code: reply.error?.code }).toEqual({ body, status: 400, code });
    }
    expect((await post({ text: "将", model: "gpt-5" })).body.error.message).toBe("model must be one of libime-zh, remote-llm.");
  });

  it.skipIf(!installed)("answers the distribution after 人工智能的未来将 with 会 first, summing to at most 1", async () => {
    const { status, body } = await post({ text: "人工智能的未来将" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: "libime-zh", context: ["人工", "智能", "的", "未来", "将"], steps: [], text: "人工智能的未来将" });
    expect(body.label).toContain("n-gram model, not a neural LLM");
    expect(body.tokens).toHaveLength(10);
    expect(body.tokens[0].text).toBe("会");
    expect(body.tokens.reduce((sum, token) => sum + token.probability, 0)).toBeLessThanOrEqual(1);
  });

  it.skipIf(!installed)("greedy generation takes the likeliest token at every step and repeats exactly", async () => {
    const request = { text: "人工智能的未来将", k: 5, steps: 4 };
    const { body } = await post(request);
    expect(body.steps).toHaveLength(4);
    expect(body.steps[0]).toEqual({ chosen: "会", tokens: body.tokens });
    for (const step of body.steps) expect(step.chosen).toBe(step.tokens[0].text);
    expect(body.text).toBe(`人工智能的未来将${body.steps.map((step) => step.chosen).join("")}`);
    expect((await post(request)).body).toEqual(body);
  });

  it.skipIf(!installed)("seeded sampling repeats for the same seed and draws only from each step's top k", async () => {
    const request = { text: "人工智能的未来将", k: 5, steps: 12, strategy: "sample", temperature: 1.5, seed: 7 };
    const first = (await post(request)).body;
    expect((await post(request)).body).toEqual(first);
    for (const step of first.steps) expect(step.tokens.map((token) => token.text)).toContain(step.chosen);
    const others = await Promise.all([1, 2, 3].map(async (seed) => (await post({ ...request, seed })).body.text));
    expect(others.some((text) => text !== first.text)).toBe(true);
  });

  it.skipIf(!installed)("a last word the model cannot predict from answers 200 with an empty distribution and a note; generation stops", async () => {
    const { status, body } = await post({ text: "hello", steps: 3 });
    expect(status).toBe(200);
    expect(body.tokens).toEqual([]);
    expect(body.steps).toEqual([]);
    expect(body.note).toMatch(/“hello” is not Chinese.*Generation stopped after 0 of 3 steps/);
  });

  it("answers 503 with the install command when libime is not installed", async () => {
    process.env.LIBIME_PREDICTION_BIN = path.join(os.tmpdir(), "missing", "libime_prediction");
    const { status, body } = await post({ text: "人工智能的未来将" });
    expect(status).toBe(503);
    expect(body.error.code).toBe("unavailable:next_token_model");
    expect(body.error.message).toContain("sudo bash scripts/ci/install-libime.sh");
    const list = await readJson<{ models: { id: string; available: boolean; install?: string }[] }>(await route.GET(new Request("http://localhost/api/next-tokens"), {}));
    expect(list.body.models.find((model) => model.id === "libime-zh")).toMatchObject({ available: false, install: expect.stringContaining("apt-get install") });
  });

  it("answers 503 for the remote model when no server is configured, and the real LLM's distribution when one is", async () => {
    delete process.env.HF_TOKEN;
    delete process.env.HF_GENERATION_URL;
    expect((await post({ text: "The", model: "remote-llm" })).status).toBe(503);
    Object.assign(process.env, { HF_GENERATION_URL: server.url, HF_GENERATION_MODEL: "local/model" });
    const { status, body } = await post({ text: "The", model: "remote-llm", k: 3, steps: 2 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: "remote-llm", label: "local/model (remote LLM)", text: "The cat cat" });
    expect(body.tokens.map((token) => token.text)).toEqual([" cat", " dog", " bird"]);
  });
});

describe("GET /api/next-tokens", () => {
  it("lists every model with its availability, and says there is no offline English model", async () => {
    const { status, body } = await readJson<{ default: string; models: { id: string; available: boolean; kind: string }[]; missing: { language: string; note: string }[] }>(
      await route.GET(new Request("http://localhost/api/next-tokens"), {}),
    );
    expect(status).toBe(200);
    expect(body.default).toBe("libime-zh");
    expect(body.models.map((model) => [model.id, model.kind])).toEqual([["libime-zh", "n-gram"], ["remote-llm", "llm"]]);
    expect(body.missing).toEqual([{ language: "en", note: expect.stringMatching(/^No offline English next-token model/) }]);
  });
});
