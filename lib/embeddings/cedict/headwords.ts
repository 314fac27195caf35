import type { CedictLexicon } from "./lexicon";

/**
 * Which Chinese headwords make the model's vocabulary (scope "vocabulary": nearest words and
 * analogies in pgvector), most common first. CC-CEDICT has no word frequencies, so commonness is
 * estimated from what it does have:
 * - the GloVe rank of the headword's first gloss (a word glossed "cat" is met more often than one
 *   glossed "ocelot");
 * - how many headwords its rarest character appears in (rare characters make rare words: 庳, 嫜);
 * - how many longer headwords contain it (中国 is in hundreds, 达味王 in none);
 * - its length: two characters is the usual modern word; single characters are often bound
 *   morphemes (蕉 beside 香蕉), longer ones mostly names, idioms and set phrases.
 * Words of more than `maxLength` characters, descriptions (see `maxFirstGlossWords`), names that
 * are not one common English word, and
 * headwords whose vector is exactly another's (same glosses: 女王 and 王后 are both "queen") but
 * rank lower are left out: in a nearest-word list they would only repeat.
 */

export interface HeadwordRanking {
  /** Longest headword kept, in characters. Default 4: idioms (成语) are four, proverbs longer. */
  maxLength?: number;
  /** A name (capitalised pinyin only) is kept when its gloss is one word of GloVe rank at most this. Default 20,000. */
  maxNameGlossRank?: number;
}

/**
 * A headword whose first meaning takes more words than this is a description ("husband's father
 * and mother"): its vector is the centroid of those words, near many queries at once (a hub), and
 * would crowd out real answers.
 */
const maxFirstGlossWords = 2;
const hanOnly = /^\p{Script=Han}+$/u;

/**
 * The simplified headwords that have a vector, ordered most common first by the estimate above,
 * each vector once. ~3 s for the whole dictionary (it computes every headword's vector).
 */
export function rankHeadwords(lexicon: CedictLexicon, { maxLength = 4, maxNameGlossRank = 20_000 }: HeadwordRanking = {}): string[] {
  const forms = lexicon.simplifiedForms.filter((form) => hanOnly.test(form));
  const charCounts = new Map<string, number>();
  const containedIn = new Map<string, number>();
  for (const form of forms) {
    const chars = [...form];
    for (const char of new Set(chars)) charCounts.set(char, (charCounts.get(char) ?? 0) + 1);
    const inside = new Set<string>();
    for (let n = 2; n < chars.length && n <= maxLength; n++) {
      for (let at = 0; at + n <= chars.length; at++) inside.add(chars.slice(at, at + n).join(""));
    }
    for (const part of inside) containedIn.set(part, (containedIn.get(part) ?? 0) + 1);
  }

  const scored: { form: string; score: number; order: number }[] = [];
  for (const [order, form] of forms.entries()) {
    const chars = [...form];
    if (chars.length > maxLength) continue;
    if (lexicon.firstGlossWords(form).length > maxFirstGlossWords) continue;
    const glossRank = lexicon.commonnessRank(form);
    if (glossRank === undefined) continue;
    // A name stays when it is one common word (巴黎 Paris, 东京 Tokyo); names of several words
    // (汉堡王 Burger King, 东京大学 Tokyo University) sit between their words like descriptions.
    if (lexicon.isNameOnly(form) && (glossRank > maxNameGlossRank || lexicon.firstGlossWords(form).length > 1)) continue;
    const rarestChar = Math.min(...chars.map((char) => charCounts.get(char)!));
    const compounds = chars.length === 1 ? charCounts.get(form)! : (containedIn.get(form) ?? 0);
    const score = Math.log(glossRank) - 0.5 * Math.log(rarestChar) - 0.5 * Math.log1p(compounds) + Math.abs(chars.length - 2);
    scored.push({ form, score, order });
  }
  scored.sort((a, b) => a.score - b.score || a.order - b.order);

  const seen = new Set<string>();
  const ranked: string[] = [];
  for (const { form } of scored) {
    const vector = lexicon.vectorOf(form)!;
    const key = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
    if (seen.has(key)) continue;
    seen.add(key);
    ranked.push(form);
  }
  return ranked;
}
