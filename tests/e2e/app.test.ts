import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * The built app over real HTTP: `next build`, `next start` on a free port with an empty embedded
 * database (migrated on first request), then the API and the home page in headless Chromium.
 */

const chromiumPath = "/usr/bin/chromium";
const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the browser check of the home page is skipped.`);

let app: AppServer;

beforeAll(async () => {
  buildApp();
  app = await startApp();
}, 300_000);

afterAll(async () => app?.stop());

async function post(route: string, body: unknown) {
  const response = await fetch(`${app.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe("the built app over HTTP", () => {
  it("POST /api/embed with cat and dog returns two 512-dimensional unit vectors", async () => {
    const { status, body } = await post("/api/embed", { texts: ["cat", "dog"] });
    expect(status).toBe(200);
    expect(body.model).toBe("use-lite");
    expect(body.dims).toBe(512);
    for (const vector of body.vectors as number[][]) {
      expect(vector).toHaveLength(512);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
  });

  it("answers bad input with 400 and the one error shape", async () => {
    const response = await fetch(`${app.url}/api/similarity`, { method: "POST", body: "{not json" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = await response.json();
    expect(body).toEqual({ error: { code: "bad_request:body", message: expect.stringMatching(/not valid JSON/) } });
  });

  it("searches what was embedded before, through pgvector", async () => {
    await post("/api/embed", { texts: ["kitten", "lorry", "violin"] });
    const { status, body } = await post("/api/search", { query: "cat", k: 2 });
    expect(status).toBe(200);
    expect(body.results.map((result: { text: string }) => result.text)).toContain("kitten");
  });

  it("serves the home page with a text box and a model picker", async () => {
    const html = await (await fetch(app.url)).text();
    expect(html).toContain("<textarea");
    expect(html).toMatch(/<select[^>]*id="model"/);
    expect(html).toContain("glove-100d");
  });

  it.skipIf(!hasChromium)("home page in Chromium: Compare shows the similarity matrix of the typed words", async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
      await page.goto(app.url);
      await page.getByLabel("Words or sentences, one per line").fill("cat\ndog\ntruck");
      await page.getByRole("button", { name: "Compare" }).click();
      await page.getByRole("heading", { name: /Most similar pairs/ }).waitFor();
      const cells = await page.locator("table.matrix tbody td").allTextContents();
      expect(cells).toHaveLength(9);
      const pairs = await page.locator("ol.pairs li").allTextContents();
      expect(pairs[0]).toMatch(/cat ↔ dog/);
      fs.mkdirSync("screenshots", { recursive: true });
      await page.screenshot({ path: path.join("screenshots", "home.png"), fullPage: true });
    } finally {
      await browser?.close();
    }
  });
});
