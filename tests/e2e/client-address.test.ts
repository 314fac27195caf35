import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * Rate limits per client against the production server: a client that sends a different
 * X-Forwarded-For with every request is still one client, because the server (scripts/serve.mjs)
 * tells clients apart by their socket address.
 */
let app: AppServer;

beforeAll(async () => {
  await buildApp();
  app = await startApp({ RATE_LIMIT_COMPUTE_PER_MINUTE: "3" });
}, 600_000);

afterAll(async () => app?.stop());

async function similarityAs(forwardedFor: string): Promise<number> {
  const response = await fetch(`${app.url}/api/similarity`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor, "x-notebook-socket-address": forwardedFor },
    body: JSON.stringify({ model: "glove-100d", texts: ["cat", "dog"] }),
  });
  await response.body?.cancel();
  return response.status;
}

describe("per-client rate limits behind the production server", () => {
  it("counts a client that rotates X-Forwarded-For (and forges the socket header) as one client", async () => {
    const statuses = [];
    for (let i = 1; i <= 5; i++) statuses.push(await similarityAs(`198.51.100.${i}`));
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
