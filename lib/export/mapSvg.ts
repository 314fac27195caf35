import { estimateTextWidth, labelPriority, placeLabels } from "../plot/labels";
import { categoricalPalette, type Theme } from "../plot/palette";
import { mapScales, pointRadius } from "../plot/scales";
import type { GroupColumn, NumberColumn } from "../plot/types";
import { escapeXml, formatNumber as n } from "./xml";

// Chinese and Japanese labels need a CJK face wherever the file is opened: the usual ones of
// Linux, macOS and Windows follow the Latin ones.
const fontFamily =
  'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "Noto Sans CJK SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif';

/**
 * The map as a standalone SVG file: title, legend, points and labels, with its styles embedded
 * and colours fixed for one theme (a file has no page around it to inherit from). Pure and
 * deterministic: the same input gives the same bytes (numbers rounded to 2 decimals, no ids, no
 * dates), so it can be snapshot-tested and diffed. Label widths are estimated, not measured, for
 * the same reason; the placement rules are the live map's.
 */

export interface MapSvgInput {
  x: NumberColumn;
  y: NumberColumn;
  labels: readonly string[];
  /** Group of every point, an index into `groupNames`. Default all 0. */
  groups?: GroupColumn;
  groupNames?: readonly string[];
  /** Size in px. */
  width: number;
  height: number;
  /** Heading drawn at the top and used as the SVG's accessible name. Default none. */
  title?: string;
  /** Colours. Default "light". */
  theme?: Theme;
}

const themes = {
  light: { background: "#ffffff", text: "#1c1d1f", muted: "#62666d", border: "#e3e4e6" },
  dark: { background: "#1b1c1f", text: "#e9eaec", muted: "#9a9ea6", border: "#2c2e33" },
};
const fontSize = 12;

export function mapToSvg(input: MapSvgInput): string {
  const { x, y, labels, groups, groupNames = [], width, height, title, theme = "light" } = input;
  const colors = themes[theme];
  const palette = categoricalPalette[theme];
  const count = Math.min(x.length, y.length, labels.length);
  const showLegend = groupNames.length >= 2;
  const headerHeight = (title ? 36 : 0) + (showLegend ? 24 : 0);

  const scales = mapScales({ x: Array.from(x).slice(0, count), y: Array.from(y).slice(0, count) }, { width, height, margin: { top: headerHeight + 16 } });
  const radius = pointRadius(count);
  const px = (index: number) => scales.x(x[index]);
  const py = (index: number) => scales.y(y[index]);
  const drawable = labelPriority(count).filter((index) => Number.isFinite(x[index]) && Number.isFinite(y[index]));

  const placed = placeLabels(
    drawable.map((index) => ({ index, x: px(index), y: py(index), width: estimateTextWidth(labels[index], fontSize), height: 16 })),
    {
      bounds: { x0: 2, y0: headerHeight + 2, x1: width - 2, y1: height - 2 },
      offset: radius + 4,
      obstacles: count <= 400 ? drawable.map((index) => ({ x0: px(index) - radius, y0: py(index) - radius, x1: px(index) + radius, y1: py(index) + radius })) : [],
    },
  );

  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img"${title ? ' aria-labelledby="map-title"' : ""}>`,
    ...(title ? [`<title id="map-title">${escapeXml(title)}</title>`] : []),
    "<style>",
    `text { font-family: ${fontFamily}; font-size: ${fontSize}px; fill: ${colors.text}; }`,
    `.title { font-size: 16px; font-weight: 600; }`,
    `.legend { fill: ${colors.muted}; }`,
    `.label { dominant-baseline: central; paint-order: stroke; stroke: ${colors.background}; stroke-width: 3px; stroke-linejoin: round; }`,
    "</style>",
    `<rect width="${n(width)}" height="${n(height)}" fill="${colors.background}"/>`,
  ];
  if (title) lines.push(`<text class="title" x="16" y="28">${escapeXml(title)}</text>`);
  if (showLegend) {
    let legendX = 16;
    const legendY = (title ? 36 : 0) + 14;
    lines.push("<g>");
    groupNames.forEach((name, group) => {
      lines.push(`<circle cx="${n(legendX + 4)}" cy="${legendY}" r="4" fill="${palette[group % palette.length]}"/>`);
      lines.push(`<text class="legend" x="${n(legendX + 12)}" y="${legendY + 4}">${escapeXml(name)}</text>`);
      legendX += 12 + estimateTextWidth(name, fontSize) + 16;
    });
    lines.push("</g>");
  }
  lines.push(`<g fill-opacity="0.88">`);
  for (const index of drawable) {
    const color = palette[(groups?.[index] ?? 0) % palette.length];
    lines.push(`<circle cx="${n(px(index))}" cy="${n(py(index))}" r="${n(radius)}" fill="${color}"/>`);
  }
  lines.push("</g>", "<g>");
  for (const label of placed) {
    lines.push(`<text class="label" x="${n(label.x)}" y="${n(label.y)}">${escapeXml(labels[label.index])}</text>`);
  }
  lines.push("</g>", "</svg>", "");
  return lines.join("\n");
}
