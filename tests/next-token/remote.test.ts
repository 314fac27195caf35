import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRemoteModel } from "@/lib/next-token/remote";
import { nextTokenFixture, startChatCompletionsServer, type ChatCompletionsServer } from "../support/chat-completions-server";

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await startChatCompletionsServer();
});
afterAll(async () => server.close());

const env = () => ({ HF_GENERATION_URL: server.url, HF_GENERATION_MODEL: "local/model", HF_TOKEN: "hf_secret_token" });
const generation = { k: 3, steps: 0, strategy: "greedy", temperature: 1, seed: 42 } as const;

describe("createRemoteModel", () => {
  it("predict asks for logprobs with top_logprobs and turns them into probabilities, best first", async () => {
    const model = createRemoteModel({ env: env() });
    const { context, tokens, note } = await model.predict({ text: "My pet is a", k: 3 });
    expect(tokens).toEqual([
      { text: " cat", probability: 0.5 },
      { text: " dog", probability: 0.25 },
      { text: " bird", probability: 0.125 },
    ]);
    expect(context).toEqual([]);
    expect(note).toBe("The server does not say how it cut the text into tokens.");
    expect(server.requests.at(-1)!.body).toMatchObject({ model: "local/model", logprobs: true, top_logprobs: 3, max_tokens: 1, temperature: 0, messages: [{ role: "system" }, { role: "user", content: "My pet is a" }] });
  });

  it("asks for at most 20 top_logprobs, as OpenAI allows, and says so", async () => {
    const { tokens, note } = await createRemoteModel({ env: env() }).predict({ text: "x", k: 50 });
    expect(server.requests.at(-1)!.body.top_logprobs).toBe(20);
    expect(tokens).toHaveLength(nextTokenFixture.length);
    expect(note).toContain("at most 20 candidates");
  });

  it("generate asks the server for all steps in one request, seeded when sampling", async () => {
    const before = server.requests.length;
    const { steps } = await createRemoteModel({ env: env() }).generate!({ ...generation, text: "x", steps: 3, strategy: "sample", temperature: 0.7, seed: 9 });
    expect(server.requests.length).toBe(before + 1);
    expect(server.requests.at(-1)!.body).toMatchObject({ max_tokens: 3, temperature: 0.7, seed: 9 });
    expect(steps.map((step) => step.chosen)).toEqual([" cat", " cat", " cat"]);
  });

  it("a server error becomes a 502 that never echoes the token", async () => {
    server.failNext(500);
    const error = await createRemoteModel({ env: env() }).predict({ text: "x", k: 3 }).catch((caught) => caught);
    expect(error).toMatchObject({ status: 502, code: "bad_gateway:generation", message: expect.stringContaining("local/model failed (HTTP 500)") });
    expect(error.message).not.toContain("hf_secret_token");
  });

  it("a server slower than the time limit becomes a 504", async () => {
    server.delayNext(500);
    const error = await createRemoteModel({ env: env(), timeoutMs: 50 }).predict({ text: "x", k: 3 }).catch((caught) => caught);
    expect(error).toMatchObject({ status: 504, code: "gateway_timeout:generation", message: "local/model did not answer within 0.05 s." });
  });

  it("an unconfigured server is unavailable (503) and listed with what to set", async () => {
    const model = createRemoteModel({ env: {} });
    expect(await model.info()).toMatchObject({ available: false, kind: "llm", install: expect.stringContaining("HF_GENERATION_URL") });
    await expect(model.predict({ text: "x", k: 3 })).rejects.toMatchObject({ status: 503 });
  });
});
