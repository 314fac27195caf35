import { select, type Selection } from "d3";
import { PointState, type PointRenderer, type RenderFrame } from "@/lib/plot/types";
import { baseOpacity, dimmedOpacity, pointStyle, screenX, screenY } from "./emphasis";

const svgNamespace = "http://www.w3.org/2000/svg";

/**
 * Points as SVG circles: one `<circle data-index="i">` with a `<title>` per point, so tests and
 * devtools can find any point and a browser tooltip names it. Emphasised points get a copy in a
 * top layer (rings included), which keeps the base circles in index order. Fine up to a few
 * thousand points; beyond that the DOM itself becomes the bottleneck (see canvasRenderer).
 */
export class SvgPointRenderer implements PointRenderer {
  readonly kind = "svg";
  private svg: SVGSVGElement;
  private base: Selection<SVGGElement, unknown, null, undefined>;
  private top: Selection<SVGGElement, unknown, null, undefined>;
  private circles: SVGCircleElement[] = [];
  /** What each circle was last given, so a pan writes only cx and cy (a DOM write costs more than a compare). */
  private written: { radius: string[]; fill: string[]; opacity: string[]; state: Uint16Array } = { radius: [], fill: [], opacity: [], state: new Uint16Array(0) };

  constructor(container: HTMLElement) {
    this.svg = document.createElementNS(svgNamespace, "svg");
    this.svg.classList.add("map-points");
    // The focusable map, its live region and MapTable are the accessible path; 2,000 titles are not.
    this.svg.setAttribute("aria-hidden", "true");
    container.prepend(this.svg); // Below the overlay, whenever the renderer is swapped in.
    this.base = select(this.svg).append("g");
    this.top = select(this.svg).append("g").attr("class", "map-points-top");
  }

  setData(titles: readonly string[]) {
    this.circles = this.base
      .selectAll<SVGCircleElement, string>("circle")
      .data(titles)
      .join((enter) => enter.append("circle").call((circle) => circle.append("title")))
      .attr("data-index", (_, index) => index)
      .call((circle) => circle.select("title").text((title) => title))
      .nodes();
    // 0x100: no state written yet.
    this.written = { radius: [], fill: [], opacity: [], state: new Uint16Array(this.circles.length).fill(0x100) };
  }

  render(frame: RenderFrame) {
    select(this.svg).attr("width", frame.width).attr("height", frame.height);
    const onTop: number[] = [];
    const written = this.written;
    const radius = String(frame.radius);
    this.circles.forEach((circle, index) => {
      const state = frame.state[index];
      // Only emphasised points need the full style; the rest differ just in opacity.
      const style = state > PointState.dimmed ? pointStyle(frame, index) : undefined;
      if (style?.onTop) onTop.push(index);
      const opacity = String(style ? style.opacity : state & PointState.dimmed ? dimmedOpacity : baseOpacity);
      const fill = frame.colors.palette[frame.colorSlot[index]];
      circle.setAttribute("cx", screenX(frame, index).toFixed(1));
      circle.setAttribute("cy", screenY(frame, index).toFixed(1));
      if (written.radius[index] !== radius) circle.setAttribute("r", (written.radius[index] = radius));
      if (written.fill[index] !== fill) circle.setAttribute("fill", (written.fill[index] = fill));
      if (written.opacity[index] !== opacity) circle.setAttribute("fill-opacity", (written.opacity[index] = opacity));
      if (written.state[index] !== state) {
        written.state[index] = state;
        toggleAttribute(circle, "data-selected", (state & PointState.selected) !== 0);
        toggleAttribute(circle, "data-focused", (state & PointState.focused) !== 0);
      }
    });

    this.top
      .selectAll<SVGGElement, number>("g")
      .data(onTop, (index) => index)
      .join("g")
      .attr("transform", (index) => `translate(${screenX(frame, index).toFixed(1)},${screenY(frame, index).toFixed(1)})`)
      .each(function (index) {
        const style = pointStyle(frame, index);
        select(this)
          .selectAll("circle.ring")
          .data(style.rings.slice(1).reverse())
          .join("circle")
          .attr("class", "ring")
          .attr("r", (ring) => ring.radius)
          .attr("fill", "none")
          .attr("stroke", (ring) => ring.color)
          .attr("stroke-width", (ring) => ring.width);
        select(this)
          .selectAll("circle.dot")
          .data([style])
          .join("circle")
          .attr("class", "dot")
          .attr("r", style.radius.toFixed(1))
          .attr("fill", frame.colors.palette[frame.colorSlot[index]])
          .attr("stroke", style.rings[0]?.color ?? "none")
          .attr("stroke-width", style.rings[0]?.width ?? 0);
      });
  }

  destroy() {
    this.svg.remove();
  }
}

function toggleAttribute(element: Element, name: string, on: boolean) {
  if (on) element.setAttribute(name, "");
  else element.removeAttribute(name);
}
