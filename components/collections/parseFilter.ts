import type { Metadata } from "./collectionsApi";

/**
 * Reads a metadata filter typed as `key=value` pairs separated by commas, e.g.
 * `filename=bees.md, year=2024`. Values `true`/`false` and numbers become booleans and numbers
 * (metadata keeps types: `2024` does not match `"2024"`); quote a value to keep it a string:
 * `code="2024"`. Empty input is no filter. Throws an Error naming the bad pair.
 */
export function parseFilter(input: string): Metadata | undefined {
  const pairs = input
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean);
  if (pairs.length === 0) return undefined;
  const filter: Metadata = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = equals > 0 ? pair.slice(0, equals).trim() : "";
    if (!key) throw new Error(`Filter "${pair}" is not key=value; write e.g. filename=notes.md.`);
    filter[key] = parseValue(pair.slice(equals + 1).trim());
  }
  return filter;
}

function parseValue(value: string): string | number | boolean {
  if (value === "true" || value === "false") return value === "true";
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
  return quoted ? quoted[1] : value;
}

/** A filter that would work on this collection, from one document's metadata, to show as a placeholder. */
export function exampleFilter(metadata: Metadata | undefined): string {
  const entries = Object.entries(metadata ?? {}).filter(([, value]) => String(value).length <= 40 && !String(value).includes(","));
  const [key, value] = entries.find(([key]) => key === "filename") ?? entries.find(([key]) => key !== "title") ?? entries[0] ?? ["filename", "notes.md"];
  return `${key}=${typeof value === "string" && /^(true|false|-?\d+(\.\d+)?)$/.test(value) ? `"${value}"` : value}`;
}
