"use client";

import { useEffect, useState } from "react";
import type { ModelInfo } from "@/lib/embeddings/types";
import type { Exploration } from "@/lib/explorations/schemas";
import { Notebook } from "./Notebook";
import { initFromExploration } from "./init";

/** Reads the edit key from the URL fragment, then opens the notebook editable (or read-only without a key). */
export function EditNotebook({ exploration, models }: { exploration: Exploration; models: ModelInfo[] }) {
  const [editKey, setEditKey] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const key = new URLSearchParams(window.location.hash.slice(1)).get("key");
    setEditKey(key && key.length > 0 ? key : null);
  }, []);
  if (editKey === undefined) return <p className="hint">Opening…</p>;
  if (editKey === null) {
    return (
      <>
        <p className="status error" role="alert">
          This edit link has no key (it follows # in the link). Here is the read-only view; fork it to make your own copy.
        </p>
        <Notebook init={initFromExploration(exploration)} models={models} readOnly />
      </>
    );
  }
  return <Notebook init={initFromExploration(exploration, editKey)} models={models} />;
}
