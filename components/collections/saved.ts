/**
 * Collections this browser created or opened with a key, kept in localStorage so /collections can
 * list them and a collection page opens without asking for its key again. The server keeps only
 * hashes of the keys, so unless the person copied them elsewhere this is their only copy: entries
 * are never dropped to make room, only when the person asks.
 */
export interface SavedCollection {
  id: string;
  name: string;
  model?: string;
  public?: boolean;
  /** Searches a private collection. */
  readKey?: string;
  /** Adds and deletes documents, deletes the collection, and reads too. */
  writeKey?: string;
  savedAt: string;
}

const storageKey = "embeddings-notebook.collections";

export function readSavedCollections(): SavedCollection[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(storageKey) ?? "[]");
    return Array.isArray(value) ? value.filter(isSavedCollection) : [];
  } catch {
    return [];
  }
}

export function findSavedCollection(id: string): SavedCollection | undefined {
  return readSavedCollections().find((saved) => saved.id === id);
}

/** The key that opens the most: the write key when this browser has it, else the read key. */
export function strongestKey(saved: SavedCollection | undefined): string | null {
  return saved?.writeKey ?? saved?.readKey ?? null;
}

/**
 * Adds or updates a collection, newest first. Fields left out keep their saved value, so
 * remembering a read key never forgets a write key saved earlier. Returns false when storage is
 * unavailable (private mode, full): the caller should then not rely on it.
 */
export function rememberCollection(entry: Omit<SavedCollection, "savedAt">): boolean {
  try {
    const saved = readSavedCollections();
    const previous = saved.find((other) => other.id === entry.id);
    const defined = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
    const merged: SavedCollection = { ...previous, ...defined, id: entry.id, name: entry.name, savedAt: new Date().toISOString() };
    window.localStorage.setItem(storageKey, JSON.stringify([merged, ...saved.filter((other) => other.id !== entry.id)]));
    return true;
  } catch {
    return false;
  }
}

/** Drops the collection and its keys from this browser; the collection itself stays on the server. */
export function forgetCollection(id: string): void {
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(readSavedCollections().filter((saved) => saved.id !== id)));
  } catch {
    // Storage disabled: there was nothing saved to forget.
  }
}

function isSavedCollection(value: unknown): value is SavedCollection {
  const entry = value as SavedCollection;
  return (
    typeof entry?.id === "string" &&
    typeof entry.name === "string" &&
    typeof entry.savedAt === "string" &&
    (entry.readKey === undefined || typeof entry.readKey === "string") &&
    (entry.writeKey === undefined || typeof entry.writeKey === "string")
  );
}
