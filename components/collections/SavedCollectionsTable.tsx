"use client";

import Link from "next/link";
import { ConfirmButton } from "./ConfirmButton";
import type { SavedCollection } from "./saved";

/** The collections whose keys this browser holds, newest first, each with a way to forget it here. */
export function SavedCollectionsTable({ collections, onForget }: { collections: SavedCollection[]; onForget: (id: string) => void }) {
  if (collections.length === 0) {
    return <p className="hint empty">None yet. Collections you create here are listed here, with their keys, in this browser only.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="data-table saved-collections">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Id</th>
            <th scope="col">Model</th>
            <th scope="col">Keys here</th>
            <th scope="col">Saved</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {collections.map((collection) => (
            <tr key={collection.id}>
              <td>
                <Link href={`/collections/${encodeURIComponent(collection.id)}`}>{collection.name}</Link>
                {collection.public && <span className="tag">public</span>}
              </td>
              <td className="mono">{collection.id}</td>
              <td className="mono">{collection.model ?? "–"}</td>
              <td>{describeKeys(collection)}</td>
              <td className="nowrap">{new Date(collection.savedAt).toLocaleDateString()}</td>
              <td className="actions-cell">
                <ConfirmButton
                  label={`Forget ${collection.name}`}
                  question="Forget its keys here?"
                  confirmLabel="Forget"
                  onConfirm={() => onForget(collection.id)}
                >
                  Forget
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function describeKeys(collection: SavedCollection): string {
  if (collection.writeKey && collection.readKey) return "write + read";
  if (collection.writeKey) return "write";
  if (collection.readKey) return "read";
  return "none";
}
