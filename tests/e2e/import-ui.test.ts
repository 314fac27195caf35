import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromiumPath, hasChromium, launchChromium } from "../support/chromium";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * Importing a table from a collection's page, in headless Chromium over a production build with an
 * empty embedded database: a CSV with Chinese columns dropped on the page, previewed, mapped and
 * imported (its rows then documents, found by keyword); a collection of its own vectors created
 * from the form, a JSON Lines file of vectors imported into it, and one whose row 250 has a
 * vector one number short, which fails naming that row and stores nothing.
 * Screenshots go to screenshots/ (not committed).
 */

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the browser tests of the import panel are skipped.`);
const screenshots = "screenshots";

const articles = [
  ["熊猫", "大熊猫生活在中国西南的竹林里，每天要吃很多竹子。Giant pandas eat bamboo all day.", "2020"],
  ["长城", "长城是中国古代的军事防御工程，全长两万多公里。The Great Wall is thousands of kilometres long.", "2018"],
  ["茶文化", "中国人喝茶已有几千年的历史，绿茶、红茶各有风味。Tea has been drunk in China for millennia.", "2022"],
  ["春节", "春节是中国最重要的传统节日，家人团聚，吃饺子。\nFamilies meet and eat dumplings at the Spring Festival.", "2023"],
];
const quoted = (field: string) => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
const articlesCsv = `\uFEFF标题,正文,年份\r\n${articles.map((row) => row.map(quoted).join(",")).join("\r\n")}\r\n`;

const vectorsJsonl = (rows: number, shortAt?: number) =>
  Array.from({ length: rows }, (_, i) =>
    JSON.stringify({ id: `p${i + 1}`, title: `Paper ${i + 1} on ${["graphs", "vision", "speech"][i % 3]}`, embedding: Array.from({ length: i + 1 === shortAt ? 7 : 8 }, (_, d) => Math.sin(i + d)) }),
  ).join("\n");

describe.skipIf(!hasChromium)("importing a table from the collection's page", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildApp();
    app = await startApp();
    fs.mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  afterEach(({ task }) => {
    if (task.result?.state === "fail") console.error(`--- server output ---\n${app?.output().slice(-4000)}`);
  });

  async function createCollection(name: string, model?: string) {
    await page.goto(`${app.url}/collections`);
    await page.getByLabel("Name", { exact: true }).fill(name);
    if (model) await page.getByLabel("Model").selectOption(model);
    await page.getByRole("button", { name: "Create collection" }).click();
    await page.getByRole("link", { name: "Open the collection" }).click();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
  }

  /** Drops a file on the import panel's drop zone, as a person dragging it from their desktop. */
  async function dropFile(name: string, content: string, type: string) {
    const dataTransfer = await page.evaluateHandle(
      ([fileName, text, mediaType]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], fileName, { type: mediaType }));
        return transfer;
      },
      [name, content, type],
    );
    await page.locator(".import-panel .drop-zone").dispatchEvent("drop", { dataTransfer });
  }

  async function importResult() {
    const result = page.getByTestId("import-result");
    await result.waitFor({ timeout: 120_000 });
    return { state: await page.locator(".import-status").getAttribute("data-state"), text: (await result.textContent()) ?? "" };
  }

  it("a CSV dropped on the page shows its first rows, pre-selects the longest text, and its rows become documents", async () => {
    await createCollection("文章");
    await dropFile("文章.csv", articlesCsv, "text/csv");
    const preview = page.getByRole("table", { name: "First rows of 文章.csv" });
    await preview.waitFor();
    expect(await preview.locator("thead th .column-name").allTextContents()).toEqual(["标题", "正文", "年份"]);
    expect(await preview.locator("tbody tr").count()).toBe(4);
    expect(await preview.locator("tbody tr").nth(3).textContent()).toContain("Families meet"); // the quoted line break stayed in its field
    expect(await page.getByLabel("Text column").inputValue()).toBe("正文");
    expect(await page.getByLabel("Type of 年份").inputValue()).toBe("number");
    await page.screenshot({ path: path.join(screenshots, "import-mapping.png"), fullPage: true });

    await page.getByRole("button", { name: "Import the file" }).click();
    const { state, text } = await importResult();
    expect(state).toBe("done");
    expect(text).toContain("4 rows read · 4 stored");
    await expect.poll(() => page.getByTestId("document-count").textContent(), { timeout: 30_000 }).toBe("4");
    await page.screenshot({ path: path.join(screenshots, "import-done.png"), fullPage: true });

    await page.getByLabel("Search by").selectOption("keyword");
    await page.getByLabel("Question or phrase").fill("dumplings");
    await page.getByRole("button", { name: "Search" }).click();
    const hits = page.getByRole("list", { name: "Results for dumplings" });
    await hits.waitFor();
    expect(await hits.locator("li").count()).toBe(1);
    expect(await hits.textContent()).toContain("春节是中国最重要的传统节日");
  });

  it("a collection of my own vectors takes a JSON Lines file of them, searches by keyword, and says why", async () => {
    await createCollection("Papers", "own:");
    expect(await page.locator(".collection-title").textContent()).toContain("own:papers");
    expect(await page.getByLabel("Search by").inputValue()).toBe("keyword");
    expect(await page.locator(".search-panel").textContent()).toContain("These vectors came with the file: no model here turns a question into their space.");
    expect(await page.getByRole("heading", { name: "Add documents" }).count()).toBe(0);

    await page.getByLabel("Choose a file").setInputFiles({ name: "papers.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(vectorsJsonl(30)) });
    await page.locator(".import-mapping").waitFor();
    expect(await page.getByLabel("Vector column (required)").inputValue()).toBe("embedding");
    expect(await page.getByLabel("Id column").inputValue()).toBe("id");
    await page.getByRole("button", { name: "Import the file" }).click();
    const { state, text } = await importResult();
    expect(state).toBe("done");
    expect(text).toContain("30 stored");
    await expect.poll(() => page.getByTestId("document-count").textContent(), { timeout: 30_000 }).toBe("30");

    // The stored map: every row a point, laid out when first read (a small collection needs no job).
    const map = page.locator(".map-panel");
    await expect.poll(() => map.locator(".map-summary").textContent(), { timeout: 30_000 }).toContain("30 of 30 rows on the map (UMAP");
    expect(await map.locator("circle[data-index]").count()).toBe(30);
    await map.locator("circle[data-index]").first().click();
    await expect.poll(() => map.locator(".map-selected").textContent(), { timeout: 10_000 }).toContain("Paper");
    await map.screenshot({ path: path.join(screenshots, "own-vectors-map.png") });
  });

  it("a vector one number short at row 250 fails the import naming the row and column, and stores nothing", async () => {
    await page.getByRole("button", { name: "Import another file" }).click();
    await page.getByLabel("Choose a file").setInputFiles({ name: "short.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(vectorsJsonl(300, 250).replace(/"p(\d+)"/g, '"q$1"')) });
    await page.getByRole("button", { name: "Import the file" }).click();
    const { state, text } = await importResult();
    expect(state).toBe("failed");
    expect(text).toContain('row 250: column "embedding" has 7 numbers, expected 8.');
    expect(text).toContain("0 stored");
    await page.screenshot({ path: path.join(screenshots, "import-failed.png"), fullPage: true });
    expect(await page.getByTestId("document-count").textContent()).toBe("30");
  });
});
