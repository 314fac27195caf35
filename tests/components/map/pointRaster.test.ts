import { describe, expect, it } from "vitest";
import { discStamp, packColor, rasterDefaults, rasterisePoints, type RasterInput } from "@/components/map/renderers/pointRaster";
import { PointState } from "@/lib/plot/types";

const white = packColor(255, 255, 255);
const red = packColor(255, 0, 0);
const blue = packColor(0, 0, 255);
const rgb = (pixel: number) => [pixel & 255, (pixel >> 8) & 255, (pixel >> 16) & 255];

/** A 20 × 10 buffer on white, identity transform, opaque points of radius 2; `points` as [x, y, slot, state]. */
function input(points: [number, number, number?, number?][], overrides: Partial<RasterInput> = {}): RasterInput {
  return {
    pixels: new Uint32Array(20 * 10),
    width: 20,
    height: 10,
    baseX: Float32Array.from(points, ([x]) => x),
    baseY: Float32Array.from(points, ([, y]) => y),
    transform: { k: 1, x: 0, y: 0 },
    ratio: 1,
    colorSlot: Uint8Array.from(points, ([, , slot = 0]) => slot),
    palette: [red, blue],
    state: Uint8Array.from(points, ([, , , state = 0]) => state),
    background: white,
    stamp: discStamp(2),
    opacity: 1,
    dimmedOpacity: 0.5,
    ...overrides,
  };
}
const pixelAt = (raster: RasterInput, x: number, y: number) => rgb(raster.pixels[y * raster.width + x]);

describe("pointRaster", () => {
  it("discStamp(radius) has one variant per sub-pixel offset, full in the middle, empty in the corner away from the offset", () => {
    const stamp = discStamp(2);
    expect(stamp).toMatchObject({ radius: 2, reach: 2, size: 5, subdivisions: rasterDefaults.subdivisions });
    expect(stamp.coverage).toHaveLength(rasterDefaults.subdivisions ** 2);
    for (const grid of stamp.coverage) expect(grid[2 * 5 + 2]).toBe(256);
    expect(stamp.coverage[0][24]).toBe(0); // Centre 1/8 px right of and below the cell's corner: bottom-right is far.
    expect(stamp.coverage.at(-1)![0]).toBe(0);
  });

  it("discStamp(radius) covers about πr² pixels at every offset", () => {
    for (const radius of [1, 1.5, 3, 6]) {
      for (const grid of discStamp(radius).coverage) {
        const area = grid.reduce((sum, cover) => sum + cover, 0) / 256;
        expect(Math.abs(area / (Math.PI * radius * radius) - 1)).toBeLessThan(0.08);
      }
    }
  });

  it("discStamp rejects a radius that is not a positive number, naming it", () => {
    expect(() => discStamp(0)).toThrow("discStamp: radius must be a positive number of pixels, got 0.");
    expect(() => discStamp(NaN)).toThrow(/got NaN/);
  });

  it("rasterisePoints fills the background and draws an opaque point in its colour around its position", () => {
    const raster = input([[10.5, 5.5]]);
    expect(rasterisePoints(raster)).toBe(1);
    expect(pixelAt(raster, 10, 5)).toEqual([255, 0, 0]);
    expect(pixelAt(raster, 0, 0)).toEqual([255, 255, 255]);
    expect(pixelAt(raster, 13, 5)).toEqual([255, 255, 255]);
    expect(raster.pixels[0] >>> 24).toBe(255);
  });

  it("rasterisePoints blends translucent points over what is below", () => {
    const raster = input([[10.5, 5.5]], { opacity: 0.5 });
    rasterisePoints(raster);
    const [r, g, b] = pixelAt(raster, 10, 5);
    expect(r).toBe(255);
    expect(g).toBeGreaterThanOrEqual(126);
    expect(g).toBeLessThanOrEqual(128);
    expect(b).toBe(g);
  });

  it("rasterisePoints draws dimmed points first, so an ordinary point covers a dimmed one at the same spot", () => {
    const raster = input([
      [10.5, 5.5, 0, 0],
      [10.5, 5.5, 1, PointState.dimmed],
    ]);
    rasterisePoints(raster);
    expect(pixelAt(raster, 10, 5)).toEqual([255, 0, 0]);
  });

  it("rasterisePoints skips emphasised points (drawn on top elsewhere), points off the buffer and NaN positions", () => {
    const raster = input([
      [10.5, 5.5, 0, PointState.focused],
      [-10, 5],
      [5, 40],
      [NaN, 5],
      [3, 3],
    ]);
    expect(rasterisePoints(raster)).toBe(1);
    expect(pixelAt(raster, 10, 5)).toEqual([255, 255, 255]);
  });

  it("rasterisePoints clips points at the edges without writing outside the buffer", () => {
    const raster = input([
      [0, 0],
      [19.9, 9.9],
    ]);
    expect(rasterisePoints(raster)).toBe(2);
    expect(pixelAt(raster, 0, 0)).toEqual([255, 0, 0]);
    expect(pixelAt(raster, 19, 9)).toEqual([255, 0, 0]);
    expect(raster.pixels).toHaveLength(200);
  });

  it("rasterisePoints applies the zoom transform and the device pixel ratio: device px = (base × k + t) × ratio", () => {
    const raster = input([[2, 1]], { transform: { k: 2, x: 1, y: 0.25 }, ratio: 2 });
    rasterisePoints(raster);
    expect(pixelAt(raster, 10, 4)).toEqual([255, 0, 0]);
    expect(pixelAt(raster, 4, 2)).toEqual([255, 255, 255]);
  });
});
