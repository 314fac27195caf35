import { axisBottom, axisLeft, select, type ScaleLinear, type Selection } from "d3";
import type { PlacedLabel } from "@/lib/plot/labels";

/**
 * The SVG drawn over the points in both modes: axes, neighbour lines with their cosine, labels.
 * D3 joins keep it to the few dozen nodes actually visible, whatever the number of points.
 */

export interface NeighbourLine {
  /** Point the line starts from (hovered or selected) and the neighbour it goes to. */
  from: number;
  to: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  /** Where the score is printed (see placeScores); default: scorePosition's spot. */
  scoreX?: number;
  scoreY?: number;
}

export interface OverlayFrame {
  width: number;
  height: number;
  labels: PlacedLabel[];
  texts: readonly string[];
  /** Indices whose labels are drawn bold (hovered, selected, neighbours). */
  strong: ReadonlySet<number>;
  /** Indices whose labels are drawn faint. */
  faint: ReadonlySet<number>;
  lines: NeighbourLine[];
  axes?: { x: ScaleLinear<number, number>; y: ScaleLinear<number, number>; bottom: number; left: number };
}

/**
 * Where a line's score goes: the middle of the part of the line inside the viewport (clipped
 * with Liang–Barsky), so the score of a neighbour that is off-screen after zooming stays readable.
 */
export function scorePosition(line: NeighbourLine, width: number, height: number, along = 0.5): [number, number] {
  const dx = line.x2 - line.x1;
  const dy = line.y2 - line.y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, line.x1],
    [dx, width - line.x1],
    [-dy, line.y1],
    [dy, height - line.y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return [(line.x1 + line.x2) / 2, (line.y1 + line.y2) / 2];
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
  }
  const t = t0 <= t1 ? t0 + (t1 - t0) * along : 0.5;
  return [line.x1 + dx * t, line.y1 + dy * t];
}

/** Size of a printed score ("0.66") with its halo, in px. */
const scoreBox = { width: 30, height: 15 };

/**
 * Score spots for all lines, so that no two overlap: each score tries the middle of its visible
 * segment, then spots a little either side (35%, 65%, 20%, 80%), and keeps the first free one.
 */
export function placeScores(lines: NeighbourLine[], width: number, height: number): NeighbourLine[] {
  const taken: [number, number][] = [];
  const collides = ([x, y]: [number, number]) =>
    taken.some(([ox, oy]) => Math.abs(ox - x) < scoreBox.width && Math.abs(oy - y) < scoreBox.height);
  return lines.map((line) => {
    const spots = [0.5, 0.35, 0.65, 0.2, 0.8].map((along) => scorePosition(line, width, height, along));
    const [scoreX, scoreY] = spots.find((spot) => !collides(spot)) ?? spots[0];
    taken.push([scoreX, scoreY]);
    return { ...line, scoreX, scoreY };
  });
}

export class MapOverlay {
  private svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private axisLayer: Selection<SVGGElement, unknown, null, undefined>;
  private lineLayer: Selection<SVGGElement, unknown, null, undefined>;
  private labelLayer: Selection<SVGGElement, unknown, null, undefined>;

  constructor(container: HTMLElement) {
    this.svg = select(container).append("svg").attr("class", "map-overlay").attr("aria-hidden", "true");
    this.axisLayer = this.svg.append("g").attr("class", "map-axes");
    this.lineLayer = this.svg.append("g").attr("class", "map-lines");
    this.labelLayer = this.svg.append("g").attr("class", "map-labels");
  }

  render(frame: OverlayFrame) {
    this.svg.attr("width", frame.width).attr("height", frame.height);
    this.renderAxes(frame);

    const lines = this.lineLayer
      .selectAll<SVGGElement, NeighbourLine>("g.map-neighbour")
      .data(frame.lines, (line) => `${line.from}-${line.to}`)
      .join((enter) => {
        const group = enter.append("g").attr("class", "map-neighbour");
        group.append("line").attr("class", "map-neighbour-line");
        group.append("text").attr("class", "map-neighbour-score");
        return group;
      })
      .attr("data-from", (line) => line.from)
      .attr("data-to", (line) => line.to);
    lines
      .select("line")
      .attr("x1", (line) => line.x1.toFixed(1))
      .attr("y1", (line) => line.y1.toFixed(1))
      .attr("x2", (line) => line.x2.toFixed(1))
      .attr("y2", (line) => line.y2.toFixed(1));
    lines
      .select("text")
      .each(function (line) {
        const [x, y] = line.scoreX !== undefined && line.scoreY !== undefined ? [line.scoreX, line.scoreY] : scorePosition(line, frame.width, frame.height);
        select(this).attr("x", x.toFixed(1)).attr("y", y.toFixed(1));
      })
      .text((line) => line.score.toFixed(2));

    this.labelLayer
      .selectAll<SVGTextElement, PlacedLabel>("text")
      .data(frame.labels, (label) => label.index)
      .join("text")
      .attr("class", "map-label")
      .attr("data-index", (label) => label.index)
      .attr("x", (label) => label.x.toFixed(1))
      .attr("y", (label) => label.y.toFixed(1))
      .classed("map-label-strong", (label) => frame.strong.has(label.index))
      .classed("map-label-faint", (label) => frame.faint.has(label.index))
      .text((label) => frame.texts[label.index]);
  }

  private renderAxes(frame: OverlayFrame) {
    const axes = frame.axes;
    this.axisLayer
      .selectAll<SVGGElement, string>("g.map-axis")
      .data(axes ? ["x", "y"] : [])
      .join("g")
      .attr("class", "map-axis")
      .each(function (which) {
        if (!axes) return;
        const group = select(this);
        if (which === "x") group.attr("transform", `translate(0,${axes.bottom})`).call(axisBottom(axes.x).ticks(6).tickSize(4));
        else group.attr("transform", `translate(${axes.left},0)`).call(axisLeft(axes.y).ticks(5).tickSize(4));
        group.select(".domain").remove();
      });
  }

  destroy() {
    this.svg.remove();
  }
}
