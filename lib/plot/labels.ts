/**
 * Greedy label placement, pure and DOM-free. Labels are taken in priority order and each is put at
 * the first of a few spots around its point (right, left, above, below) where its box overlaps no
 * label placed before it and no obstacle; if there is none the label is culled. Greedy is not
 * optimal, but it is O(n) with the grid below, stable while panning (the same labels win every
 * frame) and predictable: what the reader cares about (hover, selection) always goes first.
 */

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LabelCandidate {
  /** Index of the point the label belongs to. */
  index: number;
  /** Anchor: the point's position in pixels. */
  x: number;
  y: number;
  /** Text box size in pixels. */
  width: number;
  height: number;
  /** Gap between this point and its label, overriding `offset` (e.g. for a ringed point). */
  offset?: number;
}

export type LabelSide = "right" | "left" | "top" | "bottom";

export interface PlacedLabel {
  index: number;
  /** Where to draw the text: `x` is the start (left edge), `y` the vertical middle. */
  x: number;
  y: number;
  side: LabelSide;
  box: Box;
}

export interface PlaceLabelsOptions {
  /** Area labels must fit in (usually the plot's viewport). */
  bounds: Box;
  /** Gap between the point and its label, in pixels (point radius + a little). Default 8. */
  offset?: number;
  /** Boxes labels must not cover, e.g. the points themselves. Default none. */
  obstacles?: Box[];
  /** Spots tried in order. Default right, left, top, bottom. */
  sides?: LabelSide[];
  /** The first `required` candidates are shown even when every spot collides. Default 0. */
  required?: number;
  /** Free space kept between labels, in pixels, so they read as separate words. Default 2. */
  padding?: number;
  /** Labels shown at most (required ones always are): caps clutter on dense maps. Default Infinity. */
  maxLabels?: number;
}

export const labelDefaults = {
  offset: 8,
  sides: ["right", "left", "top", "bottom"] as LabelSide[],
  required: 0,
  padding: 2,
  maxLabels: Infinity,
};

/** Places labels greedily in the order given; returns the ones shown, in that order. */
export function placeLabels(candidates: LabelCandidate[], options: PlaceLabelsOptions): PlacedLabel[] {
  const offset = options.offset ?? labelDefaults.offset;
  const sides = options.sides ?? labelDefaults.sides;
  const required = options.required ?? labelDefaults.required;
  const padding = options.padding ?? labelDefaults.padding;
  const maxLabels = options.maxLabels ?? labelDefaults.maxLabels;
  const grid = new BoxGrid(64);
  const padded = (box: Box): Box => ({ x0: box.x0 - padding, y0: box.y0 - padding, x1: box.x1 + padding, y1: box.y1 + padding });
  for (const obstacle of options.obstacles ?? []) grid.insert(obstacle);

  const placed: PlacedLabel[] = [];
  candidates.forEach((candidate, rank) => {
    if (rank >= required && placed.length >= maxLabels) return;
    let fallback: PlacedLabel | undefined;
    for (const side of sides) {
      const label = labelAt(candidate, side, candidate.offset ?? offset);
      if (!inside(label.box, options.bounds)) continue;
      fallback ??= label;
      if (!grid.collides(label.box)) {
        grid.insert(padded(label.box));
        placed.push(label);
        return;
      }
    }
    if (rank < required) {
      const forced = fallback ?? labelAt(candidate, sides[0], candidate.offset ?? offset);
      grid.insert(padded(forced.box));
      placed.push(forced);
    }
  });
  return placed;
}

/**
 * Point indices in label priority: hovered, then selected, then the given extra groups (e.g. the
 * hovered point's neighbours, highlighted points), then every other point in index order.
 * No index appears twice.
 */
export function labelPriority(count: number, ...first: (readonly number[] | number | null | undefined)[]): number[] {
  const order: number[] = [];
  const seen = new Uint8Array(count);
  const add = (index: number) => {
    if (index >= 0 && index < count && !seen[index]) {
      seen[index] = 1;
      order.push(index);
    }
  };
  for (const group of first) {
    if (typeof group === "number") add(group);
    else group?.forEach(add);
  }
  for (let index = 0; index < count; index++) add(index);
  return order;
}

/**
 * Width of a text in pixels without a DOM, from average glyph widths of a sans-serif face:
 * good to a few percent for Latin text, and deterministic (used for SVG exports and tests).
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) {
    if (/[ilj.,:;'|!]/.test(char)) ems += 0.28;
    else if (/[mwMW@]/.test(char)) ems += 0.86;
    else if (/[A-Z0-9]/.test(char)) ems += 0.64;
    else if (char.codePointAt(0)! > 0x2e80) ems += 1; // CJK and friends are full-width.
    else ems += 0.54;
  }
  return ems * fontSize;
}

function labelAt(candidate: LabelCandidate, side: LabelSide, offset: number): PlacedLabel {
  const { index, width, height } = candidate;
  let x = candidate.x + offset;
  let y = candidate.y;
  if (side === "left") x = candidate.x - offset - width;
  if (side === "top" || side === "bottom") {
    x = candidate.x - width / 2;
    y = candidate.y + (side === "top" ? -1 : 1) * (offset + height / 2 - 2);
  }
  return { index, x, y, side, box: { x0: x, y0: y - height / 2, x1: x + width, y1: y + height / 2 } };
}

function inside(box: Box, bounds: Box): boolean {
  return box.x0 >= bounds.x0 && box.y0 >= bounds.y0 && box.x1 <= bounds.x1 && box.y1 <= bounds.y1;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Uniform grid of boxes: a collision test looks only at the few cells the box covers. */
class BoxGrid {
  // Numeric keys: this runs every frame for thousands of labels, and string keys would allocate.
  private cells = new Map<number, Box[]>();
  constructor(private size: number) {}

  insert(box: Box) {
    this.forCells(box, (key) => {
      const cell = this.cells.get(key);
      if (cell) cell.push(box);
      else this.cells.set(key, [box]);
    });
  }

  collides(box: Box): boolean {
    let hit = false;
    this.forCells(box, (key) => {
      if (!hit) hit = this.cells.get(key)?.some((other) => overlaps(box, other)) ?? false;
    });
    return hit;
  }

  private forCells(box: Box, visit: (key: number) => void) {
    const s = this.size;
    for (let i = Math.floor(box.x0 / s); i <= Math.floor(box.x1 / s); i++) {
      for (let j = Math.floor(box.y0 / s); j <= Math.floor(box.y1 / s); j++) visit(i * 1_000_003 + j);
    }
  }
}
