import type { MapProps, PointRenderer } from "@/lib/plot/types";
import { CanvasPointRenderer } from "./canvasRenderer";
import { SvgPointRenderer } from "./svgRenderer";

/**
 * Up to this many points the map draws SVG circles: each is a real element (findable, titled,
 * crisp at any zoom) and a redraw costs little. Beyond it one DOM node per point makes pan and
 * zoom stutter, so the map switches to a canvas, where all points are stamped into one image
 * (see canvasRenderer).
 */
export const svgPointLimit = 2_000;

/** The renderer `renderer: "auto"` resolves to for this many points. */
export function rendererKind(props: Pick<MapProps, "renderer" | "x">): "svg" | "canvas" {
  if (props.renderer === "svg" || props.renderer === "canvas") return props.renderer;
  return props.x.length <= svgPointLimit ? "svg" : "canvas";
}

export function createRenderer(kind: "svg" | "canvas", container: HTMLElement): PointRenderer {
  return kind === "svg" ? new SvgPointRenderer(container) : new CanvasPointRenderer(container);
}
