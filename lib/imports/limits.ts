/** What one import may hold, stated once for the API, the page and the OpenAPI document (no server code here: the browser imports it). */
export const importLimits = {
  /** Largest file, in bytes. */
  maxFileBytes: 2 * 1024 ** 3,
  /** Largest form field (the mapping's JSON), in bytes. */
  maxFieldBytes: 64 * 1024,
  /** Rows (chunks) a collection may hold, by database: the embedded one runs in the app's own process and memory. */
  maxCollectionRows: { pglite: 100_000, postgres: 1_000_000 },
} as const;
