import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumPath, hasChromium, launchChromium } from "../support/chromium";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * The collections pages in headless Chromium, over a production build with an empty embedded
 * database: create a private collection, upload markdown files with progress and per-file
 * results, find a duplicate, search, delete a document, open it with and without a key, follow
 * a large upload job across a reload and cancel it, delete the collection.
 * Screenshots go to screenshots/ (not committed).
 * The build is shared with the other e2e files (buildApp builds once, under a lock).
 */

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the browser tests of the collections pages are skipped.`);
const screenshots = "screenshots";

const beesText = [
  "# Honey bees",
  "Worker bees fly from flower to flower collecting nectar, a sugary liquid, and carry it home in a special honey stomach.",
  "In the hive, house bees pass the nectar from mouth to mouth and add enzymes that split its sugars. They spread it in wax cells and fan their wings until most of the water evaporates: the nectar has become honey.",
  "The bees cap each full cell with a lid of wax. A colony stores honey to eat through the winter, when no flowers bloom.",
].join("\n\n");
const volcanoText = [
  "# Volcanoes",
  "Deep underground, rock melts into magma. Magma is lighter than the solid rock around it, so it rises through cracks in the crust.",
  "When gas pressure builds up, the volcano erupts: lava flows down its sides and clouds of ash and gas shoot into the sky.",
].join("\n\n");
const markdownFile = (name: string, text: string) => ({ name, mimeType: "text/markdown", buffer: Buffer.from(text) });


describe.skipIf(!hasChromium)("the collections pages in Chromium", () => {
  let app: AppServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let collectionUrl: string;
  let readKey: string;
  let writeKey: string;

  beforeAll(async () => {
    await buildApp();
    app = await startApp();
    fs.mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
    owner = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await owner.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  // A failing test shows what the server said: the reason for a 500 is only in its log.
  afterEach(({ task }) => {
    if (task.result?.state === "fail") console.error(`--- server output ---\n${app?.output().slice(-4000)}`);
  });

  async function uploadResult(name: string) {
    const row = page.locator(".upload-result", { has: page.locator(".upload-file", { hasText: name }) });
    return { status: await row.getAttribute("data-status"), text: (await row.locator(".upload-outcome").textContent()) ?? "" };
  }

  async function waitForUploadEnd(total: number) {
    await page.getByTestId("upload-progress").filter({ hasText: `${total} of ${total} document` }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Clear" }).waitFor();
  }

  it("creating a private collection shows the read and write keys once, saved in this browser", async () => {
    await page.goto(`${app.url}/collections`);
    await page.getByLabel("Name").fill("Field notes");
    expect(await page.getByLabel("Public").isChecked()).toBe(false);
    await page.getByLabel("Chunk size").fill("300");
    await page.getByLabel("Overlap").fill("50");
    await page.getByRole("button", { name: "Create collection" }).click();

    readKey = await page.getByTestId("read-key").inputValue();
    writeKey = await page.getByTestId("write-key").inputValue();
    expect(readKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(writeKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await page.getByRole("note").textContent()).toContain("they are not shown again");
    const saved = await page.evaluate(() => window.localStorage.getItem("embeddings-notebook.collections"));
    expect(saved).toContain(writeKey);
    expect(saved).toContain(readKey);
    await page.screenshot({ path: path.join(screenshots, "collections-created.png"), fullPage: true });

    await page.getByRole("link", { name: "Open the collection" }).click();
    await page.getByRole("heading", { name: "Field notes", level: 1 }).waitFor();
    collectionUrl = page.url();
    expect(collectionUrl).toMatch(/\/collections\/[A-Za-z0-9_-]{16}$/);
    expect(await page.getByText("Write key: you can add and delete documents").count()).toBe(1);
  });

  it("uploading two markdown files runs the progress bar to the end and names the chunks each made", async () => {
    await page.getByLabel("Choose files").setInputFiles([markdownFile("bees.md", beesText), markdownFile("volcano.md", volcanoText)]);
    await waitForUploadEnd(2);
    const progress = page.locator(".upload-status progress");
    expect(await progress.getAttribute("value")).toBe(await progress.getAttribute("max"));

    const bees = await uploadResult("bees.md");
    const volcano = await uploadResult("volcano.md");
    expect(bees.status).toBe("added");
    expect(volcano.status).toBe("added");
    const beesChunks = Number(/(\d+) chunks?/.exec(bees.text)?.[1]);
    expect(beesChunks).toBeGreaterThan(1);
    expect(volcano.text).toMatch(/added · \d+ chunks?/);

    await expect.poll(() => page.getByTestId("document-count").textContent()).toBe("2");
    const beesRow = page.locator(".documents tbody tr", { hasText: "Honey bees" });
    expect(await beesRow.locator("td.document-chunks").textContent()).toBe(String(beesChunks));
    // Token counts arrive after the table: a number once counted. The first count loads the
    // o200k vocabulary, which takes seconds on a busy machine.
    await expect.poll(() => beesRow.locator("td.document-tokens").textContent(), { timeout: 60_000 }).toMatch(/^\d[\d,]*$/);
    expect(await beesRow.textContent()).toContain("bees.md");
    await page.screenshot({ path: path.join(screenshots, "collection-uploaded.png"), fullPage: true });
  });

  it("uploading the same file again reports it as already there and adds nothing", async () => {
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Choose files").setInputFiles([markdownFile("bees.md", beesText)]);
    await waitForUploadEnd(1);
    const again = await uploadResult("bees.md");
    expect(again.status).toBe("duplicate");
    expect(again.text).toContain("already there");
    expect(await page.getByTestId("document-count").textContent()).toBe("2");
  });

  it("search puts the passage from the right file first, and a metadata filter narrows it", async () => {
    await page.getByLabel("Question or phrase").fill("How do bees turn nectar into honey?");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const first = page.locator(".search-results li").first();
    await first.waitFor();
    expect(await first.locator(".result-document").textContent()).toBe("Honey bees");
    // Hybrid by default: a rank on both sides, the question's words marked in the passage.
    expect(await first.locator(".hit-reasons").textContent()).toMatch(/meaning #\d+ · cosine 0\.\d{3}.*words #\d+ · BM25/);
    expect((await first.locator("mark").allTextContents()).map((word) => word.toLowerCase())).toEqual(expect.arrayContaining(["bees", "nectar", "honey"]));
    await page.getByLabel("Search by").selectOption("vector");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => first.locator(".hit-reasons").textContent()).not.toContain("BM25");
    expect(Number(await first.locator(".score").textContent())).toBeGreaterThan(0.3);
    await page.getByLabel("Search by").selectOption("hybrid");

    await page.getByLabel("Filter").fill("filename=volcano.md");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => page.locator(".search-results li").first().locator(".result-document").textContent()).toBe("Volcanoes");
    expect(await page.locator(".search-results .result-document", { hasText: "Honey bees" }).count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, "collection-search.png"), fullPage: true });
  });

  it("deleting a document asks first, then removes it and its chunks", async () => {
    await page.getByRole("button", { name: "Delete Volcanoes" }).click();
    expect(await page.locator(".documents tbody tr").count()).toBe(2);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => page.locator(".documents tbody tr").count()).toBe(1);
    expect(await page.getByTestId("document-count").textContent()).toBe("1");
    expect(await page.locator(".documents tbody tr").first().textContent()).toContain("Honey bees");
  });

  it("without a key the page says it needs one; the read key opens it for search only", async () => {
    const stranger = await browser.newContext({ viewport: { width: 1200, height: 800 }, colorScheme: "dark" });
    const visitor = await stranger.newPage();
    await visitor.goto(collectionUrl);
    await visitor.getByRole("heading", { name: "This collection needs a key" }).waitFor();
    expect(await visitor.locator(".documents").count()).toBe(0);
    await visitor.screenshot({ path: path.join(screenshots, "collection-needs-key-dark.png"), fullPage: true });

    await visitor.getByRole("textbox", { name: "Key" }).fill("not-the-key");
    await visitor.getByRole("button", { name: "Open" }).click();
    await visitor.getByRole("heading", { name: "This key does not open the collection" }).waitFor();
    expect(await visitor.locator(".collection-locked").getByRole("alert").textContent()).toContain("This key does not open this collection");

    await visitor.getByRole("textbox", { name: "Key" }).fill(readKey);
    await visitor.getByRole("button", { name: "Open" }).click();
    await visitor.getByRole("heading", { name: "Field notes", level: 1 }).waitFor();
    expect(await visitor.getByText("Read key: you can list and search").count()).toBe(1);
    expect(await visitor.getByRole("heading", { name: "Add documents" }).count()).toBe(0);
    expect(await visitor.getByRole("button", { name: "Delete Honey bees" }).count()).toBe(0);
    await visitor.screenshot({ path: path.join(screenshots, "collection-read-key-dark.png"), fullPage: true });
    await stranger.close();
  });

  it("a #key= link opens the collection with that key, saves it and drops it from the address bar", async () => {
    const other = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const tab = await other.newPage();
    await tab.goto(`${collectionUrl}#key=${writeKey}`);
    await tab.getByRole("heading", { name: "Add documents" }).waitFor();
    expect(new URL(tab.url()).hash).toBe("");
    expect(await tab.evaluate(() => window.localStorage.getItem("embeddings-notebook.collections"))).toContain(writeKey);
    await other.close();
  });

  it("a large upload runs as a job on the server: its bar counts chunks, it survives a reload, and Cancel keeps what it stored", async () => {
    const topics = ["tides", "glaciers", "orchards", "bridges", "lighthouses", "moths", "kilns", "canals"];
    const paragraph = (file: number, part: number) =>
      `Report ${file}, part ${part}: the survey of ${topics[(file + part) % topics.length]} in district ${file} found ${part + 3} sites worth a second visit, ` +
      `each described with its access road, the season it is best seen in, and the people who keep it in order.`;
    const files = Array.from({ length: 300 }, (_, file) => markdownFile(`report-${file}.md`, [0, 1, 2, 3].map((part) => paragraph(file, part)).join("\n\n")));
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Choose files").setInputFiles(files);
    const progressText = page.getByTestId("upload-progress");
    await progressText.filter({ hasText: /of 300 documents · [\d,]+ of [\d,]+ chunks/ }).waitFor({ timeout: 60_000 });
    // The first stored documents (the model may still be loading): then there is something to keep.
    await page.locator('.upload-result[data-status="added"]').first().waitFor({ timeout: 120_000 });
    await page.screenshot({ path: path.join(screenshots, "collection-upload-job.png"), fullPage: true });

    // The job goes on on the server: after a reload the page finds it and follows it.
    await page.reload();
    await progressText.filter({ hasText: "of 300 documents" }).waitFor({ timeout: 60_000 });
    const fraction = Number(await page.locator(".upload-status progress").getAttribute("value"));
    expect(fraction).toBeLessThan(1);
    expect(await page.locator(".upload-result").count()).toBe(300);
    expect(await page.locator(".upload-result .upload-file").first().textContent()).toBe("report-0.md");

    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Clear" }).waitFor({ timeout: 60_000 });
    expect(await progressText.textContent()).toMatch(/cancelled/);
    const added = await page.locator('.upload-result[data-status="added"]').count();
    const cancelled = await page.locator('.upload-result[data-status="cancelled"]').count();
    expect(added).toBeGreaterThan(0);
    expect(cancelled).toBeGreaterThan(0);
    expect(added + cancelled).toBe(300);
    expect(await progressText.textContent()).toContain(`${added} of 300 documents`);
    expect(await page.locator('.upload-result[data-status="cancelled"] .upload-outcome').first().textContent()).toBe("cancelled · not stored");
    // Exactly the documents reported as added are in the collection, besides the one there before.
    await expect.poll(() => page.getByTestId("document-count").textContent()).toBe(String(1 + added));
    await page.screenshot({ path: path.join(screenshots, "collection-upload-cancelled.png"), fullPage: true });
  }, 300_000);

  it("deleting the collection asks first, then goes back to /collections, where it is no longer listed", async () => {
    await page.getByRole("button", { name: "Delete collection…" }).click();
    await page.getByRole("button", { name: "Delete collection", exact: true }).click();
    await page.waitForURL(/\/collections$/);
    await page.getByRole("heading", { name: "Your collections" }).waitFor();
    await page.getByText("None yet.").waitFor();
    const reply = await fetch(`${app.url}/api${new URL(collectionUrl).pathname}`, { headers: { authorization: `Bearer ${writeKey}` } });
    expect(reply.status).toBe(404);
  });
});
