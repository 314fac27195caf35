import { estimateTextWidth } from "@/lib/plot/labels";

/**
 * Pure geometry and colour rules of the similarity heatmap: matrix + labels + options in,
 * numbers out. Tested in node; HeatmapView only turns them into SVG.
 */

export const heatmapDefaults = {
  /** Largest cell side in px; cells shrink to fit `maxWidth` down to `minCellSize`. */
  maxCellSize: 44,
  minCellSize: 12,
  /** Cells at least this big print their value. */
  valueCellSize: 30,
  fontSize: 12,
  /** Labels longer than this many characters are cut with "…" (the full text is in the tooltip). */
  maxLabelCharacters: 18,
  /** Opacity of the accent colour at the low and high ends of the domain. */
  opacityRange: [0.06, 0.95] as [number, number],
  /** Above this share of the domain, values are printed in the accent's contrast colour. */
  strongThreshold: 0.55,
  legendWidth: 160,
  legendHeight: 8,
};

/**
 * The colour domain: the off-diagonal range. Real models rarely score two different texts below
 * 0.2, and the diagonal is always 1, so a 0–1 (or min–1) scale would paint every interesting pair
 * the same pale shade. Stretching over [lowest, highest] off-diagonal value uses the whole ramp;
 * the diagonal is drawn neutral instead. With fewer than two texts the domain is [0, 1].
 */
export function similarityDomain(matrix: readonly ArrayLike<number>[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  matrix.forEach((row, i) => {
    for (let j = 0; j < row.length; j++) {
      if (i === j || !Number.isFinite(row[j])) continue;
      low = Math.min(low, row[j]);
      high = Math.max(high, row[j]);
    }
  });
  if (low === Infinity) return [0, 1];
  if (low === high) return [low - 0.05, high];
  return [low, high];
}

/** Position of `value` in the domain, clamped to 0–1. */
export function intensity(value: number, [low, high]: [number, number]): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, (value - low) / (high - low || 1)));
}

/** Fill opacity of the accent colour for `value`. */
export function cellOpacity(value: number, domain: [number, number]): number {
  const [from, to] = heatmapDefaults.opacityRange;
  return from + (to - from) * intensity(value, domain);
}

/** "a very long label th…" when over `maxCharacters` (default 18). */
export function truncateLabel(label: string, maxCharacters: number = heatmapDefaults.maxLabelCharacters): string {
  const characters = Array.from(label);
  return characters.length <= maxCharacters ? label : `${characters.slice(0, maxCharacters - 1).join("")}…`;
}

export interface HeatmapGeometry {
  cell: number;
  /** Left of the first column: row labels and the group strip sit left of it. */
  left: number;
  /** Top of the first row: rotated column labels sit above it. */
  top: number;
  /** Whole SVG size, legend included. */
  width: number;
  height: number;
  showValues: boolean;
  /** −45° while neighbouring slanted labels clear each other; −90° (upright) in narrower cells. */
  columnLabelAngle: -45 | -90;
  /** Font size of the labels: smaller than the default only when upright labels would touch. */
  labelFontSize: number;
  legendY: number;
  /** The legend's caption goes under the bar when beside it would pass `maxWidth`. */
  legendTitleBelow: boolean;
}

/** The legend's caption, measured for the layout. */
export const legendTitle = "cosine (lowest → highest pair)";

/**
 * Cell size and margins for `labels`. Column labels are rotated −45°, so they need
 * `longest × sin 45°` above the grid and as much to the right of its last column. Slanted labels
 * one cell apart are only `cell × sin 45°` apart across their lines, so in cells narrower than
 * `fontSize × √2 + 1` they would overlap: there they stand upright, a whole cell apart, in a font
 * one pixel under the cell.
 */
export function heatmapGeometry(labels: readonly string[], maxWidth?: number, hasGroups = false): HeatmapGeometry {
  const { fontSize, maxCellSize, minCellSize, valueCellSize, legendHeight, legendWidth } = heatmapDefaults;
  const longest = Math.max(24, ...labels.map((label) => estimateTextWidth(truncateLabel(label), fontSize)));
  const strip = hasGroups ? 8 : 0;
  const left = Math.ceil(longest + 12 + strip);
  const n = Math.max(1, labels.length);
  const cellFor = (rightMargin: number) =>
    Math.max(minCellSize, Math.min(maxCellSize, maxWidth ? Math.floor((maxWidth - left - rightMargin) / n) : maxCellSize));

  const slant = Math.ceil(longest * Math.SQRT1_2 + 10);
  let cell = cellFor(slant);
  let columnLabelAngle: -45 | -90 = -45;
  let labelFontSize = fontSize;
  let above = slant;
  let right = slant;
  if (cell < Math.ceil(fontSize * Math.SQRT2) + 1) {
    columnLabelAngle = -90;
    right = 4;
    cell = cellFor(right);
    labelFontSize = Math.min(fontSize, cell - 1);
    above = Math.ceil(longest * (labelFontSize / fontSize) + 10);
  }
  const top = above + strip;
  const gridSize = cell * labels.length;
  const legendY = top + gridSize + 20;
  const besideWidth = left + legendWidth + 10 + estimateTextWidth(legendTitle, fontSize) + 4;
  const legendTitleBelow = maxWidth !== undefined && besideWidth > maxWidth;
  return {
    cell,
    left,
    top,
    width: Math.max(left + gridSize + right, legendTitleBelow ? left + legendWidth + 4 : besideWidth),
    height: legendY + legendHeight + (legendTitleBelow ? 42 : 24),
    showValues: cell >= valueCellSize,
    columnLabelAngle,
    labelFontSize,
    legendY,
    legendTitleBelow,
  };
}

/**
 * Checks the inputs agree; the messages say what to change. `order` must be a permutation of
 * 0…n−1 (leaf order of a clustering, computed elsewhere).
 */
export function validateHeatmap(labels: readonly string[], matrix: readonly ArrayLike<number>[], order: readonly number[]) {
  const n = labels.length;
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new Error(`matrix must be ${n}×${n} (one row and one column per label), got ${matrix.length} rows.`);
  }
  const seen = new Set(order);
  if (order.length !== n || seen.size !== n || order.some((index) => !Number.isInteger(index) || index < 0 || index >= n)) {
    throw new Error(`order must list each index 0…${n - 1} exactly once, got [${order.slice(0, 10).join(", ")}${order.length > 10 ? ", …" : ""}].`);
  }
}
