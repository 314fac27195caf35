"use client";

import { useMemo } from "react";
import { HeatmapPlot } from "@/components/heatmap/HeatmapPlot";
import { orderBySimilarity } from "@/lib/projection/ordering";
import { maxSimilarityItems, type Display } from "../display";

/** The cosine matrix, ordered by hierarchical clustering so that similar items sit together. */
export function HeatmapCell({ run }: { run: Display | null }) {
  const order = useMemo(() => (run?.matrix ? orderBySimilarity(run.matrix) : undefined), [run?.matrix]);
  if (!run) return <p className="hint">Run the notebook to see how similar every pair of items is.</p>;
  if (!run.matrix) return <p className="hint">The heatmap shows up to {maxSimilarityItems} items; this notebook has {run.texts.length}.</p>;
  return (
    <>
      <p className="hint">Cosine similarity of every pair, ordered so that similar items sit together. Hover a cell for its value.</p>
      <HeatmapPlot labels={run.texts} matrix={run.matrix} groups={run.groups} groupNames={run.groupNames} order={order} />
    </>
  );
}
