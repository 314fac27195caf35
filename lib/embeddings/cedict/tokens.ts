import type { ModelToken } from "../types";
import { loadCedictLexicon } from "./model";
import { readPieces } from "./reading";

/**
 * cedict-glove-100d's tokens for the tokens view: the text's words as the model reads them
 * (Chinese cut into dictionary words, each with its first English glosses; English words with
 * their GloVe frequency rank as id). Chinese words have no id: they are read through their glosses.
 */
export async function cedictTokens(text: string): Promise<ModelToken[]> {
  const lexicon = await loadCedictLexicon();
  return readPieces(text, { lexicon, glove: lexicon.glove }).map(({ text: word, source, vector }): ModelToken => {
    const known = vector !== undefined;
    if (source === "en") return { text: word, id: lexicon.glove.rankOf(word) ?? null, known };
    const glosses = lexicon.glossesOf(word);
    return { text: word, id: null, known, ...(glosses.length > 0 ? { glosses } : {}) };
  });
}

