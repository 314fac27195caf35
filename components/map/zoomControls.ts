import { select, zoom, zoomIdentity, zoomTransform, type Selection, type ZoomBehavior, type ZoomTransform } from "d3";

/**
 * Pan and zoom for the map surface: d3-zoom's wheel, drag, double-click and pinch, plus the
 * keyboard when the surface has focus (+/− zoom, arrows pan, 0 resets). Keyboard moves animate
 * briefly unless the reader asked for reduced motion.
 */

export const zoomDefaults = {
  /** How far out and in the map zooms, as multiples of the fitted view. */
  scaleExtent: [0.5, 64] as [number, number],
  /** Zoom factor of one + or − key press. */
  keyZoomFactor: 1.5,
  /** Pixels one arrow key press pans. */
  keyPanStep: 48,
  /** Duration of keyboard-driven moves in ms (0 with prefers-reduced-motion). */
  keyDuration: 160,
};

export class ZoomControls {
  private surface: Selection<HTMLElement, unknown, null, undefined>;
  private behaviour: ZoomBehavior<HTMLElement, unknown>;

  /**
   * @param onZoom called with the new transform on every step of a gesture.
   * @param onEnd called when a gesture ends (mouse up, 150 ms after the last wheel tick).
   */
  constructor(
    element: HTMLElement,
    onZoom: (transform: ZoomTransform) => void,
    onEnd: () => void = () => {},
  ) {
    this.surface = select(element);
    this.behaviour = zoom<HTMLElement, unknown>()
      .scaleExtent(zoomDefaults.scaleExtent)
      .on("zoom", (event: { transform: ZoomTransform }) => onZoom(event.transform))
      .on("end", onEnd);
    this.surface.call(this.behaviour);
    element.addEventListener("keydown", this.onKeyDown);
  }

  /** Viewport size in pixels; panning stops a viewport's width beyond the fitted view. */
  resize(width: number, height: number) {
    this.behaviour.extent([
      [0, 0],
      [width, height],
    ]);
    this.behaviour.translateExtent([
      [-width, -height],
      [2 * width, 2 * height],
    ]);
  }

  /** Back to the fitted view, animated unless `instant`. */
  reset(instant = false) {
    this.animated(instant).call(this.behaviour.transform, zoomIdentity);
  }

  destroy() {
    this.surface.node()?.removeEventListener("keydown", this.onKeyDown);
    this.surface.on(".zoom", null);
  }

  private onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step = zoomDefaults.keyPanStep;
    const pan: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (event.key === "+" || event.key === "=") this.animated().call(this.behaviour.scaleBy, zoomDefaults.keyZoomFactor);
    else if (event.key === "-" || event.key === "_" || event.key === "−") this.animated().call(this.behaviour.scaleBy, 1 / zoomDefaults.keyZoomFactor);
    else if (event.key === "0") this.reset();
    else if (pan[event.key]) {
      const [dx, dy] = pan[event.key];
      const k = zoomTransform(this.surface.node()!).k;
      this.animated().call(this.behaviour.translateBy, dx / k, dy / k);
    } else return;
    event.preventDefault();
  };

  private animated(instant = false) {
    const reduced = globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    const duration = instant || reduced ? 0 : zoomDefaults.keyDuration;
    // A transition takes the same zoom calls as a selection (d3-zoom's TransitionLike); the cast
    // only lets TypeScript pick one overload for both.
    return duration === 0 ? this.surface : (this.surface.transition().duration(duration) as unknown as typeof this.surface);
  }
}
