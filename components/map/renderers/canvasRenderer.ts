import { PointState, type PointRenderer, type RenderColors, type RenderFrame } from "@/lib/plot/types";
import { baseOpacity, dimmedOpacity, pointStyle, screenX, screenY } from "./emphasis";
import { DensityScratch, rasteriseDensity, sampleOrder, type SampleOrder } from "./densityRaster";
import { discStamp, packColor, rasterisePoints, type DiscStamp, type PackedColor } from "./pointRaster";

/** Pixels per CSS pixel at most while the map is being panned or zoomed. */
export const movingPixelRatio = 1;

/**
 * Beyond this many points a frame is a density image of them all plus discs for a sample
 * (densityRaster): a disc for each of 1,000,000 points takes well over 50 ms without a GPU.
 */
export const densityPointLimit = 200_000;

/**
 * Points on a Canvas 2D, for maps too large for one DOM node per point. The ordinary and dimmed
 * points are stamped into an ImageData by pointRaster (JavaScript, ~10 pixels per point, points
 * outside the viewport skipped) and put on the canvas in one call; the few emphasised points are
 * then drawn over it as vector arcs with their rings. Canvas paths were the first version: fine at
 * 10,000 points, but without a GPU Chromium needs ~70 ms a frame to rasterise 100,000 of them
 * (see BENCHMARKS.md, rendering).
 */
export class CanvasPointRenderer implements PointRenderer {
  readonly kind = "canvas";
  private canvas: HTMLCanvasElement;
  private context: CanvasRenderingContext2D;
  private image: ImageData | null = null;
  /** Buffers by size: one at the device's pixel ratio, one at the ratio used while moving. */
  private images = new Map<string, ImageData>();
  private pixels = new Uint32Array(0);
  private stamps = new Map<number, DiscStamp>();
  private packed: { colors: RenderColors; palette: PackedColor[]; background: PackedColor } | null = null;
  private sample: { of: Float32Array; order: SampleOrder } | null = null;
  private scratch = new DensityScratch();

  constructor(container: HTMLElement) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "map-points";
    this.canvas.setAttribute("aria-hidden", "true");
    container.prepend(this.canvas); // Below the overlay, whenever the renderer is swapped in.
    const context = this.canvas.getContext("2d");
    if (!context) throw new Error("Canvas 2D is not available in this browser: use renderer: \"svg\".");
    this.context = context;
  }

  setData() {
    // Nothing to keep per point: everything is read from the frame's columns.
  }

  render(frame: RenderFrame) {
    const { context, canvas } = this;
    // While a gesture moves the map, a high-density screen gets one pixel per CSS pixel: a quarter
    // of the pixels to fill at 2×, slightly soft for the moment it moves (the frame after the
    // gesture ends is sharp again). Measured at 100k points, 2×: ~55 ms a frame at full density.
    const deviceRatio = globalThis.devicePixelRatio || 1;
    const ratio = frame.moving ? Math.min(deviceRatio, movingPixelRatio) : deviceRatio;
    const pixelWidth = Math.max(1, Math.round(frame.width * ratio));
    const pixelHeight = Math.max(1, Math.round(frame.height * ratio));
    if (canvas.width !== pixelWidth || canvas.height !== pixelHeight || !this.image) {
      canvas.width = pixelWidth;
      canvas.height = pixelHeight;
      canvas.style.width = `${frame.width}px`;
      canvas.style.height = `${frame.height}px`;
      this.image = this.images.get(`${pixelWidth}x${pixelHeight}`) ?? null;
      if (!this.image) {
        if (this.images.size >= 2) this.images.clear();
        this.image = context.createImageData(pixelWidth, pixelHeight);
        this.images.set(`${pixelWidth}x${pixelHeight}`, this.image);
      }
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const colors = this.packColors(frame.colors);
    const input = {
      pixels: this.pixels,
      width: pixelWidth,
      height: pixelHeight,
      baseX: frame.baseX,
      baseY: frame.baseY,
      transform: frame.transform,
      ratio,
      colorSlot: frame.colorSlot,
      palette: colors.palette,
      state: frame.state,
      background: colors.background,
      stamp: this.stamp(frame.radius * ratio),
      opacity: baseOpacity,
      dimmedOpacity,
    };
    const density = frame.baseX.length > densityPointLimit;
    canvas.dataset.mode = density ? "density" : "discs";
    if (density) rasteriseDensity({ ...input, sample: this.sampleOf(frame), scratch: this.scratch });
    else rasterisePoints(input);
    context.putImageData(this.image, 0, 0);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    for (let index = 0; index < frame.state.length; index++) if (frame.state[index] > PointState.dimmed) this.drawEmphasised(frame, index);
  }

  /** The shuffled order of the frame's points, computed once per data change. */
  private sampleOf(frame: RenderFrame): SampleOrder {
    if (this.sample?.of !== frame.baseX) this.sample = { of: frame.baseX, order: sampleOrder(frame.baseX, frame.baseY) };
    return this.sample.order;
  }

  /** The disc for this radius, rounded to 1/8 px so a zoom gesture reuses a handful of stamps. */
  private stamp(radius: number): DiscStamp {
    const key = Math.max(1, Math.round(radius * 8));
    let stamp = this.stamps.get(key);
    if (!stamp) {
      if (this.stamps.size > 64) this.stamps.clear();
      stamp = discStamp(key / 8);
      this.stamps.set(key, stamp);
    }
    return stamp;
  }

  /** The theme's colours as packed RGB, resolved by the canvas itself so any CSS colour works. */
  private packColors(colors: RenderColors) {
    if (this.packed?.colors === colors) return this.packed;
    const probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const pack = (css: string): PackedColor => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [red, green, blue] = probe.getImageData(0, 0, 1, 1).data;
      return packColor(red, green, blue);
    };
    this.packed = { colors, palette: colors.palette.map(pack), background: pack(colors.surface) };
    return this.packed;
  }

  private drawEmphasised(frame: RenderFrame, index: number) {
    const { context } = this;
    const style = pointStyle(frame, index);
    const x = screenX(frame, index);
    const y = screenY(frame, index);
    context.globalAlpha = style.opacity;
    context.beginPath();
    context.arc(x, y, style.radius, 0, Math.PI * 2);
    context.fillStyle = frame.colors.palette[frame.colorSlot[index]];
    context.fill();
    for (const ring of style.rings) {
      context.beginPath();
      context.arc(x, y, ring.radius, 0, Math.PI * 2);
      context.strokeStyle = ring.color;
      context.lineWidth = ring.width;
      context.stroke();
    }
    context.globalAlpha = 1;
  }

  destroy() {
    this.canvas.remove();
  }
}
