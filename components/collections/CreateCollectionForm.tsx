"use client";

import { useState, type FormEvent } from "react";
import { modelOptionLabel } from "@/components/models/optionLabel";
import { defaultChunking, defaultOverlap } from "@/lib/collections/model-chunking";
import type { ModelInfo } from "@/lib/embeddings/types";
import { createCollection, type CreatedCollection } from "./collectionsApi";
import type { CollectionLimits } from "./limits";

const number = (value: number) => value.toLocaleString("en");

/** The model select's value for "my own vectors": the collection's model becomes own:<name>. */
const ownVectorsChoice = "own:";

/**
 * A collection name as an own-vectors name (own:<name>): 1–64 letters, digits, "_", "." or "-";
 * other characters become "-", and an empty result "vectors".
 */
export function ownVectorsName(name: string): string {
  const slug = name
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_.-]+/gu, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return [...slug].slice(0, 64).join("").replace(/[-.]+$/, "") || "vectors";
}

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
  // The own vectors' name follows the collection's name until typed.
  const [ownName, setOwnName] = useState<string | null>(null);
  const ownVectors = model === ownVectorsChoice;
  const vectorsName = ownName ?? ownVectorsName(name);
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
      onCreated(await createCollection({ name, model: ownVectors ? `${ownVectorsChoice}${vectorsName}` : model, public: isPublic, chunking: { size, overlap } }));
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
            <option value={ownVectorsChoice}>My own vectors (import a file with a vector column)</option>
          </select>
          <p className="hint" id="collection-model-hint">
            {ownVectors
              ? "The vectors come with your file, from a model this server does not have; their dimension is the first import's. Search is then by keyword, or by a vector: no model here turns a question into their space."
              : `${selectedModel?.description ?? ""} Every chunk is embedded with it; it can't be changed later.`}
          </p>
        </div>
        {ownVectors && (
          <div className="field">
            <label htmlFor="collection-vectors-name">Where the vectors come from</label>
            <div className="inline-row prefixed">
              <span className="prefix">own:</span>
              <input
                id="collection-vectors-name"
                required
                maxLength={64}
                pattern="[\p{L}\p{N}_.\-]{1,64}"
                value={vectorsName}
                onChange={(event) => setOwnName(event.target.value)}
                aria-describedby="collection-vectors-name-hint"
              />
            </div>
            <p className="hint" id="collection-vectors-name-hint">
              A name for the model that made them (e.g. minilm-papers), kept as the collection&apos;s model own:{vectorsName}: 1–64 letters, digits, &quot;_&quot;, &quot;.&quot; or &quot;-&quot;.
            </p>
          </div>
        )}
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
        {/* Own vectors come one per row, with the file: there is nothing to cut. */}
        {!ownVectors && (
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
        )}
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
