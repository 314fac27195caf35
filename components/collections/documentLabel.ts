import type { Metadata } from "./collectionsApi";

/** How a document is named for people: its title, else its file name, else its number. */
export function documentLabel(documentId: number, metadata: Metadata): string {
  const { title, filename } = metadata;
  if (typeof title === "string" && title) return title;
  if (typeof filename === "string" && filename) return filename;
  return `Document ${documentId}`;
}
