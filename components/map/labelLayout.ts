import { estimateTextWidth, placeLabels, type Box, type PlacedLabel } from "@/lib/plot/labels";

/**
 * Per-frame label layout of the map: which labels to try (points in view, in priority order),
 * how wide each is, and what they must not cover. Widths are measured when a label is first
 * tried, then kept until the data or the font changes.
 */

export const labelStyle = {
  /** Font size of ordinary labels, px (the stylesheet uses the same). */
  fontSize: 12,
  /** Strong (hovered, selected, neighbour) labels are bold and 13px: about this much wider. */
  strongWidthFactor: 1.18,
  /** Text box height: font size plus room for the halo. */
  height: 16,
  /** Points stop being obstacles above this many in view: dense clusters would cull every label. */
  maxObstaclePoints: 400,
  /** Labels tried per frame at most, after filtering to the viewport: bounds the frame time. */
  maxCandidates: 4000,
  /** At most one label per this many square pixels: a dense map shows a sample, not a wall of text. */
  pixelsPerLabel: 4500,
  /** Above this many points in view, dimmed points lose their labels instead of showing them faint. */
  maxFaintLabelPoints: 300,
};

/**
 * Text widths in px, measured with the real font via a canvas (estimated where there is none),
 * each on first use and then cached. Lazily because a frame tries at most `maxCandidates` labels:
 * measuring all 100,000 texts of a large map up front took ~300 ms before the first plot.
 */
export function labelMeasurer(texts: readonly string[], font: string): (index: number) => number {
  const widths = new Float32Array(texts.length).fill(NaN);
  let context: CanvasRenderingContext2D | null | undefined;
  return (index) => {
    let width = widths[index];
    if (width !== width) {
      if (context === undefined) {
        context = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
        if (context) context.font = font;
      }
      const text = texts[index] ?? "";
      widths[index] = context ? context.measureText(text).width : estimateTextWidth(text, labelStyle.fontSize);
      width = widths[index]; // As stored (float32), so the first answer equals the later ones.
    }
    return width;
  };
}

/**
 * Boxes covering a line segment (one every `step` px) and the score text at `score`, so labels
 * are placed beside neighbour lines instead of across them.
 */
export function lineObstacles(line: { x1: number; y1: number; x2: number; y2: number }, score: [number, number], step = 6): Box[] {
  const length = Math.hypot(line.x2 - line.x1, line.y2 - line.y1);
  const steps = Math.min(400, Math.ceil(length / step));
  const boxes: Box[] = [{ x0: score[0] - 14, y0: score[1] - 8, x1: score[0] + 14, y1: score[1] + 8 }];
  for (let i = 0; i <= steps; i++) {
    const x = line.x1 + ((line.x2 - line.x1) * i) / (steps || 1);
    const y = line.y1 + ((line.y2 - line.y1) * i) / (steps || 1);
    boxes.push({ x0: x - 1.5, y0: y - 1.5, x1: x + 1.5, y1: y + 1.5 });
  }
  return boxes;
}

export interface LabelLayoutInput {
  priority: readonly number[];
  /** How many of the first `priority` entries must be shown even when crowded. */
  required: number;
  screenX: (index: number) => number;
  screenY: (index: number) => number;
  /** Width of a point's label text in px (see labelMeasurer). */
  labelWidth: (index: number) => number;
  strong: ReadonlySet<number>;
  /** Points drawn faint: their labels are dropped when the view is crowded. */
  dimmed: (index: number) => boolean;
  /** Gap between a point and its label: larger for enlarged or ringed points. */
  gap: (index: number) => number;
  /** Other things labels must not cover, e.g. neighbour lines and their scores. Default none. */
  obstacles?: Box[];
  radius: number;
  width: number;
  height: number;
}

export function layoutLabels(input: LabelLayoutInput): PlacedLabel[] {
  const { width, height, radius } = input;
  // The points in view in priority order, and those of them whose labels survive a crowded view
  // (required, or not dimmed). Only the first maxCandidates are ever tried, so the scan stops once
  // it has them and has seen enough points to know the view is crowded: with 100,000 points on
  // screen it reads a few thousand priority entries a frame instead of all of them.
  const inView: number[] = [];
  const bright: number[] = [];
  const enough = Math.max(labelStyle.maxFaintLabelPoints, labelStyle.maxObstaclePoints);
  let inViewCount = 0;
  let required = 0;
  for (let rank = 0; rank < input.priority.length; rank++) {
    const index = input.priority[rank];
    const x = input.screenX(index);
    const y = input.screenY(index);
    if (!(x >= 0 && x <= width && y >= 0 && y <= height)) continue;
    inViewCount++;
    if (inView.length < labelStyle.maxCandidates) inView.push(index);
    if (rank < input.required) required++;
    if (rank < input.required || !input.dimmed(index)) bright.push(index);
    if (bright.length >= labelStyle.maxCandidates && inViewCount > enough) break;
  }
  const crowded = inViewCount > labelStyle.maxFaintLabelPoints;
  const shown = crowded ? bright : inView;
  const candidates = shown.slice(0, labelStyle.maxCandidates).map((index) => ({
    index,
    x: input.screenX(index),
    y: input.screenY(index),
    width: input.labelWidth(index) * (input.strong.has(index) ? labelStyle.strongWidthFactor : 1),
    height: labelStyle.height,
    offset: input.gap(index),
  }));
  const pointBoxes: Box[] =
    inViewCount > labelStyle.maxObstaclePoints
      ? []
      : candidates.map(({ x, y }) => ({ x0: x - radius - 1, y0: y - radius - 1, x1: x + radius + 1, y1: y + radius + 1 }));
  const obstacles = [...pointBoxes, ...(input.obstacles ?? [])];
  return placeLabels(candidates, {
    bounds: { x0: 2, y0: 2, x1: width - 2, y1: height - 2 },
    offset: radius + 4,
    obstacles,
    required,
    maxLabels: Math.max(12, Math.round((width * height) / labelStyle.pixelsPerLabel)),
  });
}
