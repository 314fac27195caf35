import type { Selection } from "d3";
import { heatmapDefaults, legendTitle } from "./layout";

export interface LegendOptions {
  x: number;
  y: number;
  domain: [number, number];
  /** id of the gradient: unique per heatmap on the page. */
  gradientId: string;
  /** The caption under the bar instead of beside it (narrow screens). */
  titleBelow?: boolean;
}

/**
 * Colour legend: a bar from the lowest to the highest off-diagonal cosine, in the same accent
 * and opacities as the cells, with the two end values printed. Says plainly that the scale is
 * stretched, so a pale cell is read as "least similar here", not "dissimilar".
 */
export function drawLegend(layer: Selection<SVGGElement, null, SVGSVGElement, unknown>, options: LegendOptions) {
  const { legendWidth: width, legendHeight: height, opacityRange } = heatmapDefaults;
  const [low, high] = options.domain;
  layer.attr("transform", `translate(${options.x},${options.y})`).attr("aria-hidden", "true");

  const gradient = layer
    .selectAll("linearGradient")
    .data([null])
    .join("linearGradient")
    .attr("id", options.gradientId);
  gradient
    .selectAll("stop")
    .data(opacityRange)
    .join("stop")
    .attr("class", "hm-legend-stop")
    .attr("offset", (_, index) => `${index * 100}%`)
    .attr("stop-opacity", (opacity) => opacity);

  layer
    .selectAll("rect.hm-legend-bar")
    .data([null])
    .join("rect")
    .attr("class", "hm-legend-bar")
    .attr("width", width)
    .attr("height", height)
    .attr("rx", 2)
    .attr("fill", `url(#${options.gradientId})`);
  layer
    .selectAll("rect.hm-legend-frame")
    .data([null])
    .join("rect")
    .attr("class", "hm-legend-frame")
    .attr("width", width)
    .attr("height", height)
    .attr("rx", 2);

  const ticks = [
    { x: 0, anchor: "start", text: low.toFixed(2) },
    { x: width, anchor: "end", text: high.toFixed(2) },
  ];
  layer
    .selectAll("text.hm-legend-tick")
    .data(ticks)
    .join("text")
    .attr("class", "hm-legend-tick")
    .attr("x", (tick) => tick.x)
    .attr("y", height + 14)
    .attr("text-anchor", (tick) => tick.anchor)
    .text((tick) => tick.text);
  layer
    .selectAll("text.hm-legend-title")
    .data([null])
    .join("text")
    .attr("class", "hm-legend-title")
    .attr("x", options.titleBelow ? 0 : width + 10)
    .attr("y", options.titleBelow ? height + 32 : height / 2)
    .attr("dominant-baseline", "central")
    .text(legendTitle);
}
