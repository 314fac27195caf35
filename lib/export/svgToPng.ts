/**
 * Browser only: an SVG string (e.g. from `mapToSvg`) → a PNG Blob, by drawing it on an offscreen
 * canvas. Kept apart from the pure serialisers so importing those never touches the DOM.
 *
 * @param svg a standalone SVG with `width` and `height` attributes.
 * @param scale pixel density of the PNG relative to the SVG's size; default 2 (sharp on HiDPI
 *   screens and in slides), range 0.1–8.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  if (!(scale >= 0.1 && scale <= 8)) throw new Error(`scale must be between 0.1 and 8, got ${scale}.`);
  const size = svgSize(svg);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const image = new Image();
    image.decoding = "async";
    image.src = url;
    await image.decode();
    const width = Math.round(size.width * scale);
    const height = Math.round(size.height * scale);
    const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(width, height) : Object.assign(document.createElement("canvas"), { width, height });
    const context = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) throw new Error("Canvas 2D is not available in this browser, so the PNG cannot be drawn.");
    context.drawImage(image, 0, 0, width, height);
    if (canvas instanceof HTMLCanvasElement) {
      return await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The browser could not encode the PNG."))), "image/png"),
      );
    }
    return await canvas.convertToBlob({ type: "image/png" });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The `width` and `height` attributes of the root `<svg>` element, in px. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('The SVG needs numeric width="…" and height="…" attributes on its root element.');
  return { width, height };
}
