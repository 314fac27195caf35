import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromiumPath, hasChromium, launchChromium } from "../support/chromium";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * The built app over real HTTP: `next build`, the production server (`npm start`) on a free port with an empty embedded
 * database (migrated at start), then the API, and the notebook in headless Chromium. Screenshots
 * of the main views go to screenshots/ (not committed) for people to look at.
 */

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the browser tests of the notebook are skipped.`);
const screenshots = "screenshots";

let app: AppServer;

beforeAll(async () => {
  await buildApp();
  // 5,000 words keep the one-time vocabulary load in pgvector to seconds (queen is word 1,949).
  app = await startApp({ GLOVE_VOCABULARY_SIZE: "5000" });
}, 300_000);

afterAll(async () => app?.stop());

// A failing test shows what the server said: the reason for a 500 is only in its log.
afterEach(({ task }) => {
  if (task.result?.state === "fail") console.error(`--- server output ---\n${app?.output().slice(-4000)}`);
});

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

  it("answers a path with a malformed percent-escape with 400, not a server error", async () => {
    for (const path of ["/s/%", "/api/explorations/%ZZ"]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(400);
      expect((await response.json()).error.code).toBe("bad_request:url");
    }
    expect((await fetch(`${app.url}/s/%41BC`)).status).toBe(404); // a well-formed escape goes on to the app
  });

  it("searches what was embedded before, through pgvector", async () => {
    await post("/api/embed", { texts: ["kitten", "lorry", "violin"] });
    const { status, body } = await post("/api/search", { query: "cat", k: 2 });
    expect(status).toBe(200);
    expect(body.results.map((result: { text: string }) => result.text)).toContain("kitten");
  });

  it("serves the home page with a way to a new notebook and the examples", async () => {
    const html = await (await fetch(app.url)).text();
    expect(html).toContain('href="/new"');
    expect(html).toContain("/new?example=animals-and-vehicles");
  });

  it("server-renders a share page with the title and the words for readers without JavaScript", async () => {
    const { body } = await post("/api/explorations", {
      title: "Server <rendered>",
      items: ["cat", "dog", "animal", "pet", "car"].map((text) => ({ text })),
    });
    const html = await (await fetch(body.url)).text();
    expect(html).toContain("Server &lt;rendered&gt;");
    for (const word of ["cat", "dog", "animal", "pet", "car"]) expect(html).toContain(`>${word}<`);
    expect(html).toMatch(/<meta name="description" content="5 items embedded with use-lite: cat, dog, animal, pet, car"/);
    expect((await fetch(`${app.url}/s/AAAAAAAAAAAAAAAA`)).status).toBe(404);
  });
});

describe.skipIf(!hasChromium)("the notebook in Chromium", () => {
  let browser: Browser;
  let editor: Page;
  let shareUrl: string;
  let savedPoints: [number, number][];
  const words = ["cat", "dog", "animal", "pet", "car", "truck", "banana"];

  beforeAll(async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
    editor = await (await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })).newPage();
  });

  afterAll(async () => browser?.close());

  async function mapPoints(page: Page, count: number): Promise<[number, number][]> {
    await page.locator("circle[data-index]").nth(count - 1).waitFor();
    expect(await page.locator("circle[data-index]").count()).toBe(count);
    return JSON.parse((await page.locator(".map-cell").first().getAttribute("data-points"))!);
  }

  it("typing seven words and pressing Run draws seven labelled points, cat nearer dog than truck", async () => {
    await editor.goto(`${app.url}/new`);
    await editor.getByLabel("Title").fill("Seven words");
    await editor.locator("#items").fill(words.join("\n"));
    await editor.getByRole("button", { name: "Run", exact: true }).click();
    const points = await mapPoints(editor, 7);
    const labels = await editor.locator("text.map-label").allTextContents();
    expect(new Set(labels)).toEqual(new Set(words));
    const at = (word: string) => points[words.indexOf(word)];
    const distance = (a: [number, number], b: [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
    expect(distance(at("cat"), at("dog"))).toBeLessThan(distance(at("cat"), at("truck")));
    await editor.screenshot({ path: path.join(screenshots, "notebook-run.png"), fullPage: true });
  });

  it("Save & share gives a share link; a fresh browser sees the same coordinates and no edit controls", async () => {
    savedPoints = await mapPoints(editor, 7);
    await editor.getByRole("button", { name: "Save & share" }).click();
    shareUrl = await editor.getByTestId("share-url").inputValue();
    expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{16}$/);
    expect(editor.url()).toMatch(/\/s\/[A-Za-z0-9_-]{16}\/edit#key=/);

    const reader = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await reader.goto(shareUrl);
    expect(await mapPoints(reader, 7)).toEqual(savedPoints);
    await expect(reader.getByRole("heading", { name: "Seven words" }).count()).resolves.toBe(1);
    expect(await reader.locator("#items").count()).toBe(0);
    expect(await reader.getByRole("button", { name: "Run", exact: true }).count()).toBe(0);
    expect(await reader.getByRole("button", { name: /Save/ }).count()).toBe(0);
    expect(await reader.getByRole("button", { name: "Fork to edit" }).count()).toBe(1);
    await reader.screenshot({ path: path.join(screenshots, "share-view.png"), fullPage: true });
    await reader.context().close();
  });

  it("adding a word places it on the map without moving the old points", async () => {
    await editor.locator("#items").fill([...words, "kitten"].join("\n"));
    await editor.getByRole("button", { name: "Run", exact: true }).click();
    const points = await mapPoints(editor, 8);
    expect(points.slice(0, 7)).toEqual(savedPoints);
    await editor.screenshot({ path: path.join(screenshots, "notebook-added.png"), fullPage: true });
  });

  it("the exported SVG holds every label", async () => {
    const [file] = await Promise.all([editor.waitForEvent("download"), editor.getByRole("button", { name: "SVG", exact: true }).first().click()]);
    const svg = fs.readFileSync((await file.path())!, "utf8");
    expect(svg.startsWith("<svg") || svg.startsWith("<?xml")).toBe(true);
    for (const word of [...words, "kitten"]) expect(svg).toContain(`>${word}<`);
  });

  it("the story notebook: tokens, then retrieval over the example collection with the augmented prompt", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${app.url}/new?example=text-to-retrieval`);
    await page.locator(".token-list .token").first().waitFor();
    expect(await page.locator(".token-list .token").count()).toBeGreaterThan(5);
    await page.getByRole("button", { name: "Retrieve", exact: true }).click();
    await page.locator(".retrieved li").first().waitFor({ timeout: 60_000 });
    expect(await page.locator(".retrieved li").count()).toBe(4);
    expect(await page.locator(".retrieved-source").first().textContent()).toMatch(/gear/i);
    const prompt = await page.locator("textarea.prompt").inputValue();
    expect(prompt).toContain("[1] ");
    expect(prompt).toContain("Question: Why do cyclists shift to a bigger rear sprocket when climbing?");
    const chunks = await page.locator(".retrieve-cell circle[data-index]").count();
    expect(chunks).toBeGreaterThan(20);
    // Hybrid by default: each chunk says where it stood on both sides, with the question's words marked.
    const firstReasons = page.locator(".retrieved li .hit-reasons").first();
    expect(await firstReasons.textContent()).toMatch(/meaning #\d+ · cosine 0\.\d{3}.*words #\d+ · BM25 \d+\.\d{2}/);
    expect((await page.locator(".retrieved li").first().locator("mark").allTextContents()).map((word) => word.toLowerCase())).toContain("rear");
    await page.locator(".retrieve-cell").screenshot({ path: path.join(screenshots, "retrieve-cell.png") });
    await page.getByLabel("Search by").selectOption("keyword");
    await page.getByRole("button", { name: "Retrieve", exact: true }).click();
    await expect.poll(async () => (await page.locator(".retrieved li .hit-reasons").allTextContents()).every((text) => /^words #\d+/.test(text)), { timeout: 60_000 }).toBe(true);
    expect(await page.locator(".retrieved li .hit-vector").count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, "story-notebook.png"), fullPage: true });
    await page.context().close();
  }, 120_000);

  it("user text carrying XSS payloads shows as harmless text on the share page", async () => {
    const payload = `<img src=x onerror="window.__xss=1">`;
    const { body } = await post("/api/explorations", {
      title: `Title ${payload}`,
      items: [
        { text: `<script>window.__xss=2</script>`, group: `<b onmouseover="window.__xss=3">group</b>` },
        { text: payload },
        { text: "cat" },
        { text: "dog" },
      ],
      cells: [
        { id: "note", type: "note", markdown: `Note <script>window.__xss=4</script> [link](javascript:window.__xss=5) ${payload}` },
        { id: "map", type: "map", method: "pca", params: {} },
      ],
    });
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    const response = await page.goto(body.url);
    expect(response!.headers()["content-security-policy"]).toContain("default-src 'self'");
    expect(response!.headers()["x-content-type-options"]).toBe("nosniff");
    await page.locator("circle[data-index]").nth(3).waitFor();
    await page.locator(".map-cell circle[data-index]").first().hover();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("h1").textContent()).toBe(`Title ${payload}`);
    expect(await page.locator(".item-list").textContent()).toContain("<script>window.__xss=2</script>");
    expect(await page.locator(".markdown").textContent()).toContain("<script>window.__xss=4</script>");
    expect(await page.locator(".markdown a[href^='javascript']").count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, "xss-share.png"), fullPage: true });
    await page.context().close();
  });

  it("the Chinese example runs offline: 猫 sits with 宠物 and 动物, and its share page and SVG keep the Chinese", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })).newPage();
    await page.goto(`${app.url}/new?example=essay-zh`);
    await mapPoints(page, 7);
    const neighbours = page.locator(".neighbour-columns .score-list").first();
    await neighbours.locator("li").first().waitFor();
    const nearest = await neighbours.locator(".score-text").allTextContents();
    expect(nearest).toHaveLength(3);
    expect(nearest.some((text) => text === "宠物" || text === "动物")).toBe(true);
    expect(await page.locator(".reading-note").count()).toBe(0);
    const labels = await page.locator("text.map-label").allTextContents();
    expect(new Set(labels)).toEqual(new Set(["猫", "动物", "宠物", "汽车", "卡车", "香蕉", "cat"]));
    await page.screenshot({ path: path.join(screenshots, "example-chinese.png"), fullPage: true });

    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "SVG", exact: true }).first().click()]);
    const svg = fs.readFileSync((await file.path())!, "utf8");
    for (const word of ["猫", "宠物", "香蕉"]) expect(svg).toContain(`>${word}<`);

    await page.getByRole("button", { name: "Save & share" }).click();
    const url = await page.getByTestId("share-url").inputValue();
    const reader = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await reader.goto(url);
    await mapPoints(reader, 7);
    expect(await reader.getByRole("heading", { name: "从文字到向量：猫、动物、宠物" }).count()).toBe(1);
    expect(await reader.locator(".item-list").textContent()).toContain("香蕉");
    await reader.screenshot({ path: path.join(screenshots, "share-chinese.png"), fullPage: true });
    await Promise.all([reader.context().close(), page.context().close()]);
  }, 120_000);

  it("use-lite refuses the essay's six words by name on the cells, and one click runs them on a model that reads them", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${app.url}/new`);
    await page.locator("#items").fill(["猫", "动物", "宠物", "汽车", "卡车", "香蕉", "cat", "dog"].join("\n"));
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const note = page.locator(".reading-note").first();
    await note.waitFor();
    expect(await note.textContent()).toMatch(/use-lite cannot read 6 items: “猫”, “动物”, “宠物”, “汽车”, “卡车”, “香蕉”/);
    // The readable items are still drawn; the map, heatmap and neighbours cells each carry the note.
    await mapPoints(page, 2);
    const vectorCells = page.locator('section.cell[aria-label="Map"], section.cell[aria-label="Similarity"], section.cell[aria-label="Neighbours"]');
    expect(await vectorCells.count()).toBeGreaterThan(0);
    expect(await page.locator("section.cell .reading-note").count()).toBe(await vectorCells.count());
    await page.screenshot({ path: path.join(screenshots, "unreadable-note.png"), fullPage: true });
    await note.getByRole("button", { name: "Use cedict-glove-100d" }).click();
    await mapPoints(page, 8);
    expect(await page.locator(".reading-note").count()).toBe(0);
    expect(await page.getByLabel("Model").inputValue()).toBe("cedict-glove-100d");
    await page.context().close();
  }, 120_000);

  it("a cell edited while a run is under way keeps the edit when the run ends", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    // Hold the run's map request until the note is edited, so the edit lands mid-run.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/project", async (route) => (await released, route.continue()));
    const mapRequested = page.waitForRequest("**/api/project");
    await page.goto(`${app.url}/new?example=animals-and-vehicles`);
    await mapRequested;
    await page.getByRole("button", { name: "Edit note" }).first().click();
    const note = page.getByLabel("Note (markdown)");
    await note.fill("Edited during the first run.");
    release();
    await mapPoints(page, 13);
    expect(await note.inputValue()).toBe("Edited during the first run.");
    await page.context().close();
  }, 120_000);

  it("an example notebook opens and runs: analogy king − man + woman answers queen", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme: "dark" })).newPage();
    await page.goto(`${app.url}/new?example=royal-analogies`);
    await page.locator(".map-cell[data-points]").waitFor();
    await page.getByRole("button", { name: "Solve" }).click();
    // The first analogy loads GloVe's vocabulary into pgvector (once): the cell retries until it is there.
    await page.locator(".analogy li").first().waitFor({ timeout: 120_000 });
    expect(await page.locator(".analogy li .score-text").first().textContent()).toBe("queen");
    await page.screenshot({ path: path.join(screenshots, "example-analogy-dark.png"), fullPage: true });
    await page.context().close();
  }, 150_000);
  it("the Chinese example's next-token cell puts 会 on top, and Generate grows the text", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${app.url}/new?example=essay-zh`);
    const cell = page.locator(".next-token-cell");
    const bars = cell.locator(".next-token-bars .next-token-text");
    await bars.first().waitFor({ timeout: 60_000 });
    expect(await bars.first().textContent()).toBe("会");
    expect(await cell.locator(".next-token-context li").allTextContents()).toEqual(["人工", "智能", "的", "未来", "将"]);
    expect(await cell.textContent()).toContain("n-gram model, not a neural LLM");
    const text = cell.getByLabel("Text so far");
    await cell.getByRole("button", { name: "Generate 5" }).click();
    await cell.locator(".next-token-growing mark").waitFor();
    const grown = await text.inputValue();
    expect(grown.startsWith("人工智能的未来将会")).toBe(true);
    expect(grown.length).toBeGreaterThan("人工智能的未来将会".length);
    // The distribution follows the grown text: its context now ends in the generated tokens.
    await cell.locator(".next-token-context li.generated").first().waitFor();
    await cell.screenshot({ path: path.join(screenshots, "next-token-cell.png") });
    await page.context().close();
  }, 120_000);
  it("the tokens cell compares LLM tokenizers on the essay's sentence, and prompts and documents show their token counts", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${app.url}/new?example=essay-zh`);
    const cell = page.locator(".tokens-cell").first();
    const row = (tokenizer: string) => cell.locator(`.tokenizer-row[data-tokenizer="${tokenizer}"]`);
    await row("qwen3").locator(".token").first().waitFor({ timeout: 60_000 });
    expect(await row("o200k_base").locator(".token-text").allTextContents()).toEqual(["人工", "智能", "的", "未来", "将"]);
    expect(await row("o200k_base").locator(".token-count").textContent()).toMatch(/^5 tokens · .* of a 32k, .* of a 128k, .* of a 2M context window$/);
    expect(await row("qwen3").locator(".token-text").allTextContents()).toEqual(["人工智能", "的", "未来", "将"]);
    const cl100k = await row("cl100k_base").locator(".token-text").allTextContents();
    expect(cl100k).toHaveLength(9);
    expect(cl100k.slice(2, 4)).toEqual(["<e6 99>", "<ba>"]);
    await row("model").locator(".token").first().waitFor({ timeout: 60_000 });
    // Add GPT-2 to the comparison: 14 tokens for the same eight characters.
    // A run replaces the cells when it ends (useNotebook): change one only after the first run has drawn the map.
    await mapPoints(page, 7);
    await cell.getByLabel("Compare with").selectOption("gpt2");
    await row("gpt2").locator(".token").nth(13).waitFor();
    expect(await row("gpt2").locator(".token").count()).toBe(14);
    await cell.screenshot({ path: path.join(screenshots, "tokens-compare-chinese.png") });

    await page.goto(`${app.url}/new?example=text-to-retrieval`);
    await page.getByRole("button", { name: "Retrieve", exact: true }).click();
    const promptCount = page.locator(".prompt-token-count");
    await expect.poll(() => promptCount.textContent(), { timeout: 60_000 }).toMatch(/^[\d,]+ tokens \(o200k_base\) of a 128k window: /);
    await page.locator(".prompt-tokens").getByLabel("Tokenizer").selectOption("qwen3");
    await expect.poll(() => promptCount.textContent(), { timeout: 60_000 }).toMatch(/^[\d,]+ tokens \(qwen3\) of a 128k window: /);
    await page.locator(".retrieve-cell").screenshot({ path: path.join(screenshots, "retrieve-prompt-tokens.png") });

    await page.goto(`${app.url}/collections/example`);
    const counts = page.locator("td.document-tokens");
    await counts.first().waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await counts.allTextContents()).every((text) => /^[\d,]+$/.test(text)), { timeout: 60_000 }).toBe(true);
    await page.screenshot({ path: path.join(screenshots, "collection-token-counts.png"), fullPage: true });
    await page.context().close();
  }, 150_000);
});
