import { extent, scaleLinear, type ScaleLinear } from "d3";

/**
 * Data → pixel scales for the map. Pure: points and a size in, two d3 linear scales out.
 * Projections (UMAP, PCA) have no meaningful units, but they do have a meaningful aspect ratio: a
 * distance along x should look like the same distance along y. So by default the narrower domain is
 * widened until both axes have the same units per pixel.
 */

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface MapScaleOptions {
  /** Plot width in CSS pixels, margins included. */
  width: number;
  /** Plot height in CSS pixels, margins included. */
  height: number;
  /** Space kept free around the points (for labels at the edges). Default 24 on every side. */
  margin?: Partial<Margin>;
  /** Fraction of the data extent added on each side before `nice()`. Default 0.05, range 0–1. */
  padding?: number;
  /** Same units per pixel on both axes, so distances are not distorted. Default true; when false
   * each domain is padded and then rounded outward with d3's `nice()`. */
  equalAspect?: boolean;
}

export const scaleDefaults = {
  margin: { top: 24, right: 24, bottom: 24, left: 24 } satisfies Margin,
  padding: 0.05,
  equalAspect: true,
};

export interface MapScales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  margin: Margin;
}

/**
 * Scales mapping the points into the plot area, y pointing up (larger y is drawn higher).
 * Non-finite coordinates are ignored. With no points the domain is [0, 1]; when all points share
 * a coordinate the domain is that value ± 1, so a single point sits in the middle.
 *
 * @example mapScales({ x: [0, 10], y: [0, 5] }, { width: 400, height: 300 })
 */
export function mapScales(points: { x: ArrayLike<number>; y: ArrayLike<number> }, options: MapScaleOptions): MapScales {
  const margin = { ...scaleDefaults.margin, ...options.margin };
  const padding = options.padding ?? scaleDefaults.padding;
  const equalAspect = options.equalAspect ?? scaleDefaults.equalAspect;
  const innerWidth = Math.max(1, options.width - margin.left - margin.right);
  const innerHeight = Math.max(1, options.height - margin.top - margin.bottom);

  let xDomain = paddedDomain(points.x, padding);
  let yDomain = paddedDomain(points.y, padding);
  if (equalAspect) [xDomain, yDomain] = equaliseAspect(xDomain, yDomain, innerWidth, innerHeight);

  const x = scaleLinear().domain(xDomain).range([margin.left, margin.left + innerWidth]);
  const y = scaleLinear().domain(yDomain).range([margin.top + innerHeight, margin.top]);
  if (!equalAspect) {
    x.nice();
    y.nice();
  }
  return { x, y, margin };
}

/** Extent of the finite values, widened by `padding` × span on each side; never zero-width. */
export function paddedDomain(values: ArrayLike<number>, padding: number = scaleDefaults.padding): [number, number] {
  const finite = Array.from(values).filter(Number.isFinite);
  const [low, high] = extent(finite) as [number | undefined, number | undefined];
  if (low === undefined || high === undefined) return [0, 1];
  if (low === high) return [low - 1, high + 1];
  const pad = (high - low) * padding;
  return [low - pad, high + pad];
}

/**
 * Widens the domain that has fewer units per pixel, around its centre, so both axes match.
 * (Not rounded with `nice()` afterwards: that would round each axis by a different step and
 * break the ratio again.)
 */
export function equaliseAspect(
  xDomain: [number, number],
  yDomain: [number, number],
  innerWidth: number,
  innerHeight: number,
): [[number, number], [number, number]] {
  const unitsPerPixel = Math.max((xDomain[1] - xDomain[0]) / innerWidth, (yDomain[1] - yDomain[0]) / innerHeight);
  const around = ([low, high]: [number, number], pixels: number): [number, number] => {
    const centre = (low + high) / 2;
    const half = (unitsPerPixel * pixels) / 2;
    return [centre - half, centre + half];
  };
  return [around(xDomain, innerWidth), around(yDomain, innerHeight)];
}

/**
 * Point radius in pixels for a given number of points: large enough to hit with a mouse when
 * there are few, small enough that 10,000 do not merge into one blob. Range 1.5–6.
 */
export function pointRadius(count: number): number {
  if (count <= 50) return 6;
  return Math.max(1.5, Math.min(6, 6 - Math.log10(count / 50) * 1.9));
}
