import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animals, startHarness, type Harness } from "../browserHarness";
import { chromiumPath, hasChromium } from "../../support/chromium";

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the MapView browser tests are skipped.`);

let harness: Harness;
beforeAll(async () => {
  if (hasChromium) harness = await startHarness();
}, 120_000);
afterAll(async () => harness?.close());

/** Mounts a MapView wired like a host would: onSelection records the call and passes it back. */
async function mountAnimals(page: Page) {
  await page.evaluate((data) => {
    const w = window as any;
    w.selections = [];
    w.view = new w.MapView(document.getElementById("map"), {
      ...data,
      selection: [],
      width: 700,
      height: 420,
      onSelection: (next: number[]) => {
        w.selections.push(next);
        w.view.update({ selection: next });
      },
    });
  }, animals);
  await page.locator("text.map-label").first().waitFor();
}

describe.skipIf(!hasChromium)("MapView in Chromium", () => {
  it("renders 7 points as SVG circles with titles, and 7 labels", async () => {
    const page = await harness.newPage();
    await mountAnimals(page);
    await expect.poll(() => page.locator("text.map-label").count()).toBe(7);
    expect(await page.locator("svg.map-points circle[data-index]").count()).toBe(7);
    expect(await page.locator('circle[data-index="0"] title').textContent()).toBe("cat");
    expect(await page.locator("text.map-label").allTextContents()).toEqual(expect.arrayContaining(animals.labels));
    expect(await page.locator(".map-legend button").allTextContents()).toEqual(["animals4", "things3"]);
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    await page.close();
  });

  it("hovering cat draws lines to its 3 neighbours with their cosine and announces them", async () => {
    const page = await harness.newPage();
    await mountAnimals(page);
    await page.hover('circle[data-index="0"]');
    await expect.poll(() => page.locator(".map-neighbour-line").count()).toBe(3);
    expect(await page.locator("g.map-neighbour").evaluateAll((groups) => groups.map((g) => g.getAttribute("data-to")))).toEqual(["1", "3", "2"]);
    expect(await page.locator(".map-neighbour-score").allTextContents()).toEqual(["0.66", "0.61", "0.58"]);
    expect(await page.locator(".map-view [role=status]").textContent()).toBe("cat (animals). Nearest: dog 0.66, pet 0.61, animal 0.58.");
    await page.mouse.move(2, 2);
    await expect.poll(() => page.locator(".map-neighbour-line").count()).toBe(0);
    await page.close();
  });

  it("a click pins a point, shift-click adds one, a second click unpins, Escape clears", async () => {
    const page = await harness.newPage();
    await mountAnimals(page);
    await page.click('circle[data-index="0"]');
    await expect.poll(() => page.locator("circle[data-selected]").count()).toBe(1);
    expect(await page.locator('circle[data-index="0"]').getAttribute("data-selected")).toBe("");
    expect(await page.locator(".map-view [role=status]").textContent()).toMatch(/^Selected cat \(animals\)\./);

    await page.click('circle[data-index="4"]', { modifiers: ["Shift"] });
    await expect.poll(() => page.locator("circle[data-selected]").count()).toBe(2);
    await page.click('circle[data-index="4"]');
    await expect.poll(() => page.locator("circle[data-selected]").count()).toBe(1);
    await page.click('circle[data-index="4"]');
    await expect.poll(() => page.locator("circle[data-selected]").count()).toBe(0);
    await page.click('circle[data-index="1"]');
    await expect.poll(() => page.locator("circle[data-selected]").count()).toBe(1);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("circle[data-selected]").count()).toBe(0);
    expect(await page.evaluate(() => (window as any).selections)).toEqual([[0], [0, 4], [4], [], [1], []]);
    expect(await page.locator(".map-view [role=status]").textContent()).toBe("Selection cleared.");
    await page.close();
  });

  it("keyboard: + zooms in and shows Reset view, 0 resets", async () => {
    const page = await harness.newPage();
    await mountAnimals(page);
    await page.focus(".map-surface");
    await page.keyboard.press("+");
    await page.locator(".map-reset").waitFor({ state: "visible" });
    await page.keyboard.press("0");
    await page.locator(".map-reset").waitFor({ state: "hidden" });
    await page.close();
  });

  it("a legend button dims the other group and is pressed", async () => {
    const page = await harness.newPage();
    await mountAnimals(page);
    await page.click('.map-legend button[data-group="1"]');
    expect(await page.locator('.map-legend button[data-group="1"]').getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => page.locator("text.map-label-faint").count()).toBe(4);
    await page.close();
  });

  it("canvas mode draws 10,000 points without errors, with a culled set of labels", async () => {
    const page = await harness.newPage();
    await page.evaluate(() => {
      const w = window as any;
      let seed = 7;
      const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
      const count = 10_000;
      w.view = new w.MapView(document.getElementById("map"), {
        x: Float32Array.from({ length: count }, random),
        y: Float32Array.from({ length: count }, random),
        labels: Array.from({ length: count }, (_, i) => `point ${i}`),
        groups: Uint16Array.from({ length: count }, (_, i) => i % 8),
        groupNames: ["a", "b", "c", "d", "e", "f", "g", "h"],
        width: 700,
        height: 420,
      });
    });
    await page.locator("text.map-label").first().waitFor();
    expect(await page.locator("canvas.map-points").count()).toBe(1);
    expect(await page.locator("circle[data-index]").count()).toBe(0);
    const labels = await page.locator("text.map-label").count();
    expect(labels).toBeGreaterThan(5);
    expect(labels).toBeLessThan(200);
    const paintedPixels = await page.evaluate(() => {
      const canvas = document.querySelector("canvas.map-points") as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    });
    expect(paintedPixels).toBeGreaterThan(10_000);
    await page.mouse.move(350, 210);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => page.locator(".map-reset").isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    await page.close();
  });
});
