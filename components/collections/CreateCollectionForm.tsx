"use client";

import { useState, type FormEvent } from "react";
import { modelOptionLabel } from "@/components/models/optionLabel";
import { defaultChunking, defaultOverlap } from "@/lib/collections/model-chunking";
import type { ModelInfo } from "@/lib/embeddings/types";
import { createCollection, type CreatedCollection } from "./collectionsApi";
import type { CollectionLimits } from "./limits";

const number = (value: number) => value.toLocaleString("en");

/** Name, model, visibility and chunking of a new collection; the server's own checks have the last word. */
export function CreateCollectionForm({
  models,
  limits,
  onCreated,
}: {
  models: ModelInfo[];
  limits: CollectionLimits;
  onCreated: (created: CreatedCollection) => void;
}) {
  const [name, setName] = useState("");
  const [model, setModel] = useState(() => (models.find((candidate) => candidate.available) ?? models[0]).id);
  const [isPublic, setIsPublic] = useState(false);
  const selectedModel = models.find((candidate) => candidate.id === model);
  const defaults = defaultChunking(selectedModel ?? {});
  // The model's defaults until the person types their own; the overlap follows the size until typed.
  const [chosen, setChosen] = useState<{ size?: number; overlap?: number }>({});
  const size = chosen.size ?? defaults.size;
  const overlap = chosen.overlap ?? (chosen.size === undefined ? defaults.overlap : defaultOverlap(chosen.size));
  const [status, setStatus] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const maxOverlap = Math.min(limits.chunkOverlap.max, Math.floor(size / 2));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus({ busy: true });
    try {
      onCreated(await createCollection({ name, model, public: isPublic, chunking: { size, overlap } }));
    } catch (error) {
      setStatus({ busy: false, error: (error as Error).message });
    }
  }

  return (
    <form className="panel create-collection" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">New collection</h2>
      <div className="form-grid">
        <div className="field wide">
          <label htmlFor="collection-name">Name</label>
          <input
            id="collection-name"
            required
            maxLength={limits.maxNameLength}
            value={name}
            placeholder="e.g. Product handbook"
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="collection-model">Model</label>
          <select id="collection-model" value={model} onChange={(event) => setModel(event.target.value)} aria-describedby="collection-model-hint">
            {models.map((candidate) => (
              <option key={candidate.id} value={candidate.id} disabled={!candidate.available}>
                {modelOptionLabel(candidate)}
              </option>
            ))}
          </select>
          <p className="hint" id="collection-model-hint">
            {selectedModel?.description} Every chunk is embedded with it; it can't be changed later.
          </p>
        </div>
        <div className="field">
          <span className="field-title">Who can search</span>
          <label className="checkbox">
            <input type="checkbox" checked={isPublic} onChange={(event) => setIsPublic(event.target.checked)} aria-describedby="collection-public-hint" />
            Public
          </label>
          <p className="hint" id="collection-public-hint">
            {isPublic ? "Anyone with its id can list and search it. Changes still need the write key." : "Private: listing and searching need the read key (or the write key)."}
          </p>
        </div>
        <fieldset className="field wide chunking">
          <legend>Chunking</legend>
          <div className="chunking-inputs">
            <label className="inline" htmlFor="chunk-size">
              Chunk size
              <input
                id="chunk-size"
                type="number"
                required
                min={limits.chunkSize.min}
                max={limits.chunkSize.max}
                step={50}
                value={size}
                onChange={(event) => setChosen({ ...chosen, size: event.target.valueAsNumber })}
              />
              <span className="unit">characters</span>
            </label>
            <label className="inline" htmlFor="chunk-overlap">
              Overlap
              <input
                id="chunk-overlap"
                type="number"
                required
                min={limits.chunkOverlap.min}
                max={maxOverlap}
                step={10}
                value={overlap}
                onChange={(event) => setChosen({ ...chosen, overlap: event.target.valueAsNumber })}
              />
              <span className="unit">characters</span>
            </label>
          </div>
          <p className="hint" id="chunking-hint">
            Documents are cut at paragraphs, then sentences, into chunks of at most this size ({number(limits.chunkSize.min)}–{number(limits.chunkSize.max)}; default for{" "}
            {model} {number(defaults.size)}); consecutive chunks share the overlap ({number(limits.chunkOverlap.min)} to half the size; default{" "}
            {number(defaults.overlap)}). Smaller chunks give more precise passages, bigger ones more context.
            {selectedModel?.maxTokens !== undefined &&
              ` ${model} reads the first ${number(selectedModel.maxTokens)} tokens of a chunk (its default size fits in them); a longer chunk's vector stands for its beginning, while keyword search reads all of it.`}
          </p>
        </fieldset>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={status.busy}>
          {status.busy ? "Creating…" : "Create collection"}
        </button>
        {status.error && (
          <p className="status error" role="alert">
            {status.error}
          </p>
        )}
      </div>
    </form>
  );
}
