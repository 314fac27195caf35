"use client";

import { useState } from "react";
import { toCsv, toJson, type PointRow } from "@/lib/export";
import type { Cell } from "@/lib/explorations/schemas";
import { callApi } from "./client";
import { download } from "./download";
import type { Display } from "./display";

/**
 * Data exports: CSV and JSON with text, group and the coordinates of the first map (x, y), and
 * optionally the vectors (fetched from the server's cache).
 */
export function ExportMenu({ title, model, slug, display, cells }: { title: string; model: string; slug?: string; display: Display; cells: Cell[] }) {
  const [withVectors, setWithVectors] = useState(false);
  const [busy, setBusy] = useState(false);
  const map = cells.find((cell) => cell.type === "map" && cell.layout?.points.length === display.texts.length);
  const points = map?.type === "map" ? map.layout!.points : undefined;

  async function rows(): Promise<PointRow[]> {
    const vectors = withVectors
      ? (await callApi<{ vectors: number[][] }>("/api/embed", { body: { model, texts: display.texts } })).vectors
      : undefined;
    return display.texts.map((text, i) => ({
      text,
      group: display.groupNames.length > 1 || display.groupNames[0] !== "ungrouped" ? display.groupNames[display.groups[i]] : "",
      x: points![i][0],
      y: points![i][1],
      ...(vectors ? { vector: vectors[i] } : {}),
    }));
  }

  async function exportAs(format: "csv" | "json") {
    setBusy(true);
    try {
      const data = await rows();
      const name = `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "exploration"}.${format}`;
      if (format === "csv") download(name, toCsv(data, { bom: true }), "text/csv");
      else
        download(
          name,
          toJson({
            title,
            model,
            ...(slug ? { slug } : {}),
            items: data.map(({ group, vector, ...row }) => ({ ...row, ...(group ? { group } : {}), ...(vector ? { vector: [...vector] } : {}) })),
            cells,
          }),
          "application/json",
        );
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="export-menu">
      <summary className="button secondary">Export</summary>
      <div className="export-popover">
        <button type="button" className="secondary small" onClick={() => void exportAs("csv")} disabled={busy || !points}>
          CSV
        </button>
        <button type="button" className="secondary small" onClick={() => void exportAs("json")} disabled={busy || !points}>
          JSON
        </button>
        {!points && <span className="hint">Run the notebook first: exports carry the map's coordinates.</span>}
        <label className="inline checkbox">
          <input type="checkbox" checked={withVectors} onChange={(event) => setWithVectors(event.target.checked)} /> with vectors
        </label>
      </div>
    </details>
  );
}
