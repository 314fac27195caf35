/**
 * Explorations this browser created or forked, kept in localStorage so the home page can list
 * them. There is deliberately no server-side list: share links are private by being unguessable,
 * and a public "recent" list would give them away.
 */
export interface RecentExploration {
  slug: string;
  title: string;
  /** Present for explorations this browser can edit. */
  editKey?: string;
  savedAt: string;
}

const storageKey = "embeddings-notebook.recent";
const maxRecent = 20;

export function readRecentExplorations(): RecentExploration[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(storageKey) ?? "[]");
    return Array.isArray(value) ? value.filter(isRecent).slice(0, maxRecent) : [];
  } catch {
    return [];
  }
}

export function rememberExploration(entry: Omit<RecentExploration, "savedAt">): void {
  try {
    const others = readRecentExplorations().filter((recent) => recent.slug !== entry.slug);
    const next = [{ ...entry, savedAt: new Date().toISOString() }, ...others].slice(0, maxRecent);
    window.localStorage.setItem(storageKey, JSON.stringify(next));
  } catch {
    // Storage full or disabled (private mode): the exploration is saved on the server all the same.
  }
}

function isRecent(value: unknown): value is RecentExploration {
  const entry = value as RecentExploration;
  return typeof entry?.slug === "string" && typeof entry.title === "string" && typeof entry.savedAt === "string";
}
