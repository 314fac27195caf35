import type { GloveVocabulary } from "../glove";
import type { CedictEntry } from "./dictionary";
import { cleanGloss, weightedGlosses } from "./glosses";

/**
 * The dictionary as the model uses it: every headword, simplified and traditional, with its
 * vector in GloVe's space, the weighted mean of its glosses' word vectors (see glosses.ts). Vectors
 * are computed on first use and kept, so loading costs only the parse.
 */
export class CedictLexicon {
  /** The longest headword, in characters: how far forward maximum matching looks. */
  readonly maxWordLength: number;
  /** Headword (either form) → its readings, in dictionary order. */
  private readonly byForm = new Map<string, CedictEntry[]>();
  /** Simplified headwords, each once, in dictionary order. */
  readonly simplifiedForms: string[] = [];
  /** Traditional or variant form → the simplified form its first entry gives. */
  private readonly simplifiedOf = new Map<string, string>();
  private readonly vectors = new Map<string, Float32Array | null>();

  constructor(
    entries: readonly CedictEntry[],
    readonly glove: GloveVocabulary,
  ) {
    let maxWordLength = 1;
    const seen = new Set<string>();
    for (const entry of entries) {
      const forms = entry.traditional === entry.simplified ? [entry.simplified] : [entry.simplified, entry.traditional];
      for (const form of forms) {
        const list = this.byForm.get(form);
        if (list) list.push(entry);
        else this.byForm.set(form, [entry]);
        maxWordLength = Math.max(maxWordLength, [...form].length);
      }
      if (!this.simplifiedOf.has(entry.traditional)) this.simplifiedOf.set(entry.traditional, entry.simplified);
      if (!seen.has(entry.simplified)) {
        seen.add(entry.simplified);
        this.simplifiedForms.push(entry.simplified);
      }
    }
    this.maxWordLength = maxWordLength;
  }

  get dims(): number {
    return this.glove.dims;
  }

  /** True when `word` (simplified or traditional) is a headword. */
  has(word: string): boolean {
    return this.byForm.has(word);
  }

  /** True when every reading of the headword is a name (capitalised pinyin: places, people, surnames). */
  isNameOnly(word: string): boolean {
    return (this.byForm.get(word) ?? []).every((entry) => /^[A-Z]/.test(entry.pinyin));
  }

  /** The simplified form of a headword (itself when it is simplified already, or unknown). */
  simplified(word: string): string {
    return this.byForm.get(word)?.some((entry) => entry.simplified === word) ? word : (this.simplifiedOf.get(word) ?? word);
  }

  /**
   * The headword's vector in GloVe's space (raw scale, like a GloVe word's), or undefined when it
   * is not a headword or no gloss has a word GloVe knows. A read-only shared array: copy to change.
   */
  vectorOf(word: string): Float32Array | undefined {
    let vector = this.vectors.get(word);
    if (vector === undefined) {
      vector = this.compute(word) ?? null;
      this.vectors.set(word, vector);
    }
    return vector ?? undefined;
  }

  /** The headword's first `limit` (default 3) meanings, cleaned, for people: 猫 → ["cat", "to hide oneself", "modem"]. */
  glossesOf(word: string, limit = 3): string[] {
    const meanings: string[] = [];
    for (const entry of this.byForm.get(word) ?? []) {
      for (const raw of entry.glosses) for (const { text } of cleanGloss(raw)) if (!meanings.includes(text)) meanings.push(text);
    }
    return meanings.slice(0, limit);
  }

  /**
   * The headword's first gloss word in GloVe (its frequency rank), a proxy for how common the
   * word is: CC-CEDICT has no frequencies, and a word glossed "cat" is met more often than one
   * glossed "ocelot". Undefined when the word has no vector.
   */
  commonnessRank(word: string): number | undefined {
    for (const gloss of weightedGlosses(this.byForm.get(word) ?? [])) {
      const ranks = gloss.words.map((w) => this.glove.rankOf(w)).filter((rank): rank is number => rank !== undefined);
      if (ranks.length > 0) return Math.max(...ranks);
    }
    return undefined;
  }

  /** The content words of the headword's first meaning (猫 → ["cat"], 宠物 → ["house", "pet"]); empty when it has none. */
  firstGlossWords(word: string): string[] {
    return weightedGlosses(this.byForm.get(word) ?? [])[0]?.words ?? [];
  }

  private compute(word: string): Float32Array | undefined {
    const entries = this.byForm.get(word);
    if (!entries) return undefined;
    const dims = this.glove.dims;
    const sum = new Float64Array(dims);
    let totalWeight = 0;
    for (const { words, weight } of weightedGlosses(entries)) {
      const known = words.map((w) => this.glove.vectorOf(w)).filter((v): v is Float32Array => v !== undefined);
      if (known.length === 0) continue;
      for (const vector of known) for (let d = 0; d < dims; d++) sum[d] += (weight * vector[d]) / known.length;
      totalWeight += weight;
    }
    if (totalWeight === 0) return undefined;
    return Float32Array.from(sum, (value) => value / totalWeight);
  }
}
