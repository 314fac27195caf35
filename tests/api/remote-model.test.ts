import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHfInferenceServer, type HfInferenceServer } from "../support/hf-inference-server";
import { jsonRequest, readJson } from "../support/routes";

// An hf: model through the whole API, against a local server that speaks the inference protocol.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-remote-"));
let server: HfInferenceServer;

let routes: {
  embed: typeof import("@/app/api/embed/route");
  search: typeof import("@/app/api/search/route");
  models: typeof import("@/app/api/models/route");
  closeDatabase: () => Promise<void>;
};

beforeAll(async () => {
  server = await startHfInferenceServer({ dims: 384, token: "hf_test_token" });
  Object.assign(process.env, { PGLITE_DIR: dataDir, HF_ENDPOINT_URL: server.embedUrl, HF_TOKEN: "hf_test_token" });
  delete process.env.DATABASE_URL;
  routes = {
    embed: await import("@/app/api/embed/route"),
    search: await import("@/app/api/search/route"),
    models: await import("@/app/api/models/route"),
    closeDatabase: (await import("@/lib/db/client")).closeDatabase,
  };
});

afterAll(async () => {
  await routes?.closeDatabase();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("an hf: model through the API", () => {
  const model = "hf:sentence-transformers/all-MiniLM-L6-v2";

  it("embeds over HTTP with the token, stores the vectors and learns the dimension", async () => {
    const { status, body } = await readJson<{ dims: number; vectors: number[][] }>(
      await routes.embed.POST(jsonRequest("/api/embed", { model, texts: ["cat", "dog", "cat"] }), {}),
    );
    expect(status).toBe(200);
    expect(body.dims).toBe(384);
    expect(body.vectors[0]).toEqual(body.vectors[2]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].authorization).toBe("Bearer hf_test_token");
    expect(server.requests[0].body).toMatchObject({ inputs: ["cat", "dog"] });

    const listed = await readJson<{ models: { id: string; dims: number | null; available: boolean }[] }>(
      await routes.models.GET(new Request("http://localhost/api/models"), {}),
    );
    expect(listed.body.models.find((entry) => entry.id === model)).toMatchObject({ dims: 384, available: true });
  });

  it("answers the same texts from the database without calling the server again", async () => {
    const before = server.requests.length;
    const { status } = await routes.embed.POST(jsonRequest("/api/embed", { model, texts: ["dog", "cat"] }), {});
    expect(status).toBe(200);
    expect(server.requests).toHaveLength(before);
  });

  it("searches the model's texts through the HNSW index made for its dimension", async () => {
    const { status, body } = await readJson<{ results: { text: string }[] }>(
      await routes.search.POST(jsonRequest("/api/search", { model, query: "cat", k: 5 }), {}),
    );
    expect(status).toBe(200);
    expect(body.results.map((result) => result.text)).toEqual(["dog"]);
  });

  it("passes an upstream outage on as 503 and writes nothing", async () => {
    server.script({ status: 503 }, { status: 503 }, { status: 503 });
    const response = await routes.embed.POST(jsonRequest("/api/embed", { model, texts: ["never stored"] }), {});
    expect(response.status).toBe(503);
    const { getDatabase } = await import("@/lib/db/client");
    const db = await getDatabase();
    expect(await db.prisma.embedding.count({ where: { text: "never stored" } })).toBe(0);
  });
});
