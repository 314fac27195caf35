import type { Metadata } from "./collectionsApi";

/** How a document is named for people: its title, else its file name, else an imported row's own id, else its document id. */
export function documentLabel(documentId: string, metadata: Metadata): string {
  const { title, filename, id } = metadata;
  if (typeof title === "string" && title) return title;
  if (typeof filename === "string" && filename) return filename;
  if ((typeof id === "string" && id) || typeof id === "number") return `Row ${id}`;
  return `Document ${documentId}`;
}
