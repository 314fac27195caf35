/** The scatter-plot map: view, React wrappers, and the pure pieces they are built from. */
export { MapView } from "./MapView";
export { svgPointLimit, rendererKind } from "./renderers";
export { mapScales, paddedDomain, pointRadius, scaleDefaults, type MapScales, type MapScaleOptions } from "@/lib/plot/scales";
export { placeLabels, labelPriority, estimateTextWidth, type LabelCandidate, type PlacedLabel } from "@/lib/plot/labels";
export { categoricalPalette, groupColor, type Theme } from "@/lib/plot/palette";
export { describePoint, describeSelection } from "./describe";
export { nextSelection, pointStates } from "./state";
export type { MapProps, Neighbour, NumberColumn, GroupColumn } from "@/lib/plot/types";
