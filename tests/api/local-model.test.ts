import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyModelDims, tinyModelFiles } from "@/scripts/make-tiny-onnx-model";
import { startFakeModelHub, type FakeModelHub } from "../support/fake-model-hub";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

// A local: model through the whole API, its files downloaded from a local server laid out like the hub.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-api-"));
const modelsDir = path.join(dataDir, "models");
let hub: FakeModelHub;

let routes: {
  embed: typeof import("@/app/api/embed/route");
  similarity: typeof import("@/app/api/similarity/route");
  models: typeof import("@/app/api/models/route");
  closeDatabase: () => Promise<void>;
};

interface ListedModel {
  id: string;
  dims: number | null;
  available: boolean;
  local: boolean;
  download?: { state: string };
}

beforeAll(async () => {
  hub = await startFakeModelHub({ "test/tiny": tinyModelFiles() });
  Object.assign(process.env, { PGLITE_DIR: path.join(dataDir, "pglite"), MODELS_DIR: modelsDir, MODEL_DOWNLOADS: "1", HF_ENDPOINT: hub.url });
  delete process.env.DATABASE_URL;
  routes = {
    embed: await import("@/app/api/embed/route"),
    similarity: await import("@/app/api/similarity/route"),
    models: await import("@/app/api/models/route"),
    closeDatabase: (await import("@/lib/db/client")).closeDatabase,
  };
});

afterAll(async () => {
  await routes?.closeDatabase();
  await hub?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function listModels(): Promise<ListedModel[]> {
  const { body } = await readJson<{ models: ListedModel[] }>(await routes.models.GET(new Request("http://localhost/api/models"), {}));
  return body.models;
}

describe("a local: model through the API", () => {
  const model = "local:test/tiny";

  it("lists the known local models as available when downloads are allowed", async () => {
    const listed = await listModels();
    expect(listed.find((entry) => entry.id === "local:Xenova/multilingual-e5-small")).toMatchObject({
      dims: 384,
      local: true,
      available: true,
      download: { state: "absent" },
    });
  });

  it("downloads the model on the first POST /api/embed and answers its vectors", async () => {
    const { status, body } = await readJson<{ model: string; dims: number; vectors: number[][] }>(
      await routes.embed.POST(jsonRequest("/api/embed", { model, texts: ["cat", "kitten", "truck"] }), {}),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ model, dims: tinyModelDims });
    expect(fs.existsSync(path.join(modelsDir, "test", "tiny", "onnx", "model.onnx"))).toBe(true);
    expect((await listModels()).find((entry) => entry.id === model)).toMatchObject({ dims: tinyModelDims, available: true, download: { state: "ready" } });
  });

  it("answers similarity: cat is nearer kitten than truck", async () => {
    const { status, body } = await readJson<{ matrix: number[][] }>(
      await routes.similarity.POST(jsonRequest("/api/similarity", { model, texts: ["cat", "kitten", "truck"] }), {}),
    );
    expect(status).toBe(200);
    expect(body.matrix[0][1]).toBeGreaterThan(body.matrix[0][2]);
  });

  it("answers 503 naming the file and the hub's URL when the hub lacks a file, and stores nothing", async () => {
    const files = tinyModelFiles();
    delete files["tokenizer_config.json"];
    hub.put("test/incomplete", files);
    const response = await routes.embed.POST(jsonRequest("/api/embed", { model: "local:test/incomplete", texts: ["never stored"] }), {});
    const { status, body } = await readJson<ErrorReply>(response);
    expect(status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("10");
    expect(body.error.code).toBe("unavailable:model");
    expect(body.error.message).toContain(`${hub.url}/test/incomplete/resolve/main/tokenizer_config.json answered 404`);
    const { getDatabase } = await import("@/lib/db/client");
    const db = await getDatabase();
    expect(await db.prisma.embedding.count({ where: { text: "never stored" } })).toBe(0);
  });

  it("refuses a malformed local: id with 400", async () => {
    const { status, body } = await readJson<ErrorReply>(
      await routes.embed.POST(jsonRequest("/api/embed", { model: "local:../secrets", texts: ["cat"] }), {}),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:model");
  });
});
