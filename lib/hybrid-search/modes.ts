/** The ways a collection can be searched (see search.ts). Its own module: the browser imports it. */
export const searchModes = ["hybrid", "vector", "keyword"] as const;
export type SearchMode = (typeof searchModes)[number];
