import fs from "node:fs";
import path from "node:path";
import { readConfig } from "../config";
import { createLibimeModel } from "./libime";
import type { LibimePaths } from "./libime-table";
import { createRemoteModel } from "./remote";
import type { NextTokenModel, NextTokenModelInfo } from "./types";

/**
 * The next-token models, one line each. The first is the default. Models are built from the
 * configuration of the moment (cached per configuration), so a changed environment — or a test
 * that points LIBIME_PREDICTION_BIN at a missing file — gets a model that sees it.
 */
const factories: Record<string, (env: Record<string, string | undefined>) => NextTokenModel> = {
  "libime-zh": (env) => createLibimeModel(libimePaths(env)),
  "remote-llm": (env) => createRemoteModel({ env }),
};

export const defaultNextTokenModel = Object.keys(factories)[0];
export const nextTokenModelIds = Object.keys(factories);

/**
 * What we looked for and did not find: shown with the model list, in the cell and the README.
 * Checked in Debian's archive and npm's package list; see the README for the details.
 */
export const missingModels = [
  {
    language: "en",
    note:
      "No offline English next-token model: pocketsphinx-en-us's trigram model is in a binary format whose conversion aborts, and onboard-data's en_US model has only 6,398 bigrams, nearly all proper names (ABC News, Abraham Lincoln), nothing after “the” or “of”. Word lists with frequencies are not next-token models. Configure a remote LLM (HF_GENERATION_URL or HF_TOKEN) for English.",
  },
];

const cache = new Map<string, NextTokenModel>();

/** The model `id` as configured by `env` (default process.env); undefined for an unknown id. */
export function getNextTokenModel(id: string, env: Record<string, string | undefined> = process.env): NextTokenModel | undefined {
  const factory = factories[id];
  if (!factory) return undefined;
  const key = `${id}\u0000${JSON.stringify(relevantEnv(env))}`;
  let model = cache.get(key);
  if (!model) cache.set(key, (model = factory(env)));
  return model;
}

export async function listNextTokenModels(env: Record<string, string | undefined> = process.env): Promise<NextTokenModelInfo[]> {
  return Promise.all(nextTokenModelIds.map((id) => getNextTokenModel(id, env)!.info()));
}

/**
 * Where libime's files are: LIBIME_PREDICTION_BIN and LIBIME_MODEL_FILE when set, else Debian's
 * paths (the model file sits under the machine's multiarch directory, e.g. x86_64-linux-gnu).
 */
export function libimePaths(env: Record<string, string | undefined> = process.env): LibimePaths {
  const { dataDir } = readConfig(env);
  return {
    binary: env.LIBIME_PREDICTION_BIN?.trim() || "/usr/bin/libime_prediction",
    source: env.LIBIME_MODEL_FILE?.trim() || debianModelFile(),
    cacheFile: path.join(dataDir, "next-token", "libime-zh_CN.predict.txt"),
  };
}

function debianModelFile(): string {
  const name = "libime/zh_CN.lm.predict";
  const multiarch = fs.existsSync("/usr/lib") ? fs.readdirSync("/usr/lib").filter((dir) => dir.endsWith("-linux-gnu")) : [];
  const found = multiarch.map((dir) => path.join("/usr/lib", dir, name)).find((file) => fs.existsSync(file));
  return found ?? path.join("/usr/lib", multiarch[0] ?? "x86_64-linux-gnu", name);
}

function relevantEnv(env: Record<string, string | undefined>) {
  const names = ["DATA_DIR", "LIBIME_PREDICTION_BIN", "LIBIME_MODEL_FILE", "HF_TOKEN", "HF_GENERATION_URL", "HF_GENERATION_MODEL"];
  return names.map((name) => env[name] ?? "");
}
