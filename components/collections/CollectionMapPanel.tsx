"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { MapPlot } from "@/components/map/MapPlot";
import { noCategory } from "@/lib/maps/points-format";
import { fetchCollection, fetchPoint, fetchPoints, relayoutMap, type DecodedPoints, type MapPoint, type MapState } from "./collectionsApi";
import { documentLabel } from "./documentLabel";

/** How often the panel asks again while the map job runs. */
const pollMs = 2_000;
/** Bins a numeric colour key is cut into. */
const valueBins = 6;
/** The pointer rests this long on a point before its row is fetched: sweeping across a map fetches nothing. */
const hoverDelayMs = 120;

/**
 * The collection's stored map: every row with a vector as a point (sent as binary columns),
 * coloured by a metadata key, a click showing the row. While a map job runs, its progress, and
 * the points so far; with the write key, a re-layout.
 */
export function CollectionMapPanel({
  collectionId,
  collectionKey,
  writeKey,
  metadataKeys,
  version,
}: {
  collectionId: string;
  collectionKey: string | null;
  writeKey: string | null;
  /** Metadata keys the collection's rows have, to colour by. */
  metadataKeys: string[];
  /** Changes when the collection's rows do (uploads, imports): the map is read again. */
  version: number;
}) {
  const [map, setMap] = useState<MapState | null>(null);
  const [points, setPoints] = useState<DecodedPoints | null>(null);
  const [color, setColor] = useState("");
  const [selected, setSelected] = useState<MapPoint | null>(null);
  const [hovered, setHovered] = useState<MapPoint | null>(null);
  const hover = useHoveredRow(collectionId, collectionKey, points?.header.version ?? null, setHovered);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const decoded = await fetchPoints(collectionId, collectionKey, color || undefined);
        const state = (await fetchCollection(collectionId, collectionKey)).map;
        if (stopped) return;
        setPoints(decoded);
        setMap(state);
        setError(null);
        if (state.state === "updating") timer = setTimeout(load, pollMs);
      } catch (caught) {
        if (!stopped) setError((caught as Error).message);
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [collectionId, collectionKey, color, version, asked]);

  const plot = useMemo(() => (points ? plotColumns(points) : null), [points]);

  async function relayout() {
    if (!writeKey) return;
    try {
      await relayoutMap(collectionId, writeKey);
      setAsked((n) => n + 1);
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  async function select(indices: number[]) {
    const index = indices.at(-1);
    if (index === undefined || !points) return setSelected(null);
    try {
      setSelected(await fetchPoint(collectionId, collectionKey, index, points.header.version));
    } catch (caught) {
      setError((caught as Error).message);
    }
  }

  return (
    <section className="panel map-panel" aria-labelledby="map-title">
      <h2 id="map-title">Map</h2>
      {map && <p className="hint map-summary">{summary(map)}</p>}
      {error && (
        <p className="status error" role="alert">
          {error}
        </p>
      )}
      <div className="inline-row map-controls">
        <label htmlFor="map-color">Colour by</label>
        <select id="map-color" value={color} onChange={(event) => setColor(event.target.value)}>
          <option value="">nothing</option>
          {metadataKeys.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </select>
        {writeKey && map && map.rows > 0 && (
          <button type="button" className="secondary" onClick={relayout} disabled={map.state === "updating"}>
            Lay out again
          </button>
        )}
      </div>
      {plot && plot.x.length > 0 && (
        <MapPlot
          x={plot.x}
          y={plot.y}
          labels={plot.labels}
          groups={plot.groups}
          groupNames={plot.groupNames}
          selection={selected ? [selected.index] : []}
          onSelection={select}
          onHover={hover}
          height={480}
          ariaLabel={`Map of ${plot.x.length.toLocaleString("en")} rows`}
        />
      )}
      {plot && plot.x.length > 0 && (
        <p className="hint map-hovered">
          {hovered ? (
            <>
              <strong>{documentLabel(hovered.documentId, hovered.metadata)}</strong> {hovered.text.slice(0, 200)}
            </>
          ) : (
            "Rest the pointer on a point to read its row; click to pin it."
          )}
        </p>
      )}
      {selected && (
        <div className="map-selected" aria-live="polite">
          <p className="hint">
            {documentLabel(selected.documentId, selected.metadata)} · point {selected.index.toLocaleString("en")}
          </p>
          <p className="map-selected-text">{selected.text.slice(0, 600)}</p>
        </div>
      )}
    </section>
  );
}

/**
 * The map's hover handler: after the pointer rests on a point, that row (fetched once, then kept)
 * goes to `show`; leaving the points clears it. Answers for a point the pointer has left are dropped.
 */
function useHoveredRow(collectionId: string, collectionKey: string | null, version: string | null, show: (point: MapPoint | null) => void) {
  const rows = useRef(new Map<number, MapPoint>());
  const current = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    rows.current.clear();
    return () => clearTimeout(timer.current);
  }, [collectionId, version]);
  return (index: number | null) => {
    current.current = index;
    clearTimeout(timer.current);
    if (index === null || version === null) return show(null);
    const known = rows.current.get(index);
    if (known) return show(known);
    timer.current = setTimeout(async () => {
      try {
        const row = await fetchPoint(collectionId, collectionKey, index, version);
        rows.current.set(index, row);
        if (current.current === index) show(row);
      } catch {
        // A stale version (the map changed) or a network error: the hover card stays empty; a click says why.
      }
    }, hoverDelayMs);
  };
}

function summary(map: MapState): string {
  if (map.state === "empty") return "No row has a vector yet: the map appears once rows are added.";
  const counted = `${map.points.toLocaleString("en")} of ${map.rows.toLocaleString("en")} rows on the map`;
  if (map.state === "updating") return `${counted}. The map is being brought up to date (job ${map.job?.state ?? "queued"}); it refreshes by itself.`;
  if (map.state === "outdated") return `${counted}. Rows are off the map: they are placed when the map is next brought up to date.`;
  const method = map.method === "imported" ? "positions from the imported file" : map.method === "pca" ? "PCA" : "UMAP";
  const laidOut = map.seconds !== null && map.laidOut !== null ? `, ${map.laidOut.toLocaleString("en")} laid out in ${map.seconds.toLocaleString("en")} s` : "";
  const placed = map.placedSince ? `, ${map.placedSince.toLocaleString("en")} placed among them since` : "";
  return `${counted} (${method}${laidOut}${placed}).${map.note ? ` ${map.note}` : ""}`;
}

/** The map's columns: groups from a category column, or from bins of a value column. */
function plotColumns(points: DecodedPoints) {
  const count = points.header.count;
  const labels = new Array<string>(count).fill("");
  const column = points.header.columns.find((each) => each.name === "category" || each.name === "value");
  if (points.category && column?.categories) {
    // The legend counts the points of each group itself.
    const names = column.categories.map((category) => category.value);
    const none = names.length;
    const groups = Uint16Array.from(points.category, (index) => (index === noCategory ? none : index));
    const missing = groups.filter((group) => group === none).length;
    return { x: points.x, y: points.y, labels, groups, groupNames: missing > 0 ? [...names, `no ${column.key}`] : names };
  }
  if (points.value && column) {
    const values = points.value.filter(Number.isFinite);
    if (values.length === 0) return { x: points.x, y: points.y, labels, groups: new Uint16Array(count), groupNames: [`no ${column.key}`] };
    const min = values.reduce((a, b) => Math.min(a, b), Infinity);
    const max = values.reduce((a, b) => Math.max(a, b), -Infinity);
    const width = (max - min) / valueBins || 1;
    const groups = Uint16Array.from(points.value, (value) => (Number.isFinite(value) ? Math.min(valueBins - 1, Math.floor((value - min) / width)) : valueBins));
    const groupNames = Array.from({ length: valueBins }, (_, bin) => `${column.key} ${format(min + bin * width)}–${format(min + (bin + 1) * width)}`);
    return { x: points.x, y: points.y, labels, groups, groupNames: [...groupNames, `no ${column.key}`] };
  }
  return { x: points.x, y: points.y, labels, groups: undefined, groupNames: undefined };
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString("en") : value.toPrecision(3);
}
