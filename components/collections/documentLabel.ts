import type { Metadata } from "./collectionsApi";

/** How a document is named for people: its title, else its file name, else its id. */
export function documentLabel(documentId: string, metadata: Metadata): string {
  const { title, filename } = metadata;
  if (typeof title === "string" && title) return title;
  if (typeof filename === "string" && filename) return filename;
  return `Document ${documentId}`;
}
