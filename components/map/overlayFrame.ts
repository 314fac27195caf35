import { layoutLabels, lineObstacles } from "./labelLayout";
import { placeScores, type NeighbourLine, type OverlayFrame } from "./overlay";
import { outerRadius, pointStyle, screenX, screenY } from "./renderers/emphasis";
import type { PointStates } from "./state";
import { PointState, type Neighbour, type RenderFrame } from "@/lib/plot/types";

/**
 * Everything drawn over the points for one frame, computed from the points' frame: neighbour
 * lines (cut short of the dots, scores spread apart) and labels placed around the points and
 * clear of those lines. Pure apart from reading the frame, so it is the same in both modes.
 */

export interface OverlayInput {
  frame: RenderFrame;
  states: PointStates;
  neighbours: readonly (readonly Neighbour[])[];
  texts: readonly string[];
  /** Label priority (see labelPriority) and how many leading entries must show. */
  priority: readonly number[];
  requiredLabels: number;
  /** Width of a point's label text in px. */
  labelWidth: (index: number) => number;
}

export function overlayFrame(input: OverlayInput): Omit<OverlayFrame, "axes"> {
  const { frame, states } = input;
  const { width, height } = frame;
  const x = (index: number) => screenX(frame, index);
  const y = (index: number) => screenY(frame, index);
  const clearance = (index: number) => outerRadius(pointStyle(frame, index));

  const lines = placeScores(
    states.focus.flatMap((from) =>
      (input.neighbours[from] ?? [])
        .filter((neighbour) => neighbour.index !== from && neighbour.index >= 0 && neighbour.index < frame.baseX.length)
        .map((neighbour) => shortenedLine(from, neighbour.index, neighbour.score, x, y, clearance(from) + 2, clearance(neighbour.index) + 2)),
    ),
    width,
    height,
  );
  const strong = new Set([...states.focus, ...states.focusNeighbours]);
  const isDimmed = (index: number) => (frame.state[index] & PointState.dimmed) !== 0;
  const labels = layoutLabels({
    priority: input.priority,
    required: input.requiredLabels,
    screenX: x,
    screenY: y,
    labelWidth: input.labelWidth,
    strong,
    dimmed: isDimmed,
    gap: (index) => (frame.state[index] > PointState.dimmed ? clearance(index) : frame.radius) + 4,
    obstacles: lines.flatMap((line) => lineObstacles(line, [line.scoreX!, line.scoreY!])),
    radius: frame.radius,
    width,
    height,
  });
  const faint = new Set(labels.filter((label) => isDimmed(label.index)).map((label) => label.index));
  return { width, height, labels, texts: input.texts, strong, faint, lines };
}

/** Radius of points at zoom `k`: they grow with √k, up to 6 px, so zoomed-in dense maps stay pointable. */
export function zoomedRadius(baseRadius: number, k: number): number {
  return Math.min(Math.max(baseRadius, 6), baseRadius * Math.sqrt(k));
}

/** A neighbour line that stops short of both points (by their gaps), so it never crosses their dots. */
export function shortenedLine(
  from: number,
  to: number,
  score: number,
  x: (index: number) => number,
  y: (index: number) => number,
  gapFrom: number,
  gapTo: number,
): NeighbourLine {
  const [x1, y1, x2, y2] = [x(from), y(from), x(to), y(to)];
  const length = Math.hypot(x2 - x1, y2 - y1);
  const [cutFrom, cutTo] = length > gapFrom + gapTo ? [gapFrom / length, gapTo / length] : [0.5, 0.5];
  return {
    from,
    to,
    x1: x1 + (x2 - x1) * cutFrom,
    y1: y1 + (y2 - y1) * cutFrom,
    x2: x2 - (x2 - x1) * cutTo,
    y2: y2 - (y2 - y1) * cutTo,
    score,
  };
}

