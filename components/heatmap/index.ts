/** The similarity heatmap: view, and the pure geometry and colour rules it is built from. */
export { HeatmapView, type HeatmapProps } from "./HeatmapView";
export { similarityDomain, intensity, cellOpacity, heatmapGeometry, truncateLabel, heatmapDefaults } from "./layout";
