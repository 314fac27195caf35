"use client";

import { useState } from "react";
import { MapPlot } from "@/components/map/MapPlot";
import { MapTable } from "@/components/map/MapTable";
import { mapToSvg } from "@/lib/export";
import type { MapCell as MapCellData, MapParams } from "@/lib/explorations/schemas";
import { download } from "../download";
import type { Display } from "../display";

const methodNames = { umap: "UMAP", pca: "PCA", axes: "Semantic axes" } as const;

/**
 * A map of the items. Coordinates come from the cell's stored layout, so a saved map looks the
 * same everywhere; changing the method or its parameters asks for a new layout.
 */
export function MapCell({
  cell,
  display,
  title,
  readOnly,
  busy,
  onChange,
  onRelayout,
}: {
  cell: MapCellData;
  display: Display;
  title: string;
  readOnly: boolean;
  busy: boolean;
  onChange: (cell: MapCellData) => void;
  onRelayout: () => void;
}) {
  const [selection, setSelection] = useState<number[]>([]);
  const points = cell.layout?.points;
  const aligned = points && points.length === display.texts.length;
  const x = aligned ? points.map((point) => point[0]) : [];
  const y = aligned ? points.map((point) => point[1]) : [];

  // The map and its text alternative show the same points, neighbours and selection.
  const data = {
    x,
    y,
    labels: display.texts,
    groups: display.groups,
    groupNames: display.groupNames,
    neighbours: display.neighbours ?? undefined,
    selection,
    onSelection: setSelection,
  };

  function exportSvg(): string {
    return mapToSvg({ x, y, labels: display.texts, groups: display.groups, groupNames: display.groupNames, width: 960, height: 640, title });
  }

  return (
    <div className="map-cell" data-points={aligned ? JSON.stringify(points) : undefined}>
      {!readOnly && <MapSettings cell={cell} busy={busy} onChange={onChange} onRelayout={onRelayout} />}
      {cell.layout?.note && <p className="hint">{cell.layout.note}</p>}
      {aligned ? (
        <>
          {/* Readers without JavaScript (and link unfurlers) get the same map as a static picture. */}
          <noscript dangerouslySetInnerHTML={{ __html: exportSvg() }} />
          <MapPlot
            {...data}
            height={460}
            ariaLabel={`${methodNames[cell.layout!.method]} map of ${display.texts.length} items`}
          />
          <div className="map-footer">
            <span className="hint">
              {methodNames[cell.layout!.method]} · hover a point for its nearest neighbours · click to pin · scroll to zoom
            </span>
            <span className="export-buttons">
              <button type="button" className="secondary small" onClick={() => download(`${slugify(title)}-map.svg`, exportSvg(), "image/svg+xml")}>
                SVG
              </button>
              <button
                type="button"
                className="secondary small"
                onClick={async () => {
                  const { svgToPng } = await import("@/lib/export/svgToPng");
                  download(`${slugify(title)}-map.png`, await svgToPng(exportSvg(), 2), "image/png");
                }}
              >
                PNG
              </button>
            </span>
          </div>
          <MapTable {...data} />
        </>
      ) : (
        <p className="hint">{busy ? "Computing the map…" : "Run the notebook to draw the map."}</p>
      )}
    </div>
  );
}

function MapSettings({ cell, busy, onChange, onRelayout }: { cell: MapCellData; busy: boolean; onChange: (cell: MapCellData) => void; onRelayout: () => void }) {
  const axes = cell.params.axes ?? { x: ["", ""] as [string, string] };
  const setParams = (params: MapParams) => onChange({ ...cell, params, layout: undefined });
  const setAxis = (axis: "x" | "y", end: 0 | 1, value: string) => {
    const current = axis === "x" ? axes.x : (axes.y ?? ["", ""]);
    const next: [string, string] = end === 0 ? [value, current[1]] : [current[0], value];
    setParams({ ...cell.params, axes: { ...axes, [axis]: next } });
  };
  const axesReady = cell.method !== "axes" || (axes.x[0].trim() !== "" && axes.x[1].trim() !== "");

  return (
    <div className="map-settings">
      <label className="inline">
        Method
        <select
          value={cell.method}
          onChange={(event) => {
            const method = event.target.value as MapCellData["method"];
            onChange({ ...cell, method, layout: undefined });
            if (method !== "axes" || axesReady) onRelayout();
          }}
        >
          <option value="umap">UMAP (neighbourhoods)</option>
          <option value="pca">PCA (directions of most variance)</option>
          <option value="axes">Semantic axes (A → B)</option>
        </select>
      </label>
      {cell.method === "axes" && (
        <span className="axes-inputs">
          <AxisInputs label="x" ends={axes.x} onChange={(end, value) => setAxis("x", end, value)} />
          <AxisInputs label="y" ends={axes.y ?? ["", ""]} onChange={(end, value) => setAxis("y", end, value)} />
        </span>
      )}
      {cell.method === "umap" && (
        <label className="inline">
          Seed
          <input
            type="number"
            min={0}
            value={cell.params.seed ?? 42}
            onChange={(event) => setParams({ ...cell.params, seed: Math.max(0, Math.floor(Number(event.target.value) || 0)) })}
          />
        </label>
      )}
      <button type="button" className="secondary" onClick={onRelayout} disabled={busy || !axesReady}>
        Re-layout
      </button>
    </div>
  );
}

function AxisInputs({ label, ends, onChange }: { label: string; ends: readonly [string, string]; onChange: (end: 0 | 1, value: string) => void }) {
  return (
    <span className="axis">
      <span className="axis-label">{label}:</span>
      <input aria-label={`${label} axis from`} placeholder="from" value={ends[0]} onChange={(event) => onChange(0, event.target.value)} />
      <span aria-hidden>→</span>
      <input aria-label={`${label} axis to`} placeholder="to" value={ends[1]} onChange={(event) => onChange(1, event.target.value)} />
    </span>
  );
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "exploration";
}
