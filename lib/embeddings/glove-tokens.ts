const contractions: Record<string, string[]> = { s: [], re: ["are"], m: ["am"], ll: ["will"], ve: ["have"], d: ["would"] };
const negatedStems: Record<string, string> = { can: "can", won: "will", shan: "shall", ain: "is" };
const wordPattern = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

/**
 * Splits a text into the lowercase words GloVe knows, the way its corpus was tokenised, simply:
 * - lowercase, accents stripped ("Café" → "cafe": this vocabulary keeps only ASCII words);
 * - words are runs of letters and digits; punctuation, symbols and "_" separate them, so
 *   "New York!" → ["new", "york"];
 * - inner hyphens stay ("well-known" is one GloVe word; see `meanOf` for unknown compounds);
 * - English contractions expand: "don't" → ["do", "not"], "can't" → ["can", "not"],
 *   "we're" → ["we", "are"], "cat's" → ["cat"]; other apostrophes split ("o'neill" → ["o", "neill"]).
 * Numbers and single letters are returned too, though this vocabulary has none of them.
 */
export function tokenizeForGlove(text: string): string[] {
  const normalised = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u2010\u2011]/g, "-")
    .toLowerCase();
  const tokens: string[] = [];
  for (const [match] of normalised.matchAll(wordPattern)) {
    if (!match.includes("'")) {
      tokens.push(match);
      continue;
    }
    const parts = match.split("'");
    const [stem, suffix] = parts;
    if (parts.length === 2 && suffix === "t" && stem.length > 1 && stem.endsWith("n")) {
      tokens.push(negatedStems[stem] ?? stem.slice(0, -1), "not");
    } else if (parts.length === 2 && suffix in contractions) {
      tokens.push(stem, ...contractions[suffix]);
    } else {
      tokens.push(...parts);
    }
  }
  return tokens;
}
