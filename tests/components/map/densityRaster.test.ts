import { describe, expect, it } from "vitest";
import { DensityScratch, densityDefaults, rasteriseDensity, sampleOrder, type DensityInput } from "@/components/map/renderers/densityRaster";
import { discStamp, packColor } from "@/components/map/renderers/pointRaster";
import { PointState } from "@/lib/plot/types";
import { createRandom } from "@/lib/projection/random";

const white = packColor(255, 255, 255);
const red = packColor(255, 0, 0);
const blue = packColor(0, 0, 255);
const rgb = (pixel: number) => [pixel & 255, (pixel >> 8) & 255, (pixel >> 16) & 255];

/** A 40 × 20 buffer on white, identity transform, radius-1 discs; `points` as [x, y, slot, state]. */
function input(points: [number, number, number?, number?][], overrides: Partial<DensityInput> = {}): DensityInput {
  const baseX = Float32Array.from(points, ([x]) => x);
  const baseY = Float32Array.from(points, ([, y]) => y);
  return {
    pixels: new Uint32Array(40 * 20),
    width: 40,
    height: 20,
    baseX,
    baseY,
    transform: { k: 1, x: 0, y: 0 },
    ratio: 1,
    colorSlot: Uint8Array.from(points, ([, , slot = 0]) => slot),
    palette: [red, blue],
    state: Uint8Array.from(points, ([, , , state = 0]) => state),
    background: white,
    stamp: discStamp(1),
    opacity: 1,
    dimmedOpacity: 0.5,
    sample: sampleOrder(baseX, baseY),
    scratch: new DensityScratch(),
    discBudget: 0,
    ...overrides,
  };
}
const pixelAt = (raster: DensityInput, x: number, y: number) => rgb(raster.pixels[y * raster.width + x]);

describe("densityRaster", () => {
  it("sampleOrder buckets the points by cell, each cell shuffled (seeded), positions copied in that order, NaN left out", () => {
    const count = 20_000;
    const x = Float32Array.from({ length: count }, (_, i) => (i * 7919) % 1000);
    const y = Float32Array.from({ length: count }, (_, i) => (i * 104_729) % 500);
    x[5] = NaN;
    const sample = sampleOrder(x, y);
    expect(sample.order.length).toBe(count - 1);
    expect(new Set(sample.order).size).toBe(count - 1);
    expect(sample.order.includes(5)).toBe(false);
    expect(sample.x[7]).toBe(x[sample.order[7]]);
    expect(sample.y[7]).toBe(y[sample.order[7]]);
    expect(sampleOrder(x, y).order).toEqual(sample.order);
    expect(sample.cellStart.at(-1)).toBe(count - 1);
    const misplaced: number[] = [];
    for (let cell = 0; cell < sample.columns * sample.rows; cell++) {
      for (let rank = sample.cellStart[cell]; rank < sample.cellStart[cell + 1]; rank++) {
        const column = Math.min(sample.columns - 1, Math.floor((sample.x[rank] - sample.minX) / sample.cellSize));
        const row = Math.min(sample.rows - 1, Math.floor((sample.y[rank] - sample.minY) / sample.cellSize));
        if (row * sample.columns + column !== cell) misplaced.push(rank);
      }
    }
    expect(misplaced).toEqual([]);
    // Shuffled within a cell: the biggest cell is not in index order.
    let biggest = 0;
    for (let cell = 1; cell < sample.columns * sample.rows; cell++) {
      if (sample.cellStart[cell + 1] - sample.cellStart[cell] > sample.cellStart[biggest + 1] - sample.cellStart[biggest]) biggest = cell;
    }
    const inCell = [...sample.order.slice(sample.cellStart[biggest], sample.cellStart[biggest + 1])];
    expect(inCell.length).toBeGreaterThan(2);
    expect(inCell).not.toEqual([...inCell].sort((a, b) => a - b));
  });

  it("a pixel grows more opaque with the points in it and takes the colour of the last one; empty pixels keep the background", () => {
    const one: [number, number, number][] = [[5.5, 5.5, 0]];
    const many: [number, number, number][] = Array.from({ length: 12 }, () => [20.5, 5.5, 0]);
    const mixed: [number, number, number][] = [
      ...Array.from({ length: 10 }, (): [number, number, number] => [30.5, 5.5, 0]),
      ...Array.from({ length: 10 }, (): [number, number, number] => [30.5, 5.5, 1]),
    ];
    const raster = input([...one, ...many, ...mixed]);
    rasteriseDensity(raster);
    expect(pixelAt(raster, 0, 0)).toEqual([255, 255, 255]);
    const [, single] = pixelAt(raster, 5, 5);
    const [, dense] = pixelAt(raster, 20, 5);
    expect(single).toBeLessThan(255);
    expect(dense).toBeLessThan(single); // Green falls as red covers white.
    expect(dense).toBeGreaterThanOrEqual(Math.floor(255 * (1 - densityDefaults.maxOpacity)) - 1);
    const [r, g, b] = pixelAt(raster, 30, 5);
    expect(b).toBeGreaterThan(200); // The last ten are blue.
    expect(r).toBeLessThan(100);
    expect(g).toBeLessThan(100);
  });

  it("dimmed points weigh less; emphasised points are left for the renderer to draw on top", () => {
    const raster = input([
      [5.5, 5.5, 0, 0],
      [15.5, 5.5, 0, PointState.dimmed],
      [25.5, 5.5, 0, PointState.selected],
    ]);
    rasteriseDensity(raster);
    expect(pixelAt(raster, 5, 5)[1]).toBeLessThan(pixelAt(raster, 15, 5)[1]);
    expect(pixelAt(raster, 15, 5)[1]).toBeLessThan(255);
    expect(pixelAt(raster, 25, 5)).toEqual([255, 255, 255]);
  });

  it("draws discs for the sample up to the budget, counting only points in view, so zooming in shows more of them", () => {
    const points: [number, number][] = Array.from({ length: 400 }, (_, i) => [(i % 40) + 0.5, Math.floor(i / 40) + 0.5]);
    const budget = 50;
    const full = input(points, { discBudget: budget });
    expect(rasteriseDensity(full)).toBe(budget);
    // Zoomed ×4 onto the top-left corner: ~10 × 5 points in view, all of them discs.
    const inView = points.filter(([x, y]) => x * 4 < 40 + 2 && y * 4 < 20 + 2).length;
    const generous = input(points, { discBudget: 1000, transform: { k: 4, x: 0, y: 0 } });
    expect(rasteriseDensity(generous)).toBe(inView);
    const tight = input(points, { discBudget: 20, transform: { k: 4, x: 0, y: 0 } });
    const drawn = rasteriseDensity(tight);
    expect(drawn).toBeLessThanOrEqual(20);
    expect(drawn).toBeGreaterThanOrEqual(10);
  });

  it("up to 2× the zoom-1 density is stretched, deeper it is counted again: both show points where they are", () => {
    const random = createRandom(3);
    const points: [number, number, number][] = Array.from({ length: 4000 }, (_, i) => [5 + random() * 10, 5 + random() * 5, i % 2]);
    for (const k of [1.5, 3]) {
      const raster = input(points, { transform: { k, x: -5 * k + 2, y: -5 * k + 2 } });
      rasteriseDensity(raster);
      // The block of points now spans (2, 2) to (2 + 10k, 2 + 5k): coloured inside, white outside.
      expect(pixelAt(raster, 2 + Math.floor(5 * k), 2 + Math.floor(2.5 * k))).not.toEqual([255, 255, 255]);
      expect(pixelAt(raster, 0, 0)).toEqual([255, 255, 255]);
      expect(pixelAt(raster, Math.min(39, 4 + Math.ceil(10 * k)), 1)).toEqual([255, 255, 255]);
    }
  });

  it("the same frame draws the same pixels with a reused scratch buffer", () => {
    const points: [number, number, number][] = Array.from({ length: 300 }, (_, i) => [(i * 7.3) % 40, (i * 3.1) % 20, i % 2]);
    const first = input(points, { discBudget: 100 });
    rasteriseDensity(first);
    const pixels = first.pixels.slice();
    rasteriseDensity(first);
    expect(first.pixels).toEqual(pixels);
  });
});
