import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animals, startHarness, type Harness } from "../components/browserHarness";
import { chromiumPath, hasChromium } from "../support/chromium";
import { svgSize } from "@/lib/export/svgToPng";

if (!hasChromium) console.warn(`NOTICE: ${chromiumPath} not found: the svgToPng browser test is skipped.`);

let harness: Harness;
beforeAll(async () => {
  if (hasChromium) harness = await startHarness();
}, 120_000);
afterAll(async () => harness?.close());

describe("svgSize", () => {
  it("svgSize reads the root element's width and height, and says what is missing", () => {
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400.5"><rect width="9" height="9"/></svg>')).toEqual({ width: 640, height: 400.5 });
    expect(() => svgSize("<svg viewBox='0 0 1 1'></svg>")).toThrow('The SVG needs numeric width="…" and height="…" attributes on its root element.');
  });
});

describe.skipIf(!hasChromium)("svgToPng in Chromium", () => {
  it("svgToPng(mapToSvg(map), 2) is a PNG twice the SVG's size, with the map drawn on it", async () => {
    const page = await harness.newPage();
    const result = await page.evaluate(async (data) => {
      const w = window as any;
      const svg = w.mapToSvg({ ...data, width: 320, height: 200, title: "Animals" });
      const blob: Blob = await w.svgToPng(svg, 2);
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(bitmap, 0, 0);
      const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let inked = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) inked++;
      const scaleError = await w.svgToPng(svg, 0).then(() => "", (error: Error) => error.message);
      return { type: blob.type, width: bitmap.width, height: bitmap.height, inked, scaleError };
    }, animals);
    expect(result).toMatchObject({ type: "image/png", width: 640, height: 400, scaleError: "scale must be between 0.1 and 8, got 0." });
    expect(result.inked).toBeGreaterThan(1000);
    await page.close();
  });

  it("svgToPng draws Chinese labels as their own glyphs, not as one missing-glyph box", async () => {
    const page = await harness.newPage();
    // Two maps alike but for one label: with no CJK font both would draw the same empty boxes.
    const pixelsOf = (label: string) =>
      page.evaluate(async (text) => {
        const w = window as any;
        const svg = w.mapToSvg({ x: [0, 1], y: [0, 1], labels: [text, "cat"], width: 200, height: 120 });
        const bitmap = await createImageBitmap(await w.svgToPng(svg, 2));
        const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d")!;
        context.drawImage(bitmap, 0, 0);
        return Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
      }, label);
    const [cat, banana, missing] = await Promise.all([pixelsOf("猫"), pixelsOf("香"), pixelsOf("\u{10FFFD}")]);
    const differing = (a: number[], b: number[]) => a.filter((value, i) => value !== b[i]).length;
    expect(differing(cat, banana)).toBeGreaterThan(50);
    expect(differing(cat, missing)).toBeGreaterThan(50);
    await page.close();
  });
});
