import { OpenAIEmbeddings } from "@langchain/openai";
import OpenAI, { APIError } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * The clients people use against POST /v1/embeddings of the production server: the openai SDK and
 * LangChain's OpenAIEmbeddings, configured as their users would (no encoding_format, so the SDK
 * asks for base64 and decodes it), must get the vectors POST /api/embed gives the same texts, and
 * refusals as APIErrors with status 400 that no client retries.
 */

let app: AppServer;

beforeAll(async () => {
  await buildApp();
  app = await startApp();
}, 600_000);

afterAll(async () => app?.stop());

afterEach(({ task }) => {
  if (task.result?.state === "fail") console.error(`--- server output ---\n${app?.output().slice(-4000)}`);
});

/** fetch that counts the requests a client sends, to show that refusals are not retried. */
function countingFetch(): { requests: number; fetch: typeof fetch } {
  const counter: { requests: number; fetch: typeof fetch } = {
    requests: 0,
    fetch: (url, init) => {
      counter.requests++;
      return fetch(url, init);
    },
  };
  return counter;
}

function openAiClient(fetcher: typeof fetch = fetch): OpenAI {
  // The SDK always sends an API key; the app needs none and ignores it.
  return new OpenAI({ baseURL: `${app.url}/v1`, apiKey: "not-needed", fetch: fetcher });
}

async function appVectors(model: string, texts: string[]): Promise<number[][]> {
  const response = await fetch(`${app.url}/api/embed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, texts }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { vectors: number[][] }).vectors;
}

/** Vectors compared after rounding to float32, the precision base64 carries. */
const float32 = (vectors: number[][]) => vectors.map((vector) => vector.map(Math.fround));

const texts = ["The cat sat on the mat.", "A truck drove down the road.", "cat"];

describe("the openai SDK with baseURL pointing at /v1", () => {
  it("without encoding_format (base64 on the wire): a string and an array get /api/embed's vectors, full length", async () => {
    const client = openAiClient();
    const expected = await appVectors("use-lite", texts);
    const one = await client.embeddings.create({ model: "use-lite", input: texts[0] });
    expect(one.model).toBe("use-lite");
    expect(one.data[0].embedding).toHaveLength(512);
    expect(float32([one.data[0].embedding])).toEqual(float32([expected[0]]));
    const many = await client.embeddings.create({ model: "text-embedding-3-small", input: texts });
    expect(many.model).toBe("use-lite");
    expect(many.data.map(({ index }) => index)).toEqual([0, 1, 2]);
    expect(float32(many.data.map(({ embedding }) => embedding))).toEqual(float32(expected));
    expect(many.usage.prompt_tokens).toBeGreaterThan(texts.length);
  });

  it("with encoding_format float, the numbers are /api/embed's; with base64, the string decodes to them", async () => {
    const client = openAiClient();
    const expected = await appVectors("glove-100d", ["king", "queen"]);
    const float = await client.embeddings.create({ model: "glove-100d", input: ["king", "queen"], encoding_format: "float" });
    expect(float.data.map(({ embedding }) => embedding)).toEqual(expected);
    const base64 = await client.embeddings.create({ model: "glove-100d", input: ["king", "queen"], encoding_format: "base64" });
    const decoded = base64.data.map(({ embedding }) => {
      const bytes = Buffer.from(embedding as unknown as string, "base64");
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    });
    expect(decoded).toEqual(float32(expected));
  });

  it.each([
    ["an unknown model", { model: "gpt-embedder-9000", input: "cat" }, "model", /^Unknown model "gpt-embedder-9000"/],
    ["an empty input", { model: "use-lite", input: "" }, "input", /^input must not be empty or whitespace-only\.$/],
    ["2,001 inputs", { model: "use-lite", input: Array(2001).fill("cat") }, "input", /^input must hold at most 2000 inputs/],
    ["Chinese text on use-lite", { model: "use-lite", input: ["cat", "猫"] }, "input", /^use-lite cannot read "猫".*cedict-glove-100d/],
  ])("%s is an APIError with status 400, sent once", async (_title, body, param, message) => {
    const counter = countingFetch();
    const error = await openAiClient(counter.fetch).embeddings.create(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(400);
    expect((error as APIError).error).toMatchObject({ type: "invalid_request_error", param });
    expect((error as APIError).message).toMatch(/^400 /);
    expect(((error as APIError).error as { message: string }).message).toMatch(message);
    expect(counter.requests).toBe(1);
  });
});

describe("LangChain's OpenAIEmbeddings with configuration.baseURL", () => {
  const embeddings = (model: string, fetcher: typeof fetch = fetch) =>
    new OpenAIEmbeddings({ model, apiKey: "not-needed", configuration: { baseURL: `${app.url}/v1`, fetch: fetcher } });

  it("embedQuery and embedDocuments give /api/embed's vectors", async () => {
    const expected = await appVectors("use-lite", texts);
    const model = embeddings("use-lite");
    expect(float32([await model.embedQuery(texts[0])])).toEqual(float32([expected[0]]));
    const documents = await model.embedDocuments(texts);
    expect(documents.map((vector) => vector.length)).toEqual([512, 512, 512]);
    expect(float32(documents)).toEqual(float32(expected));
  });

  it("its default model name, text-embedding-ada-002, is answered by use-lite", async () => {
    const expected = await appVectors("use-lite", ["cat"]);
    const model = new OpenAIEmbeddings({ apiKey: "not-needed", configuration: { baseURL: `${app.url}/v1` } });
    expect(float32([await model.embedQuery("cat")])).toEqual(float32(expected));
  });

  it("a text the model cannot read fails with status 400, not retried", async () => {
    const counter = countingFetch();
    const error = await embeddings("use-lite", counter.fetch).embedDocuments(["cat", "猫"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(400);
    expect((error as Error).message).toMatch(/use-lite cannot read "猫"/);
    expect(counter.requests).toBe(1);
  });
});
