/** Public props of the map and the contract between the view and its renderers. */

export type NumberColumn = Float32Array | Float64Array | readonly number[];
export type GroupColumn = Uint8Array | Uint16Array | Uint32Array | readonly number[];

/** One precomputed neighbour: the point at `index`, with cosine similarity `score`. */
export interface Neighbour {
  index: number;
  score: number;
}

export interface MapProps {
  /** x coordinate of every point (any unit; the view fits them into the plot). */
  x: NumberColumn;
  /** y coordinate of every point, larger is higher. Same length as `x`. */
  y: NumberColumn;
  /** Text of every point, drawn as its label. */
  labels: readonly string[];
  /** Group of every point, an index into `groupNames`. Default: every point in group 0. */
  groups?: GroupColumn;
  /** Names of the groups, for the legend and the announcements. Default none (no legend). */
  groupNames?: readonly string[];
  /** k nearest neighbours of each point, best first, shown as lines on hover. Default none. */
  neighbours?: readonly (readonly Neighbour[])[];
  /** Pinned points (controlled: the view reports clicks through `onSelection`). Default []. */
  selection?: readonly number[];
  /** Called with the new selection on click, shift-click, Escape. */
  onSelection?: (indices: number[]) => void;
  /** Called when the pointer comes onto a point (its index) or leaves every point (null). */
  onHover?: (index: number | null) => void;
  /** Points to ring and label first, e.g. the results of a search. Default []. */
  highlight?: readonly number[];
  /** Plot size in CSS pixels (the legend sits above it). */
  width: number;
  height: number;
  /** "svg" up to 2,000 points and "canvas" beyond when "auto". Default "auto". */
  renderer?: "auto" | "svg" | "canvas";
  /** Draw light x/y axes with ticks. Default false: projections have no meaningful units. */
  axes?: boolean;
  /** Accessible name of the map. Default "Map of N points". */
  ariaLabel?: string;
}

/** Bit flags per point telling renderers how to draw it. */
export const PointState = {
  normal: 0,
  /** Drawn faint: something else is in focus. */
  dimmed: 1,
  /** Hovered or a neighbour of the hovered point: drawn larger, on top. */
  focused: 2,
  /** In the selection: outlined in the text colour. */
  selected: 4,
  /** In `highlight`: outlined in the accent colour. */
  highlighted: 8,
  /** The point whose neighbours are shown (hovered, or pinned): drawn largest. */
  origin: 16,
} as const;

/** Colours resolved from CSS for the current theme. */
export interface RenderColors {
  /** One colour per palette slot. */
  palette: string[];
  text: string;
  surface: string;
  accent: string;
}

/**
 * Everything a renderer needs for one frame: columnar arrays plus the viewport. Positions are
 * in pixels at zoom 1 (`baseX`, `baseY`); the renderer applies the zoom transform itself.
 */
export interface RenderFrame {
  baseX: Float32Array;
  baseY: Float32Array;
  /** Palette slot of every point. */
  colorSlot: Uint8Array;
  /** PointState flags of every point. */
  state: Uint8Array;
  /** Zoom transform: screen = base × k + (tx, ty). */
  transform: { k: number; x: number; y: number };
  width: number;
  height: number;
  radius: number;
  colors: RenderColors;
  /** A pan or zoom is under way: renderers may trade detail for speed until it ends. */
  moving: boolean;
}

/** Draws the points. Implementations: SVG circles and Canvas 2D. */
export interface PointRenderer {
  readonly kind: "svg" | "canvas";
  /** Called when the data changes, with the title (tooltip) text of every point. */
  setData(titles: readonly string[]): void;
  render(frame: RenderFrame): void;
  destroy(): void;
}
