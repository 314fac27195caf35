"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiError } from "@/components/notebook/client";
import { fetchCollection, fetchDocuments, type CollectionDocument, type CollectionInfo } from "./collectionsApi";
import { findSavedCollection, forgetCollection, rememberCollection, strongestKey } from "./saved";

/** What the key in use may do: `none` is a public collection opened without a (useful) key. */
export type Access = "write" | "read" | "none";

export type CollectionState =
  | { status: "loading" }
  | { status: "needs-key"; refused: boolean; message: string }
  | { status: "not-found"; message: string }
  | { status: "error"; message: string }
  | { status: "ready"; info: CollectionInfo; documents: CollectionDocument[]; access: Access; notice?: string };

/**
 * A collection as this browser may see it. The key comes from the `#key=` fragment (then it is
 * saved and dropped from the address bar), else from the keys saved in this browser, else the
 * person pastes one. Once the collection opens with a key, that key is saved as a read or a write
 * key, whichever it is.
 */
export function useCollection(id: string) {
  const [key, setKey] = useState<string | null | undefined>(undefined);
  const [state, setState] = useState<CollectionState>({ status: "loading" });

  useEffect(() => {
    const fragmentKey = new URLSearchParams(window.location.hash.slice(1)).get("key")?.trim();
    if (fragmentKey) {
      // Out of the address bar, so the key is not copied along with the page's link.
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      setKey(fragmentKey);
    } else {
      setKey(strongestKey(findSavedCollection(id)));
    }
  }, [id]);

  const load = useCallback(
    async (key: string | null, { quiet = false } = {}) => {
      if (!quiet) setState({ status: "loading" });
      try {
        const [info, documents] = await Promise.all([fetchCollection(id, key), fetchDocuments(id, key)]);
        // The server says what this key may do; a key that only a public collection tolerates does nothing.
        const access: Access = key === null || info.access === "public" ? "none" : info.access;
        if (key !== null && access !== "none") {
          rememberCollection({ id, name: info.name, model: info.model, public: info.public, [access === "write" ? "writeKey" : "readKey"]: key });
        }
        const notice =
          key !== null && access === "none" ? "This key can’t change this collection; it is public, so searching needs no key." : undefined;
        setState({ status: "ready", info, documents, access, notice });
      } catch (error) {
        setState(failedState(error));
      }
    },
    [id],
  );

  useEffect(() => {
    if (key !== undefined) void load(key);
  }, [key, load]);

  /** Reloads counts and documents after a change, without the loading screen. */
  const refresh = useCallback(() => (key === undefined ? Promise.resolve() : load(key, { quiet: true })), [key, load]);

  /** Tries a pasted key; a refusal is shown like any other. */
  const tryKey = useCallback((pasted: string) => setKey(pasted.trim() || null), []);

  /** Drops this collection's keys from this browser and shows the page as a keyless visitor sees it. */
  const forgetKeys = useCallback(() => {
    forgetCollection(id);
    setKey(null);
  }, [id]);

  // Read after the state settles (never during the first, server-matching render).
  const isSaved = state.status !== "loading" && findSavedCollection(id) !== undefined;

  return { state, key: key ?? null, isSaved, refresh, tryKey, forgetKeys };
}

function failedState(error: unknown): CollectionState {
  const message = (error as Error).message;
  if (error instanceof ApiError) {
    if (error.status === 401) return { status: "needs-key", refused: false, message };
    if (error.status === 403) return { status: "needs-key", refused: true, message };
    if (error.status === 404) return { status: "not-found", message };
  }
  return { status: "error", message };
}
