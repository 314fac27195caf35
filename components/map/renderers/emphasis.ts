import { PointState, type RenderFrame } from "@/lib/plot/types";

/**
 * How a point's state looks, shared by both renderers so SVG and canvas draw the same picture.
 * Pure: a frame and an index in, a radius, opacity and rings out.
 */

export interface Ring {
  radius: number;
  color: string;
  width: number;
}

export interface PointStyle {
  radius: number;
  opacity: number;
  /** Drawn above the other points, with rings. */
  onTop: boolean;
  rings: Ring[];
}

/** Opacity of ordinary points: slightly translucent so dense clusters show their density. */
export const baseOpacity = 0.88;
/** Opacity of points pushed back while something else is in focus. */
export const dimmedOpacity = 0.2;

export function pointStyle(frame: RenderFrame, index: number): PointStyle {
  const state = frame.state[index];
  const focused = (state & PointState.focused) !== 0;
  const origin = (state & PointState.origin) !== 0;
  const selected = (state & PointState.selected) !== 0;
  const highlighted = (state & PointState.highlighted) !== 0;
  // On a dense map points are tiny: emphasised ones get a floor so they stand out anyway.
  const radius = origin ? Math.max(frame.radius * 1.6, 5) : focused ? Math.max(frame.radius * 1.25, 3.5) : frame.radius;
  const rings: Ring[] = [];
  if (focused || selected || highlighted) rings.push({ radius, color: frame.colors.surface, width: 1.5 });
  if (selected) rings.push({ radius: radius + 3, color: frame.colors.text, width: 2 });
  if (highlighted) rings.push({ radius: radius + (selected ? 6 : 3), color: frame.colors.accent, width: 2 });
  return {
    radius,
    opacity: state & PointState.dimmed ? dimmedOpacity : focused || selected || highlighted ? 1 : baseOpacity,
    onTop: focused || selected || highlighted,
    rings,
  };
}

/** Distance from a point's centre to the outside of its outermost ring, for label placement. */
export function outerRadius(style: PointStyle): number {
  return Math.max(style.radius, ...style.rings.map((ring) => ring.radius + ring.width / 2));
}

/** Screen position of point `index` under the frame's zoom transform. */
export function screenX(frame: RenderFrame, index: number): number {
  return frame.baseX[index] * frame.transform.k + frame.transform.x;
}

export function screenY(frame: RenderFrame, index: number): number {
  return frame.baseY[index] * frame.transform.k + frame.transform.y;
}
