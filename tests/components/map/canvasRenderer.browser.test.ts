import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../browserHarness";
import { chromiumPath, hasChromium } from "../../support/chromium";

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the canvas renderer browser tests are skipped.`);

let harness: Harness;
beforeAll(async () => {
  if (hasChromium) harness = await startHarness();
}, 120_000);
afterAll(async () => harness?.close());

/** A page of the harness on a 2× screen, with a map of `count` points in three seeded clusters, 700 × 420. */
async function denseMapAt2x(count = 100_000) {
  const url = await harness.newPage().then(async (first) => {
    const address = first.url();
    await first.close();
    return address;
  });
  const page = await harness.browser.newPage({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 2 });
  await page.goto(url);
  await page.evaluate((count) => {
    const w = window as any;
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const centres = [
      [0.25, 0.3],
      [0.7, 0.6],
      [0.4, 0.8],
    ];
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const group = Uint8Array.from({ length: count }, (_, i) => i % 3);
    w.view = new w.MapView(document.getElementById("map"), {
      x: Float32Array.from(group, (g) => centres[g][0] + 0.08 * gaussian()),
      y: Float32Array.from(group, (g) => centres[g][1] + 0.08 * gaussian()),
      labels: Array.from({ length: count }, (_, i) => `w${i}`),
      groups: group,
      groupNames: ["a", "b", "c"],
      width: 700,
      height: 420,
    });
  }, count);
  await page.locator("text.map-label").first().waitFor();
  return page;
}

describe.skipIf(!hasChromium)("canvas renderer in Chromium", () => {
  it("draws 100,000 points at the screen's 2× density at rest, 1× while a wheel zoom moves, then 2× again", async () => {
    const page = await denseMapAt2x();
    expect(await page.locator("canvas.map-points").getAttribute("data-mode")).toBe("discs");
    expect(await page.locator("canvas.map-points").evaluate((canvas: HTMLCanvasElement) => canvas.width)).toBe(1400);
    // Every width the canvas takes, recorded in the page: polling from here could miss the short gesture.
    await page.evaluate(() => {
      const canvas = document.querySelector("canvas.map-points") as HTMLCanvasElement;
      const widths: number[] = ((window as any).canvasWidths = []);
      new MutationObserver(() => widths.push(canvas.width)).observe(canvas, { attributeFilter: ["width"] });
    });
    await page.mouse.move(300, 250);
    await page.mouse.wheel(0, -100);
    // d3-zoom ends a wheel gesture 150 ms after the last tick; then the canvas is sharp again.
    await expect.poll(() => page.evaluate(() => (window as any).canvasWidths)).toEqual([700, 1400]);
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    await page.close();
  });

  it("paints the clusters in their group colours on the surface colour, opaque", async () => {
    const page = await denseMapAt2x();
    const colours = await page.locator("canvas.map-points").evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Map<string, number>();
      let translucent = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] !== 255) translucent++;
        const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return { translucent, top: [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([key]) => key) };
    });
    expect(colours.translucent).toBe(0);
    // The surface (white), then the first three palette colours (#3e6fb0, #d9731c, #d23f45): in
    // the cores of the clusters points at 0.88 opacity overlap until the colour is the palette's own.
    expect(colours.top[0]).toBe("255,255,255");
    expect(colours.top.slice(1).sort()).toEqual(["62,111,176", "217,115,28", "210,63,69"].sort());
    await page.close();
  });

  it("past 200,000 points draws a density image with a sample of discs, in the group colours, and the pointer finds the nearest point", async () => {
    const page = await denseMapAt2x(300_000);
    expect(await page.locator("canvas.map-points").getAttribute("data-mode")).toBe("density");
    const colours = await page.locator("canvas.map-points").evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Map<string, number>();
      for (let i = 0; i < data.length; i += 4) {
        const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([key]) => key);
    });
    expect(colours[0]).toBe("255,255,255");
    expect(colours.slice(1).sort()).toEqual(["62,111,176", "217,115,28", "210,63,69"].sort());
    const box = (await page.locator(".map-surface").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.7);
    await expect.poll(() => page.locator(".map-surface").getAttribute("data-hovering")).toBe("");
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    await page.close();
  });
});
