import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/generate/route";
import { startChatCompletionsServer, type ChatCompletionsServer } from "../support/chat-completions-server";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

let server: ChatCompletionsServer;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startChatCompletionsServer();
});
afterAll(async () => server.close());
afterEach(() => {
  for (const name of ["HF_TOKEN", "HF_GENERATION_URL", "HF_GENERATION_MODEL"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const generate = async (body: unknown) => readJson<{ model: string; text: string } & ErrorReply>(await route.POST(jsonRequest("/api/generate", body), {}));
const availability = async () => readJson<{ available: boolean; model: string; reason?: string }>(await route.GET(new Request("http://localhost/api/generate"), {}));

describe("/api/generate", () => {
  it("is unavailable without HF_TOKEN or HF_GENERATION_URL, says what to set, and sends nothing", async () => {
    delete process.env.HF_TOKEN;
    delete process.env.HF_GENERATION_URL;
    expect((await availability()).body).toMatchObject({ available: false, reason: expect.stringMatching(/HF_TOKEN/) });
    const before = server.requests.length;
    const { status, body } = await generate({ prompt: "Why is the sky blue?" });
    expect(status).toBe(503);
    expect(body.error.code).toBe("unavailable:generation");
    expect(server.requests).toHaveLength(before);
  });

  it("sends the prompt through the real client to a chat-completions server and returns the answer", async () => {
    Object.assign(process.env, { HF_TOKEN: "hf_local", HF_GENERATION_URL: server.url, HF_GENERATION_MODEL: "local/model" });
    expect((await availability()).body).toEqual({ available: true, model: "local/model" });
    const prompt = "Passages: [1] Bees make honey.\nQuestion: Who makes honey?";
    const { status, body } = await generate({ prompt, maxTokens: 50 });
    expect(status).toBe(200);
    expect(body).toEqual({ model: "local/model", text: `Answer to a ${prompt.length}-character prompt [1].` });
    const sent = server.requests.at(-1)!;
    expect(sent.authorization).toBe("Bearer hf_local");
    expect(sent.body).toMatchObject({ model: "local/model", max_tokens: 50, messages: [{ role: "user", content: expect.stringContaining("Bees make honey") }] });
  });

  it("turns an upstream failure into a 502 that names the model and never echoes the token", async () => {
    Object.assign(process.env, { HF_TOKEN: "hf_secret_token", HF_GENERATION_URL: server.url });
    server.failNext(500);
    const { status, body } = await generate({ prompt: "x" });
    expect(status).toBe(502);
    expect(body.error.code).toBe("bad_gateway:generation");
    expect(JSON.stringify(body)).not.toContain("hf_secret_token");
  });

  it("answers 400 for an empty prompt", async () => {
    expect((await generate({ prompt: "  " })).status).toBe(400);
  });
});
