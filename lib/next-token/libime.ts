import { AppError } from "../api/errors";
import { segmentByDictionary, splitByScript } from "../embeddings/cedict/segment";
import { aptCommand, installCommand, loadPredictionTable, missingFiles, type LibimePaths, type LoadedTable, type PredictionTable } from "./libime-table";
import type { NextTokenModel, NextTokenModelInfo, Prediction, PredictInput } from "./types";

/**
 * The offline Chinese next-token model: libime's word bigram table (the one fcitx5's pinyin input
 * uses to suggest the next word), n-gram model, not a neural LLM. The text is cut into the model's
 * own words (maximum matching over its vocabulary: Chinese has no spaces), the last word is the
 * head, and its next words are renormalised into a conditional distribution:
 * P(w | head) ≈ 10^score(w) / Σ 10^score(top 15). That overstates each one a little (the words
 * after the 15th are not in the table), but keeps their order and ratios exactly.
 */

export const libimeModelId = "libime-zh";
export const libimeLabel = "libime zh_CN word bigrams (n-gram model, not a neural LLM)";

/** Shown probabilities are cut (not rounded) to this many decimals, so a distribution never sums past 1. */
const decimals = 6;

export function createLibimeModel(paths: LibimePaths): NextTokenModel & { load(): Promise<LoadedTable> } {
  let loading: Promise<LoadedTable> | null = null;

  async function load(): Promise<LoadedTable> {
    const missing = await missingFiles(paths);
    if (missing.length > 0) throw notInstalled(missing);
    loading ??= measure(paths).catch((error) => {
      loading = null;
      throw error;
    });
    return loading;
  }

  return {
    id: libimeModelId,
    load,
    async info(): Promise<NextTokenModelInfo> {
      const missing = await missingFiles(paths);
      return {
        id: libimeModelId,
        label: libimeLabel,
        kind: "n-gram",
        languages: ["zh"],
        available: missing.length === 0,
        ...(missing.length > 0 ? { install: installMessage(missing) } : {}),
        description:
          "Debian's libime-data-language-model (LGPL-2.1+): the 15 likeliest next words after each of ~65,000 Chinese words, from word-pair counts. It looks at the last word only.",
      };
    },
    async predict({ text, appended = [], k }: PredictInput): Promise<Prediction> {
      const { table } = await load();
      const context = [...segmentForTable(text, table), ...appended];
      return predictAfter(context, table, k);
    },
  };
}

/** The text cut into the table's words: Han runs by maximum matching, other runs by whitespace. */
export function segmentForTable(text: string, table: PredictionTable): string[] {
  const dictionary = { has: (word: string) => table.vocabulary.has(word), maxWordLength: table.maxWordLength };
  return splitByScript(text).flatMap((run) => (run.han ? segmentByDictionary(run.text, dictionary) : run.text.split(/\s+/).filter(Boolean)));
}

/**
 * The distribution after the last word of `context`. A last word the table has no next words
 * for backs off to its longest ending that has some (未来将 → 将), and says so; when even its last
 * character has none, the distribution is empty and the note says why: never a made-up answer.
 */
export function predictAfter(context: string[], table: PredictionTable, k: number): Prediction {
  const last = context.at(-1);
  if (last === undefined) return { context, tokens: [], note: "There is no word to predict from." };
  if (!/\p{Script=Han}/u.test(last)) {
    return { context, tokens: [], note: `“${last}” is not Chinese: this model only knows what follows Chinese words.` };
  }
  const chars = Array.from(last);
  for (let drop = 0; drop < chars.length; drop++) {
    const head = chars.slice(drop).join("");
    const next = table.next.get(head);
    if (!next) continue;
    const weights = next.map(({ score }) => 10 ** score);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const tokens = next.slice(0, k).map(({ word }, i) => ({ text: word, probability: Math.floor((weights[i] / total) * 10 ** decimals) / 10 ** decimals }));
    return drop === 0 ? { context, tokens } : { context, tokens, note: `The model has no next words after “${last}”; it backed off to its ending “${head}”.` };
  }
  const what = table.vocabulary.has(last) ? "a word it has seen only after others" : "a word it does not know";
  const endings = chars.length > 1 ? " nor after any of its endings" : "";
  return { context, tokens: [], note: `The model has no next words after “${last}” (${what})${endings}, so it cannot say what comes next.` };
}

function installMessage(missing: string[]): string {
  return `${missing.join(" and ")} missing: run \`${installCommand}\` (or \`${aptCommand}\`).`;
}

function notInstalled(missing: string[]): AppError {
  return new AppError("unavailable:next_token_model", `${libimeModelId} is not installed here: ${installMessage(missing)}`);
}

async function measure(paths: LibimePaths): Promise<LoadedTable> {
  const heapBefore = process.memoryUsage().heapUsed;
  const loaded = await loadPredictionTable(paths);
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  console.info(
    `[next-token] ${libimeModelId}: ${loaded.table.entries} entries, ${loaded.table.next.size} head words; ` +
      `${loaded.dumped ? `dumped (${loaded.dumped}) in ${Math.round(loaded.dumpMs)} ms, ` : ""}parsed in ${Math.round(loaded.parseMs)} ms, heap +${Math.round(heapMb)} MB`,
  );
  return loaded;
}
