import { blend, stampDisc, stampCells, type DiscStamp, type PackedColor, type RasterInput } from "./pointRaster";

/**
 * Maps of hundreds of thousands of points and more, for the canvas renderer: stamping a disc for
 * every point costs ~10 pixels each, 1,000,000 points well over 50 ms a frame without a GPU. So:
 * 1. a density image of every point: each adds to the pixel it falls in; a pixel's opacity grows
 *    with how many points it holds, and its colour is that of the last one drawn there, as where
 *    discs overlap (a mean colour cost three more writes per point, a third of the frame);
 * 2. over it, discs for a fixed random sample of the points in view, at most `discBudget` of them,
 *    so where the view is sparse (zoomed in) every point in it is a disc.
 * Pure like pointRaster: columns and a buffer in, pixels out.
 */

export const densityDefaults = {
  /** Discs drawn at most per frame, taken from the shuffled order. */
  discBudget: 30_000,
  /** A pixel holding this many ordinary points is at ~63 % of full opacity. */
  saturation: 3,
  /** Opacity of a pixel full of points. */
  maxOpacity: 0.9,
  /** Weights of an ordinary and a dimmed point in the density: a dimmed one counts a fifth. */
  ordinaryWeight: 5,
  dimmedWeight: 1,
};

/**
 * The points bucketed by where they are: a grid of cells over their extent (zoom-1 px), each
 * cell's points in a fixed shuffled order, positions copied in that order for sequential reads.
 * A frame then reads only the cells in view, and the first points of each cell are a uniform
 * random sample of it. Points with NaN positions are left out.
 */
export interface SampleOrder {
  /** Point indices, cell by cell, shuffled within each cell. */
  order: Int32Array;
  x: Float32Array;
  y: Float32Array;
  /** Cell c holds order[cellStart[c]] … order[cellStart[c + 1] − 1]; cells are row-major. */
  cellStart: Int32Array;
  columns: number;
  rows: number;
  minX: number;
  minY: number;
  cellSize: number;
}

/** Cells per side of the sample grid, at most. */
const gridCells = 128;

export function sampleOrder(baseX: Float32Array, baseY: Float32Array, seed = 1): SampleOrder {
  const shuffled: number[] = [];
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let index = 0; index < baseX.length; index++) {
    const [x, y] = [baseX[index], baseY[index]];
    if (x !== x || y !== y) continue;
    shuffled.push(index);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  let state = seed >>> 0 || 1;
  for (let at = shuffled.length - 1; at > 0; at--) {
    // xorshift32: fast, and good enough to scatter a sample evenly.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const other = (state >>> 0) % (at + 1);
    [shuffled[at], shuffled[other]] = [shuffled[other], shuffled[at]];
  }
  if (shuffled.length === 0) [minX, minY, maxX, maxY] = [0, 0, 0, 0];
  const cellSize = Math.max(maxX - minX, maxY - minY, 1e-6) / gridCells;
  const columns = Math.min(gridCells, Math.floor((maxX - minX) / cellSize) + 1);
  const rows = Math.min(gridCells, Math.floor((maxY - minY) / cellSize) + 1);
  const cellOf = (index: number) =>
    Math.min(rows - 1, Math.floor((baseY[index] - minY) / cellSize)) * columns + Math.min(columns - 1, Math.floor((baseX[index] - minX) / cellSize));
  // Counting sort by cell, stable: each cell keeps the shuffled order.
  const cellStart = new Int32Array(columns * rows + 1);
  const cells = Int32Array.from(shuffled, cellOf);
  for (const cell of cells) cellStart[cell + 1]++;
  for (let cell = 0; cell < columns * rows; cell++) cellStart[cell + 1] += cellStart[cell];
  const next = cellStart.slice(0, -1);
  const order = new Int32Array(shuffled.length);
  shuffled.forEach((index, at) => (order[next[cells[at]]++] = index));
  const x = Float32Array.from(order, (index) => baseX[index]);
  const y = Float32Array.from(order, (index) => baseY[index]);
  return { order, x, y, cellStart, columns, rows, minX, minY, cellSize };
}

/** The range of cells that may hold points inside the zoom-1 rectangle [x0, x1] × [y0, y1]. */
function cellsIn(sample: SampleOrder, x0: number, y0: number, x1: number, y1: number) {
  const clamp = (value: number, cells: number) => Math.max(0, Math.min(cells - 1, value));
  return {
    column0: clamp(Math.floor((x0 - sample.minX) / sample.cellSize), sample.columns),
    column1: clamp(Math.floor((x1 - sample.minX) / sample.cellSize), sample.columns),
    row0: clamp(Math.floor((y0 - sample.minY) / sample.cellSize), sample.rows),
    row1: clamp(Math.floor((y1 - sample.minY) / sample.cellSize), sample.rows),
  };
}

export interface DensityInput extends RasterInput {
  sample: SampleOrder;
  /** Buffers and the zoom-1 density, kept between frames. */
  scratch: DensityScratch;
  discBudget?: number;
}

/** Points per pixel (weighted) and the colour slot shown there, for a grid of pixels. */
interface DensityGrid {
  width: number;
  height: number;
  /** Points in the pixel: ordinary ones count `ordinaryWeight`, dimmed ones `dimmedWeight`. */
  weight: Uint16Array;
  /** Palette slot of the last ordinary point in the pixel (or the last dimmed one, if only those). */
  slot: Uint8Array;
}

/**
 * Kept between frames: the density at zoom 1 (every point counted once, at the view's pixel
 * size), recomputed only when the points, their states or the size change, and a grid for
 * deeper zooms, filled from the points every frame.
 */
export class DensityScratch {
  private fitted: (DensityGrid & { key: readonly unknown[] }) | null = null;
  private zoomed: DensityGrid | null = null;

  /** The zoom-1 density of these points. */
  fittedGrid(input: DensityInput): DensityGrid {
    const key = [input.baseX, input.baseY, input.state, input.colorSlot, input.width, input.height, input.ratio];
    if (this.fitted && this.fitted.key.every((part, at) => part === key[at])) return this.fitted;
    this.fitted = { key, ...accumulate(input, { k: 1, x: 0, y: 0 }, reuse(this.fitted, input.width, input.height)) };
    return this.fitted;
  }

  /** The density at the frame's own zoom, from every point. */
  zoomedGrid(input: DensityInput): DensityGrid {
    this.zoomed = accumulate(input, input.transform, reuse(this.zoomed, input.width, input.height));
    return this.zoomed;
  }
}

function reuse(grid: DensityGrid | null, width: number, height: number): DensityGrid {
  if (grid && grid.width === width && grid.height === height) {
    grid.weight.fill(0);
    return grid;
  }
  return { width, height, weight: new Uint16Array(width * height), slot: new Uint8Array(width * height) };
}

/** Counts every point into the pixel it falls in under `transform`, reading only the cells in view. */
function accumulate(input: DensityInput, transform: { k: number; x: number; y: number }, grid: DensityGrid): DensityGrid {
  const { ratio, colorSlot, state, sample } = input;
  const { ordinaryWeight, dimmedWeight } = densityDefaults;
  const { width, height, weight, slot } = grid;
  const scale = transform.k * ratio;
  const offsetX = transform.x * ratio;
  const offsetY = transform.y * ratio;
  const limit = 65_535 - ordinaryWeight;
  const view = cellsIn(sample, -offsetX / scale, -offsetY / scale, (width - offsetX) / scale, (height - offsetY) / scale);
  for (let row = view.row0; row <= view.row1; row++) {
    const start = sample.cellStart[row * sample.columns + view.column0];
    const end = sample.cellStart[row * sample.columns + view.column1 + 1];
    for (let rank = start; rank < end; rank++) {
      const x = sample.x[rank] * scale + offsetX;
      const y = sample.y[rank] * scale + offsetY;
      if (!(x >= 0 && y >= 0 && x < width && y < height)) continue;
      const index = sample.order[rank];
      const flags = state[index];
      if (flags > 1) continue; // Emphasised points are drawn on top elsewhere.
      const at = (y | 0) * width + (x | 0);
      const before = weight[at];
      if (flags === 0) {
        if (before < limit) weight[at] = before + ordinaryWeight;
        slot[at] = colorSlot[index];
      } else if (before < limit) {
        weight[at] = before + dimmedWeight;
        if (before === 0) slot[at] = colorSlot[index];
      }
    }
  }
  return grid;
}

/**
 * Up to this zoom a frame's density is the zoom-1 density stretched (each of its pixels covers at
 * most 2 × 2 screen pixels, under the discs): a pass over the screen's pixels, not over a million
 * points. Deeper in, it is counted from the points again.
 */
export const stretchLimit = 2;

/** Draws the density image and the sample's discs; returns the number of discs drawn. */
export function rasteriseDensity(input: DensityInput): number {
  const { pixels, width, height, ratio, colorSlot, palette, state, sample, scratch } = input;
  const { saturation, maxOpacity, ordinaryWeight } = densityDefaults;
  const discBudget = input.discBudget ?? densityDefaults.discBudget;
  const { k } = input.transform;
  const scale = k * ratio;
  const offsetX = input.transform.x * ratio;
  const offsetY = input.transform.y * ratio;

  const background = (0xff000000 | input.background) >>> 0;
  // Opacity by weight, tabulated: 1 − e^(−points/saturation) needs no exp per pixel.
  const steps = 40 * ordinaryWeight;
  const opacity = Uint16Array.from({ length: steps + 1 }, (_, w) => Math.round(256 * maxOpacity * (1 - Math.exp(-w / ordinaryWeight / saturation))));
  const paint = (at: number, w: number, colorSlotAt: number) => {
    pixels[at] = w === 0 ? background : blend(background, palette[colorSlotAt], opacity[w < steps ? w : steps]);
  };
  if (k <= stretchLimit) {
    // Screen pixel → the zoom-1 pixel under its centre; a zoom-1 pixel spread over k² screen pixels shares its points among them.
    const grid = scratch.fittedGrid(input);
    const perPixel = 1 / (k * k);
    const columns = Int32Array.from({ length: width }, (_, px) => Math.floor((px + 0.5 - offsetX) / k));
    for (let py = 0; py < height; py++) {
      const gy = Math.floor((py + 0.5 - offsetY) / k);
      const row = py * width;
      if (gy < 0 || gy >= height) {
        pixels.fill(background, row, row + width);
        continue;
      }
      const gridRow = gy * width;
      for (let px = 0; px < width; px++) {
        const gx = columns[px];
        if (gx < 0 || gx >= width) {
          pixels[row + px] = background;
          continue;
        }
        const cell = gridRow + gx;
        paint(row + px, Math.round(grid.weight[cell] * perPixel), grid.slot[cell]);
      }
    }
  } else {
    const grid = scratch.zoomedGrid(input);
    for (let at = 0; at < pixels.length; at++) paint(at, grid.weight[at], grid.slot[at]);
  }

  // Discs: the same share of every cell in view, its first points (a random sample of it).
  const stamp: DiscStamp = input.stamp;
  const cells = stampCells(stamp, width);
  const alpha = Math.round(256 * input.opacity);
  const dimmedAlpha = Math.round(256 * input.dimmedOpacity);
  const reach = stamp.reach;
  const view = cellsIn(sample, (-reach - offsetX) / scale, (-reach - offsetY) / scale, (width + reach - offsetX) / scale, (height + reach - offsetY) / scale);
  const rowStart = (row: number) => sample.cellStart[row * sample.columns + view.column0];
  const rowEnd = (row: number) => sample.cellStart[row * sample.columns + view.column1 + 1];
  let candidates = 0;
  for (let row = view.row0; row <= view.row1; row++) candidates += rowEnd(row) - rowStart(row);
  const share = Math.min(1, discBudget / Math.max(1, candidates));
  let drawn = 0;
  // Each cell's quota carries its fraction over to the next, so the quotas add up to the budget.
  let quota = 0;
  let taken = 0;
  for (let row = view.row0; row <= view.row1; row++) {
    for (let column = view.column0; column <= view.column1; column++) {
      const start = sample.cellStart[row * sample.columns + column];
      quota += (sample.cellStart[row * sample.columns + column + 1] - start) * share;
      const take = Math.floor(quota + 1e-9) - taken;
      taken += take;
      for (let rank = start; rank < start + take; rank++) {
        const x = sample.x[rank] * scale + offsetX;
        const y = sample.y[rank] * scale + offsetY;
        if (!(x > -reach - 1 && y > -reach - 1 && x < width + reach && y < height + reach)) continue;
        const index = sample.order[rank];
        const flags = state[index];
        if (flags > 1) continue;
        stampDisc(pixels, width, height, stamp, cells, x, y, palette[colorSlot[index]] as PackedColor, flags === 1 ? dimmedAlpha : alpha);
        drawn++;
      }
    }
  }
  return drawn;
}
