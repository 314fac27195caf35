"use client";

import { useMemo, useState, type KeyboardEvent } from "react";
import { paletteCss, paletteVariable } from "@/lib/plot/palette";
import type { ModelInfo } from "@/lib/embeddings/types";
import { parseItems } from "@/lib/explorations/parse";
import type { Cell } from "@/lib/explorations/schemas";
import { AnalogyCell } from "./cells/AnalogyCell";
import { CellFrame } from "./cells/CellFrame";
import { HeatmapCell } from "./cells/HeatmapCell";
import { MapCell } from "./cells/MapCell";
import { NeighboursCell } from "./cells/NeighboursCell";
import { NextTokenCell } from "./cells/NextTokenCell";
import { NoteCell } from "./cells/NoteCell";
import { ReadingNote } from "./cells/ReadingNote";
import { RetrieveCell } from "./cells/RetrieveCell";
import { TokensCell } from "./cells/TokensCell";
import type { Display } from "./display";
import { ExportMenu } from "./ExportMenu";
import { SharePanel } from "./SharePanel";
import type { NotebookInit } from "./init";
import { modelOptionLabel } from "@/components/models/optionLabel";
import { useNotebook } from "./useNotebook";
import "./notebook.css";

const cellKinds = {
  tokens: "Tokens",
  "next-token": "Next token",
  map: "Map",
  heatmap: "Similarity",
  neighbours: "Neighbours",
  analogy: "Analogy",
  retrieve: "Retrieve",
  note: "Note",
} as const;

/** Cells that show the items' vectors, and so say which items the model could not read. */
const readingCells = new Set<Cell["type"]>(["map", "heatmap", "neighbours"]);

/**
 * The notebook: items typed one per line (`## group` lines), a model, and cells that show them:
 * maps, a similarity heatmap, neighbours, analogies and notes. `readOnly` is the share view: the
 * same picture, no editing, a Fork button instead.
 */
export function Notebook({ init, models, readOnly = false }: { init: NotebookInit; models: ModelInfo[]; readOnly?: boolean }) {
  const notebook = useNotebook(init);
  const { run, status, cells } = notebook;
  const busy = status.kind === "busy";

  const initialDisplay = useMemo<Display>(() => {
    const { items } = parseItems(init.source);
    const groupNames = [...new Set(items.map((item) => item.group ?? ""))];
    return {
      texts: items.map((item) => item.text),
      groups: items.map((item) => groupNames.indexOf(item.group ?? "")),
      groupNames: groupNames.map((name) => name || "ungrouped"),
      matrix: null,
      neighbours: null,
    };
  }, [init.source]);
  const display: Display = run ?? initialDisplay;

  function onEditorKey(event: KeyboardEvent) {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void notebook.execute();
    }
  }

  return (
    <div className="notebook" onKeyDown={readOnly ? undefined : onEditorKey}>
      <header className="notebook-header">
        {readOnly ? (
          <h1>{notebook.title}</h1>
        ) : (
          <input className="title-input" aria-label="Title" value={notebook.title} onChange={(event) => notebook.setTitle(event.target.value)} maxLength={200} />
        )}
        <div className="toolbar">
          {readOnly ? (
            <span className="model-badge">{notebook.model}</span>
          ) : (
            <label className="inline">
              <span className="visually-hidden">Model</span>
              <select aria-label="Model" value={notebook.model} onChange={(event) => notebook.setModel(event.target.value)}>
                {models.map((model) => (
                  <option key={model.id} value={model.id} disabled={!model.available}>
                    {modelOptionLabel(model)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!readOnly && (
            <button type="button" onClick={() => void notebook.execute()} disabled={busy} title="Ctrl/⌘ + Enter">
              Run
            </button>
          )}
          {!readOnly && (
            <button type="button" className="secondary" onClick={() => void notebook.save()} disabled={busy || notebook.items.items.length === 0}>
              {notebook.saved?.editKey ? (notebook.dirty ? "Save changes" : "Saved") : "Save & share"}
            </button>
          )}
          {notebook.saved && (readOnly || !notebook.saved.editKey) && (
            <button type="button" className="secondary" onClick={() => void notebook.fork()} disabled={busy}>
              Fork to edit
            </button>
          )}
          <ExportMenu title={notebook.title} model={notebook.model} slug={notebook.saved?.slug} display={display} cells={cells} />
        </div>
      </header>

      <StatusLine status={status} />
      {notebook.saved && !readOnly && <SharePanel saved={notebook.saved} />}

      <section className="editor" aria-label="Items">
        {readOnly ? (
          <ItemList display={initialDisplay} />
        ) : (
          <>
            <label htmlFor="items">Words or snippets, one per line · <code>## name</code> starts a group</label>
            <textarea id="items" value={notebook.source} onChange={(event) => notebook.setSource(event.target.value)} spellCheck={false} rows={8} />
            <p className="hint">
              {notebook.items.items.length} items · Ctrl/⌘ + Enter to run
              {notebook.items.skipped.length > 0 && ` · skipped ${notebook.items.skipped.join("; ")}`}
            </p>
          </>
        )}
      </section>

      {cells.map((cell) => (
        <CellFrame
          key={cell.id}
          kind={cellKinds[cell.type]}
          readOnly={readOnly}
          onMove={(offset) => notebook.moveCell(cell.id, offset)}
          onRemove={() => notebook.removeCell(cell.id)}
        >
          {display.reading && readingCells.has(cell.type) && (
            <ReadingNote reading={display.reading} onSwitchModel={readOnly ? undefined : notebook.switchModel} />
          )}
          {renderCell(cell)}
        </CellFrame>
      ))}

      {!readOnly && <AddCell onAdd={notebook.addCell} existing={cells} />}
    </div>
  );

  function renderCell(cell: Cell) {
    const onChange = (next: Cell) => notebook.updateCell(cell.id, next);
    switch (cell.type) {
      case "map":
        return (
          <MapCell
            cell={cell}
            display={display}
            title={notebook.title}
            readOnly={readOnly}
            busy={busy}
            onChange={onChange}
            onRelayout={() => void notebook.relayout(cell.id)}
          />
        );
      case "heatmap":
        return <HeatmapCell run={run} />;
      case "neighbours":
        return <NeighboursCell cell={cell} display={display} model={notebook.model} slug={notebook.saved?.slug} readOnly={readOnly} onChange={onChange} />;
      case "analogy":
        return <AnalogyCell cell={cell} model={notebook.model} readOnly={readOnly} onChange={onChange} onAdd={(text) => notebook.addItems([text])} />;
      case "note":
        return <NoteCell markdown={cell.markdown} readOnly={readOnly} onChange={(markdown) => onChange({ ...cell, markdown })} />;
      case "tokens":
        return <TokensCell cell={cell} model={notebook.model} readOnly={readOnly} onChange={onChange} />;
      case "next-token":
        return <NextTokenCell cell={cell} readOnly={readOnly} onChange={onChange} />;
      case "retrieve":
        return <RetrieveCell cell={cell} readOnly={readOnly} onChange={onChange} />;
    }
  }
}

function StatusLine({ status }: { status: ReturnType<typeof useNotebook>["status"] }) {
  if (status.kind === "idle") return <div className="status" aria-live="polite" />;
  if (status.kind === "error") {
    return (
      <div className="status error" role="alert">
        {status.message}
      </div>
    );
  }
  return (
    <div className="status" aria-live="polite">
      <span>{status.label}…</span>
      {status.total !== undefined && <progress value={status.done} max={status.total} aria-label={status.label} />}
    </div>
  );
}

function ItemList({ display }: { display: Display }) {
  return (
    <ul className="item-list">
      <style>{paletteCss(".item-list")}</style>
      {display.texts.map((text, i) => (
        <li key={text} data-group={display.groupNames[display.groups[i]]}>
          <span className="swatch" style={{ background: `var(${paletteVariable(display.groups[i])})` }} aria-hidden />
          {text}
          {display.groupNames.length > 1 && <span className="item-group"> · {display.groupNames[display.groups[i]]}</span>}
        </li>
      ))}
    </ul>
  );
}

function AddCell({ onAdd, existing }: { onAdd: (cell: Cell) => void; existing: Cell[] }) {
  const [counter, setCounter] = useState(existing.length + 1);
  const id = (type: string) => {
    setCounter(counter + 1);
    let candidate = `${type}-${counter}`;
    while (existing.some((cell) => cell.id === candidate)) candidate += "x";
    return candidate;
  };
  const templates: Record<keyof typeof cellKinds, () => Cell> = {
    map: () => ({ id: id("map"), type: "map", method: "pca", params: {} }),
    heatmap: () => ({ id: id("heatmap"), type: "heatmap" }),
    neighbours: () => ({ id: id("neighbours"), type: "neighbours", k: 5 }),
    analogy: () => ({ id: id("analogy"), type: "analogy", a: "king", b: "man", c: "woman", k: 5 }),
    note: () => ({ id: id("note"), type: "note", markdown: "" }),
    tokens: () => ({ id: id("tokens"), type: "tokens", text: "The cat sat on the mat." }),
    "next-token": () => ({ id: id("next-token"), type: "next-token", text: "人工智能的未来将", k: 10, steps: 5, strategy: "greedy", temperature: 1, seed: 42 }),
    retrieve: () => ({ id: id("retrieve"), type: "retrieve", collection: "example", question: "", k: 4 }),
  };
  return (
    <div className="add-cell" role="group" aria-label="Add a cell">
      <span className="hint">Add</span>
      {(Object.keys(templates) as (keyof typeof cellKinds)[]).map((type) => (
        <button key={type} type="button" className="secondary small" onClick={() => onAdd(templates[type]())}>
          + {cellKinds[type]}
        </button>
      ))}
    </div>
  );
}
