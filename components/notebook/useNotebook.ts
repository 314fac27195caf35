"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { parseItems } from "@/lib/explorations/parse";
import { applyLayoutUpdate, planLayoutUpdate } from "@/lib/explorations/reconcile";
import type { Cell, Exploration, MapCell, MapLayout, MapParams } from "@/lib/explorations/schemas";
import type { TextWarning } from "@/lib/embeddings/readability";
import { neighboursFromMatrix } from "@/lib/projection/neighbours";
import { callApi, embedInChunks, type Point } from "./client";
import { maxSimilarityItems, type Display } from "./display";
import type { NotebookInit, Saved } from "./init";
import { rememberExploration } from "./recent";

/**
 * The notebook's state and actions: the editor text, the cells, what the last run computed, and
 * saving. Cells keep their parameters; map cells keep their coordinates (`layout`), which are
 * updated by placing new items (nothing moves) or by an explicit re-layout.
 */

/** What a run computed: the cells' display, for the model it ran with. */
export interface RunData extends Display {
  model: string;
}

export type Status =
  | { kind: "idle" }
  | { kind: "busy"; label: string; done?: number; total?: number }
  | { kind: "error"; message: string };

export function useNotebook(init: NotebookInit) {
  const [title, setTitle] = useState(init.title);
  const [model, setModel] = useState(init.model);
  const [source, setSource] = useState(init.source);
  const [cells, setCells] = useState<Cell[]>(init.cells);
  const [run, setRun] = useState<RunData | null>(null);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [saved, setSaved] = useState<Saved | undefined>(init.saved);
  const [dirty, setDirty] = useState(false);
  // Set by actions that want a run once React has applied their change (added items, a new map).
  const [pendingRun, setPendingRun] = useState(false);
  // Texts each map's coordinates line up with: the items at the time they were computed.
  const layoutTexts = useRef(new Map<string, string[]>());
  const embedded = useRef(new Set<string>());
  // What the server said about texts it could not read (or read only in part), by model and text,
  // so later runs leave them out without asking again.
  const unreadable = useRef(new Map<string, string[]>());
  const warnings = useRef(new Map<string, TextWarning[]>());
  const cellsRef = useRef(cells);
  cellsRef.current = cells;

  const items = parseItems(source);

  const execute = useCallback(
    async ({ relayout }: { relayout?: string } = {}) => {
      const { items: typed } = parseItems(source);
      if (typed.length === 0) return setStatus({ kind: "error", message: "Type at least one word or snippet, one per line." });
      const key = (text: string) => `${model}\u0000${text}`;
      try {
        const fresh = typed.map((item) => item.text).filter((text) => !embedded.current.has(key(text)) && !unreadable.current.has(key(text)));
        if (fresh.length > 0) {
          const outcome = await embedInChunks(model, fresh, (done, total) =>
            setStatus({ kind: "busy", label: `Embedding ${total} new ${total === 1 ? "text" : "texts"}`, done, total }),
          );
          const refused = new Set(outcome.unreadable);
          outcome.unreadable.forEach((text) => unreadable.current.set(key(text), outcome.readableBy));
          fresh.filter((text) => !refused.has(text)).forEach((text) => embedded.current.add(key(text)));
          const said = new Map<string, TextWarning[]>();
          outcome.warnings.forEach((warning) => said.set(key(warning.text), [...(said.get(key(warning.text)) ?? []), warning]));
          said.forEach((list, text) => warnings.current.set(text, list));
        }
        // Items the model cannot read are left out of every cell; the cells say which, and why.
        const current = typed.filter((item) => !unreadable.current.has(key(item.text)));
        const texts = current.map((item) => item.text);
        const leftOut = typed.filter((item) => unreadable.current.has(key(item.text))).map((item) => item.text);
        const reading = {
          model,
          unreadable: leftOut,
          readableBy: [...new Set(leftOut.flatMap((text) => unreadable.current.get(key(text))!))],
          warnings: texts.flatMap((text) => warnings.current.get(key(text.normalize("NFC").trim())) ?? []),
        };
        setStatus({ kind: "busy", label: "Computing similarities and maps" });
        const matrix =
          texts.length > 0 && texts.length <= maxSimilarityItems
            ? (await callApi<{ matrix: number[][] }>("/api/similarity", { body: { model, texts } })).matrix
            : null;
        const mapsAtStart = texts.length > 0 ? cellsRef.current.filter((cell): cell is MapCell => cell.type === "map") : [];
        const laidOut = new Map(
          await Promise.all(mapsAtStart.map(async (cell) => [cell.id, await updateMap(cell, texts, cell.id === relayout || relayout === "*")] as const)),
        );
        const groupNames = [...new Set(current.map((item) => item.group ?? ""))];
        setRun({
          model,
          texts,
          groups: current.map((item) => groupNames.indexOf(item.group ?? "")),
          groupNames: groupNames.map((name) => name || "ungrouped"),
          matrix,
          neighbours: matrix ? neighboursFromMatrix(matrix, 5) : null,
          ...(leftOut.length > 0 || reading.warnings.length > 0 ? { reading } : {}),
        });
        // The cells may have changed while this ran (a typed token, a moved cell): only the layouts
        // computed here go into them, and only into maps whose settings are still the ones laid out.
        const latest = cellsRef.current;
        const nextCells = latest.map((cell) => {
          const updated = laidOut.get(cell.id);
          return updated && cell.type === "map" && sameMapSettings(cell, updated) ? { ...cell, layout: updated.layout } : cell;
        });
        // A re-layout or newly placed points are changes worth saving; a run that moved nothing is not.
        const layoutsChanged = nextCells.some((cell, i) => cell.type === "map" && JSON.stringify(cell.layout) !== JSON.stringify((latest[i] as MapCell).layout));
        cellsRef.current = nextCells;
        setCells(nextCells);
        if (layoutsChanged) setDirty(true);
        setStatus({ kind: "idle" });
      } catch (error) {
        setStatus({ kind: "error", message: (error as Error).message });
      }

      async function updateMap(cell: MapCell, nextTexts: string[], fullFit: boolean): Promise<MapCell> {
        const plan = fullFit ? null : planLayoutUpdate(cell.layout, layoutTexts.current.get(cell.id) ?? [], nextTexts);
        let layout: MapLayout;
        if (plan && cell.layout) {
          const placed = plan.missing.length === 0 ? [] : await placeOnMap(cell, plan.fittedOn, plan.missing);
          layout = applyLayoutUpdate(cell.layout, plan, nextTexts, placed);
        } else {
          layout = await fitMap(cell, nextTexts);
        }
        layoutTexts.current.set(cell.id, nextTexts);
        return { ...cell, layout };
      }
    },
    [source, model],
  );

  async function fitMap(cell: MapCell, texts: string[]): Promise<MapLayout> {
    const reply = await callApi<ProjectReply>("/api/project", { body: { model, texts, method: cell.method, params: cleanParams(cell.params) } });
    return { method: reply.method, ...(reply.note ? { note: reply.note } : {}), points: reply.points.map((p) => [p.x, p.y] as Point) };
  }

  async function placeOnMap(cell: MapCell, fittedOn: string[], place: string[]): Promise<Point[]> {
    const reply = await callApi<ProjectReply>("/api/project", {
      body: { model, texts: fittedOn, method: cell.method, params: cleanParams(cell.params), place },
    });
    return (reply.placed ?? []).map((p) => [p.x, p.y] as Point);
  }

  // Saved explorations arrive with coordinates for their items: line them up before the first run.
  useEffect(() => {
    const texts = parseItems(init.source).items.map((item) => item.text);
    for (const cell of init.cells) if (cell.type === "map" && cell.layout) layoutTexts.current.set(cell.id, texts);
    if (init.autoRun) void execute();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on open
  }, []);

  function change<T>(setter: (value: T) => void) {
    return (value: T) => {
      setter(value);
      setDirty(true);
    };
  }

  // Cells change through here so that a run started right after a change (e.g. a new map method,
  // then re-layout) already sees it, before React re-renders.
  const replaceCells = (next: Cell[]) => {
    cellsRef.current = next;
    setCells(next);
    setDirty(true);
  };

  const updateCell = (id: string, next: Cell) => replaceCells(cellsRef.current.map((cell) => (cell.id === id ? next : cell)));

  const addCell = (cell: Cell) => {
    replaceCells([...cellsRef.current, cell]);
    if (cell.type === "map") setPendingRun(true);
  };

  const removeCell = (id: string) => {
    replaceCells(cellsRef.current.filter((cell) => cell.id !== id));
    layoutTexts.current.delete(id);
  };

  const moveCell = (id: string, offset: -1 | 1) => {
    const all = cellsRef.current;
    const from = all.findIndex((cell) => cell.id === id);
    const to = from + offset;
    if (from < 0 || to < 0 || to >= all.length) return;
    const next = [...all];
    [next[from], next[to]] = [next[to], next[from]];
    replaceCells(next);
  };

  /** Appends items to the editor text (e.g. an analogy's answer) and runs, placing them on the maps. */
  const addItems = (texts: string[]) => {
    setSource((current) => `${current.replace(/\s+$/, "")}\n${texts.join("\n")}`);
    setDirty(true);
    setPendingRun(true);
  };
  useEffect(() => {
    if (!pendingRun) return;
    setPendingRun(false);
    void execute();
  }, [pendingRun, execute]);

  const changeModel = (next: string) => {
    setModel(next);
    replaceCells(cellsRef.current.map((cell) => (cell.type === "map" ? { ...cell, layout: undefined } : cell)));
    layoutTexts.current.clear();
    setRun(null);
  };

  /** Another model, and a run with it: the one click offered where a model cannot read the items. */
  const switchModel = (next: string) => {
    changeModel(next);
    setPendingRun(true);
  };

  async function save(): Promise<void> {
    const { items: current } = parseItems(source);
    const body = { title, items: current, cells: cells.map((cell) => (cell.type === "map" ? { ...cell, params: cleanParams(cell.params) } : cell)) };
    try {
      setStatus({ kind: "busy", label: "Saving" });
      if (saved?.editKey) {
        const updated = await callApi<Exploration>(`/api/explorations/${saved.slug}`, {
          method: "PATCH",
          body: { ...body, version: saved.version },
          editKey: saved.editKey,
        });
        setSaved({ ...saved, version: updated.version });
        rememberExploration({ slug: saved.slug, title, editKey: saved.editKey });
      } else {
        const created = await callApi<CreatedReply>("/api/explorations", { body: { ...body, model } });
        setSaved({ slug: created.slug, version: created.exploration.version, editKey: created.editKey });
        rememberExploration({ slug: created.slug, title, editKey: created.editKey });
        window.history.replaceState(null, "", pathOf(created.editUrl));
      }
      setDirty(false);
      setStatus({ kind: "idle" });
    } catch (error) {
      setStatus({ kind: "error", message: (error as Error).message });
    }
  }

  async function fork(): Promise<void> {
    if (!saved) return;
    try {
      setStatus({ kind: "busy", label: "Making your copy" });
      const created = await callApi<CreatedReply>(`/api/explorations/${saved.slug}/fork`);
      rememberExploration({ slug: created.slug, title: created.exploration.title, editKey: created.editKey });
      // By path: the page's own origin is the one the person reached, whatever the link says.
      window.location.assign(pathOf(created.editUrl));
    } catch (error) {
      setStatus({ kind: "error", message: (error as Error).message });
    }
  }

  return {
    title,
    setTitle: change(setTitle),
    model,
    setModel: changeModel,
    switchModel,
    source,
    setSource: change(setSource),
    items,
    cells,
    run,
    status,
    saved,
    dirty,
    execute,
    relayout: (cellId: string) => execute({ relayout: cellId }),
    updateCell,
    addCell,
    removeCell,
    moveCell,
    addItems,
    save,
    fork,
  };
}

function sameMapSettings(a: MapCell, b: MapCell): boolean {
  return a.method === b.method && JSON.stringify(a.params) === JSON.stringify(b.params);
}

/** Half-typed axes are left out: the API takes an axis only with both ends. */
function cleanParams(params: MapParams): MapParams {
  const complete = (axis?: [string, string]) => axis && axis[0].trim() !== "" && axis[1].trim() !== "";
  if (!params.axes) return params;
  const { y, ...axes } = params.axes;
  return { ...params, axes: complete(y) ? { ...axes, y } : axes };
}

export type NotebookController = ReturnType<typeof useNotebook>;

type ProjectReply = {
  method: MapLayout["method"];
  note?: string;
  points: { text: string; x: number; y: number }[];
  placed?: { text: string; x: number; y: number }[];
};

/** A link's path and fragment, to navigate within the page's own origin. */
function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.hash;
}

type CreatedReply = { slug: string; editKey: string; url: string; editUrl: string; exploration: Exploration };
