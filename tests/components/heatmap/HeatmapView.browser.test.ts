import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animals, startHarness, type Harness } from "../browserHarness";
import { chromiumPath, hasChromium } from "../../support/chromium";

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the HeatmapView browser tests are skipped.`);

let harness: Harness;
beforeAll(async () => {
  if (hasChromium) harness = await startHarness();
}, 120_000);
afterAll(async () => harness?.close());

// Symmetric cosine matrix from the neighbour fixture; unlisted pairs 0.3.
const matrix = animals.labels.map((_, i) =>
  animals.labels.map((_, j) => (i === j ? 1 : (animals.neighbours[i].find((n) => n.index === j)?.score ?? animals.neighbours[j].find((n) => n.index === i)?.score ?? 0.3))),
);

describe.skipIf(!hasChromium)("HeatmapView in Chromium", () => {
  it("draws n×n cells in the given order, named for screen readers, with a one-tab-stop grid", async () => {
    const page = await harness.newPage();
    await page.evaluate(
      ({ labels, matrix }) => {
        const w = window as any;
        w.heatmap = new w.HeatmapView(document.getElementById("heatmap"), { labels, matrix, order: [6, 0, 1, 2, 3, 4, 5], maxWidth: 700 });
      },
      { labels: animals.labels, matrix },
    );
    expect(await page.locator("rect.hm-cell").count()).toBe(49);
    expect(await page.locator(".hm-row-labels text").allTextContents()).toEqual(["banana", "cat", "dog", "animal", "pet", "car", "truck"]);
    expect(await page.locator('rect[data-row="1"][data-column="2"]').getAttribute("aria-label")).toBe("cat × dog: 0.660");
    expect(await page.locator('rect.hm-cell[tabindex="0"]').count()).toBe(1);

    await page.locator('rect[data-row="0"][data-column="0"]').focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("cat × dog: 0.660");
    expect(await page.locator(".hm-tooltip").textContent()).toBe("cat × dog  0.660");
    expect(await page.locator(".hm-legend-tick").allTextContents()).toEqual(["0.30", "0.66"]);
    await page.close();
  });

  it("update({ order }) redraws in the new order; a bad order throws a message saying what to pass", async () => {
    const page = await harness.newPage();
    const message = await page.evaluate(
      ({ labels, matrix }) => {
        const w = window as any;
        const view = new w.HeatmapView(document.getElementById("heatmap"), { labels, matrix });
        view.update({ order: [1, 0, 2, 3, 4, 5, 6] });
        try {
          view.update({ order: [0, 0, 1, 2, 3, 4, 5] });
        } catch (error) {
          return (error as Error).message;
        }
      },
      { labels: animals.labels, matrix },
    );
    expect(message).toMatch(/^order must list each index 0…6 exactly once/);
    expect(await page.locator(".hm-row-labels text").first().textContent()).toBe("dog");
    await page.close();
  });
});
