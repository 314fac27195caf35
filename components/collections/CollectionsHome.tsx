"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { ModelInfo } from "@/lib/embeddings/types";
import "@/components/notebook/notebook.css";
import "./collections.css";
import type { CreatedCollection } from "./collectionsApi";
import { CreateCollectionForm } from "./CreateCollectionForm";
import { CreatedCollectionKeys } from "./CreatedCollectionKeys";
import type { CollectionLimits } from "./limits";
import { forgetCollection, readSavedCollections, rememberCollection, type SavedCollection } from "./saved";
import { SavedCollectionsTable } from "./SavedCollectionsTable";

export interface ExampleCollectionCard {
  id: string;
  name: string;
  description: string;
  model: string;
}

/** /collections: create a collection (then its keys, once), the ones saved in this browser, and the example. */
export function CollectionsHome({ models, limits, examples }: { models: ModelInfo[]; limits: CollectionLimits; examples: ExampleCollectionCard[] }) {
  const [created, setCreated] = useState<{ collection: CreatedCollection; saved: boolean } | null>(null);
  const [saved, setSaved] = useState<SavedCollection[] | null>(null);
  useEffect(() => setSaved(readSavedCollections()), []);

  function onCreated(collection: CreatedCollection) {
    const { id, name, model, public: isPublic } = collection.collection;
    const stored = rememberCollection({ id, name, model, public: isPublic, readKey: collection.readKey, writeKey: collection.writeKey });
    setCreated({ collection, saved: stored });
    setSaved(readSavedCollections());
  }

  return (
    <div className="collections-home">
      {created ? (
        <CreatedCollectionKeys created={created.collection} saved={created.saved} onDone={() => setCreated(null)} />
      ) : (
        <CreateCollectionForm models={models} limits={limits} onCreated={onCreated} />
      )}

      <section aria-labelledby="saved-title">
        <h2 id="saved-title">Your collections</h2>
        {saved === null ? (
          <p className="hint">Reading this browser’s collections…</p>
        ) : (
          <SavedCollectionsTable
            collections={saved}
            onForget={(id) => {
              forgetCollection(id);
              setSaved(readSavedCollections());
            }}
          />
        )}
      </section>

      <section aria-labelledby="example-title">
        <h2 id="example-title">Examples</h2>
        <ul className="cards">
          {examples.map((example) => (
            <li key={example.id}>
              <Link href={`/collections/${example.id}`} className="card">
                <span className="card-title">{example.name}</span>
                <span className="card-text">{example.description}</span>
                <span className="card-meta">
                  {example.id} · {example.model} · public, read-only
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
