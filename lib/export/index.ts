/**
 * Pure serialisers of the notebook's data: CSV, JSON and SVG. Browser-only helpers (svgToPng)
 * live in their own module and are not re-exported here, so this one is safe on the server.
 */
export { toCsv, fromCsv, guardFormula, unguardFormula, type PointRow, type ToCsvOptions } from "./pointsCsv";
export { formatCsvRecords, parseCsvRecords } from "./csvFormat";
export { toJson, parseExplorationJson, explorationFileFormat, explorationFileVersion, type ExplorationExport } from "./explorationJson";
export { mapToSvg, type MapSvgInput } from "./mapSvg";
export { escapeXml } from "./xml";
