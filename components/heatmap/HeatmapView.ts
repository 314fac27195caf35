import { range, select, type Selection } from "d3";
import { paletteVariable } from "@/lib/plot/palette";
import type { GroupColumn } from "@/lib/plot/types";
import { drawLegend } from "./legend";
import { cellOpacity, heatmapDefaults, heatmapGeometry, intensity, similarityDomain, truncateLabel, validateHeatmap } from "./layout";
import { ensureHeatmapStyles } from "./styles";

export interface HeatmapProps {
  /** Text of every row/column, in matrix order. */
  labels: readonly string[];
  /** Cosine similarity of every pair, n×n, in the same order as `labels`. */
  matrix: readonly ArrayLike<number>[];
  /** Group of every text (index into `groupNames`): drawn as a colour strip by the labels. Default none. */
  groups?: GroupColumn;
  groupNames?: readonly string[];
  /** Display order, a permutation of 0…n−1 (e.g. a clustering's leaf order). Default identity. */
  order?: readonly number[];
  /** Width available in px: cells shrink to fit (12–44 px). Default: 44 px cells. */
  maxWidth?: number;
  /** Accessible name. Default "Cosine similarity of N texts". */
  ariaLabel?: string;
}

type Cell = { row: number; column: number; i: number; j: number; value: number };

/**
 * Similarity heatmap: `new HeatmapView(el, props)`, `update(partial)`, `destroy()`; D3 draws an
 * SVG of cells, rotated column labels, row labels and a colour legend. Cells form an ARIA grid
 * with one tab stop (arrow keys move between cells), each named "cat × dog: 0.66"; hover or focus
 * shows the value in a tooltip, and every cell carries a `<title>` too.
 */
export class HeatmapView {
  private props: HeatmapProps;
  private root: HTMLDivElement;
  private svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private tooltip: HTMLDivElement;
  private focus = { row: 0, column: 0 };
  private static instances = 0;
  private gradientId = `hm-gradient-${++HeatmapView.instances}`;

  constructor(element: HTMLElement, props: HeatmapProps) {
    this.props = props;
    ensureHeatmapStyles(element.ownerDocument);
    this.root = element.ownerDocument.createElement("div");
    this.root.className = "heatmap-view";
    this.svg = select(this.root).append("svg");
    this.tooltip = this.root.appendChild(element.ownerDocument.createElement("div"));
    this.tooltip.className = "hm-tooltip";
    this.tooltip.hidden = true;
    this.tooltip.setAttribute("aria-hidden", "true");
    element.append(this.root);
    this.render();
  }

  /** Merges `partial` into the props and redraws; throws (keeping the old picture) on inconsistent props. */
  update(partial: Partial<HeatmapProps>) {
    const next = { ...this.props, ...partial };
    validateHeatmap(next.labels, next.matrix, next.order ?? range(next.labels.length));
    this.props = next;
    this.render();
  }

  destroy() {
    this.root.remove();
  }

  private render() {
    const { labels, matrix, groups, groupNames = [] } = this.props;
    const n = labels.length;
    const order = this.props.order ?? range(n);
    validateHeatmap(labels, matrix, order);
    const hasGroups = Boolean(groups) && groupNames.length >= 2;
    const geometry = heatmapGeometry(labels, this.props.maxWidth, hasGroups);
    const domain = similarityDomain(matrix);
    const { cell, left, top, columnLabelAngle, labelFontSize } = geometry;
    this.focus = { row: Math.min(this.focus.row, n - 1), column: Math.min(this.focus.column, n - 1) };
    this.svg.attr("width", geometry.width).attr("height", geometry.height);

    const name = (index: number) => labels[index];
    const columnLabels = this.layer("hm-column-labels")
      .selectAll("text")
      .data(order)
      .join("text")
      .attr("class", "hm-label")
      .attr("transform", (_, column) => `translate(${left + column * cell + cell / 2},${top - (hasGroups ? 12 : 6)}) rotate(${columnLabelAngle})`)
      // Upright labels are centred on their column; slanted ones start at its centre.
      .attr("dominant-baseline", columnLabelAngle === -90 ? "central" : null)
      .style("font-size", `${labelFontSize}px`)
      .text((index) => truncateLabel(name(index)));
    const rowLabels = this.layer("hm-row-labels")
      .selectAll("text")
      .data(order)
      .join("text")
      .attr("class", "hm-label")
      .attr("x", left - (hasGroups ? 14 : 8))
      .attr("y", (_, row) => top + row * cell + cell / 2)
      .attr("text-anchor", "end")
      .attr("dominant-baseline", "central")
      .style("font-size", `${labelFontSize}px`)
      .text((index) => truncateLabel(name(index)));
    // Cut labels carry their full text as a tooltip; whole ones need none (it would be read twice).
    const fullText = (index: number) => (truncateLabel(name(index)) === name(index) ? [] : [name(index)]);
    for (const labelSet of [columnLabels, rowLabels]) labelSet.selectAll("title").data(fullText).join("title").text((text) => text);

    const strips = hasGroups ? order : [];
    const strip = (index: number) => `var(${paletteVariable(groups?.[index] ?? 0)})`;
    this.layer("hm-row-strips").selectAll("rect").data(strips).join("rect")
      .attr("x", left - 8).attr("y", (_, row) => top + row * cell + 1).attr("width", 4).attr("height", cell - 2).attr("rx", 2)
      .style("fill", strip);
    this.layer("hm-column-strips").selectAll("rect").data(strips).join("rect")
      .attr("x", (_, column) => left + column * cell + 1).attr("y", top - 8).attr("width", cell - 2).attr("height", 4).attr("rx", 2)
      .style("fill", strip);

    const cells: Cell[] = order.flatMap((i, row) => order.map((j, column) => ({ row, column, i, j, value: Number(matrix[i][j]) })));
    const grid = this.layer("hm-grid").attr("role", "grid").attr("aria-label", this.props.ariaLabel ?? `Cosine similarity of ${n} texts`);
    const rows = grid.selectAll<SVGGElement, number>("g").data(order).join("g").attr("role", "row");
    const rects = rows
      .selectAll<SVGRectElement, Cell>("rect")
      .data((_, row) => cells.slice(row * n, row * n + n))
      .join((enter) => enter.append("rect").call((rect) => rect.append("title")))
      .attr("role", "gridcell")
      .attr("class", (d) => (d.i === d.j ? "hm-cell hm-diagonal" : "hm-cell"))
      .attr("data-row", (d) => d.row)
      .attr("data-column", (d) => d.column)
      .attr("x", (d) => left + d.column * cell + 1)
      .attr("y", (d) => top + d.row * cell + 1)
      .attr("width", cell - 2)
      .attr("height", cell - 2)
      .attr("rx", Math.min(4, cell / 6))
      .attr("fill-opacity", (d) => (d.i === d.j ? null : cellOpacity(d.value, domain)))
      .attr("tabindex", (d) => (d.row === this.focus.row && d.column === this.focus.column ? 0 : -1))
      .attr("aria-label", (d) => describeCell(labels, d))
      .call((rect) => rect.select("title").text((d) => describeCell(labels, d)))
      .on("pointerenter focus", (event: Event, d) => this.showCell(d, event.type === "focus"))
      .on("pointerleave blur", () => this.hideCell())
      .on("keydown", (event: KeyboardEvent) => this.onKeyDown(event, n));

    this.layer("hm-values")
      .selectAll("text")
      .data(geometry.showValues ? cells : [])
      .join("text")
      .attr("class", (d) => `hm-value${d.i === d.j ? " hm-diagonal" : intensity(d.value, domain) > heatmapDefaults.strongThreshold ? " hm-strong" : ""}`)
      .attr("x", (d) => left + d.column * cell + cell / 2)
      .attr("y", (d) => top + d.row * cell + cell / 2)
      .text((d) => (Number.isFinite(d.value) ? d.value.toFixed(2) : "–"));

    drawLegend(this.layer("hm-legend"), { x: left, y: geometry.legendY, domain, gradientId: this.gradientId, titleBelow: geometry.legendTitleBelow });
    this.rects = rects;
  }

  private rects?: Selection<SVGRectElement, Cell, SVGGElement, number>;

  private layer(className: string) {
    return this.svg.selectAll<SVGGElement, null>(`g.${className}`).data([null]).join("g").attr("class", className);
  }

  private showCell(d: Cell, focused: boolean) {
    if (focused) this.focus = { row: d.row, column: d.column };
    this.rects?.classed("hm-hover", (other) => other === d);
    this.svg.selectAll<SVGTextElement, number>(".hm-row-labels text").classed("hm-label-active", (_, row) => row === d.row);
    this.svg.selectAll<SVGTextElement, number>(".hm-column-labels text").classed("hm-label-active", (_, column) => column === d.column);
    const { cell, left, top } = heatmapGeometry(this.props.labels, this.props.maxWidth, Boolean(this.props.groups) && (this.props.groupNames ?? []).length >= 2);
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${left + d.column * cell + cell / 2 - this.root.scrollLeft}px`;
    this.tooltip.style.top = `${top + d.row * cell}px`;
    this.tooltip.replaceChildren(tooltipContent(this.props.labels, d));
  }

  private hideCell() {
    this.tooltip.hidden = true;
    this.rects?.classed("hm-hover", false);
    this.svg.selectAll(".hm-label-active").classed("hm-label-active", false);
  }

  private onKeyDown(event: KeyboardEvent, n: number) {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    let { row, column } = this.focus;
    if (moves[event.key]) [row, column] = [row + moves[event.key][0], column + moves[event.key][1]];
    else if (event.key === "Home") column = 0;
    else if (event.key === "End") column = n - 1;
    else return;
    event.preventDefault();
    this.focus = { row: Math.max(0, Math.min(n - 1, row)), column: Math.max(0, Math.min(n - 1, column)) };
    const next = this.rects?.filter((d) => d.row === this.focus.row && d.column === this.focus.column);
    this.rects?.attr("tabindex", -1);
    next?.attr("tabindex", 0).node()?.focus();
  }
}

function describeCell(labels: readonly string[], d: Cell): string {
  return `${labels[d.i]} × ${labels[d.j]}: ${Number.isFinite(d.value) ? d.value.toFixed(3) : "no value"}`;
}

function tooltipContent(labels: readonly string[], d: Cell): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(`${labels[d.i]} × ${labels[d.j]}  `);
  const value = document.createElement("strong");
  value.textContent = Number.isFinite(d.value) ? d.value.toFixed(3) : "–";
  fragment.append(value);
  return fragment;
}
