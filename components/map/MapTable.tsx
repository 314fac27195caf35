"use client";

import { useState } from "react";
import type { MapProps } from "@/lib/plot/types";

export type MapTableProps = Pick<MapProps, "x" | "y" | "labels" | "groups" | "groupNames" | "neighbours" | "selection" | "onSelection"> & {
  /** Open on first render. Default false: the table sits collapsed below the map. */
  defaultOpen?: boolean;
  /** Rows rendered at most; the rest is summarised in a note. Default 1,000. */
  maxRows?: number;
  /** Neighbours listed per point. Default 5. */
  maxNeighbours?: number;
};

/**
 * The map as text: every point with its group, rounded coordinates and nearest neighbours with
 * their cosine, in a collapsible section. Rows are only rendered once it is opened, so a map of
 * 10,000 points costs nothing until someone asks for its table. With `onSelection`, each label is
 * a toggle button that pins the point on the map too.
 */
export function MapTable({ defaultOpen = false, maxRows = 1000, maxNeighbours = 5, ...props }: MapTableProps) {
  const [open, setOpen] = useState(defaultOpen);
  const { labels, groups, groupNames = [], x, y, neighbours = [], selection = [], onSelection } = props;
  const count = Math.min(labels.length, x.length, y.length);
  const rows = Array.from({ length: Math.min(count, maxRows) }, (_, index) => index);
  const toggle = (index: number) =>
    onSelection?.(selection.includes(index) ? selection.filter((other) => other !== index) : [...selection, index]);

  return (
    <details className="map-table" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Table of the {count.toLocaleString("en-US")} points</summary>
      {open && (
        <div className="map-table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Text</th>
                {groupNames.length > 0 && <th scope="col">Group</th>}
                <th scope="col">x</th>
                <th scope="col">y</th>
                <th scope="col">Nearest (cosine)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((index) => (
                <tr key={index} data-selected={selection.includes(index) || undefined}>
                  <th scope="row">
                    {onSelection ? (
                      <button type="button" aria-pressed={selection.includes(index)} onClick={() => toggle(index)}>
                        {labels[index]}
                      </button>
                    ) : (
                      labels[index]
                    )}
                  </th>
                  {groupNames.length > 0 && <td>{groupNames[groups?.[index] ?? 0] ?? ""}</td>}
                  <td className="number">{format(x[index])}</td>
                  <td className="number">{format(y[index])}</td>
                  <td>
                    {(neighbours[index] ?? [])
                      .slice(0, maxNeighbours)
                      .map((neighbour) => `${labels[neighbour.index]} ${neighbour.score.toFixed(2)}`)
                      .join(", ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {count > rows.length && <p className="hint">Showing the first {rows.length.toLocaleString("en-US")} of {count.toLocaleString("en-US")} points.</p>}
        </div>
      )}
      <style>{`
        .map-table { margin-top: 10px; font-size: 13px; }
        .map-table summary { cursor: pointer; color: var(--muted); font-weight: 500; padding: 4px 0; }
        .map-table summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 4px; }
        .map-table-scroll { max-height: 360px; overflow: auto; border: 1px solid var(--border); border-radius: 8px; margin-top: 6px; }
        .map-table table { border-collapse: collapse; width: 100%; }
        .map-table th, .map-table td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
        .map-table thead th { position: sticky; top: 0; background: var(--surface); color: var(--muted); font-weight: 600; }
        .map-table tbody th { font-weight: 500; }
        .map-table .number { text-align: right; font-variant-numeric: tabular-nums; }
        .map-table tr[data-selected] { background: color-mix(in srgb, var(--accent) 12%, transparent); }
        .map-table button { all: unset; cursor: pointer; border-radius: 4px; }
        .map-table button:hover { text-decoration: underline; }
        .map-table button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        .map-table .hint { margin: 6px 10px; }
      `}</style>
    </details>
  );
}

function format(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : "–";
}
