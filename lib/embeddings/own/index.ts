import { AppError } from "../../api/errors";
import type { EmbeddingModel, ModelFamily } from "../types";

/**
 * `own:<name>`: vectors a person imported with their rows (lib/jobs/imports/), made by a model
 * this server does not have. A collection of them keeps its vectors' space to itself: nothing here
 * turns a text into that space, so embedding a text under such an id is refused, never answered
 * with another model's vector. Its dimension is the first import's (the collection's chunks hold it).
 */
const ID_PREFIX = "own:";
const NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

export function isOwnVectorsModel(id: string): boolean {
  return id.startsWith(ID_PREFIX);
}

/** Why no text can be embedded as `id`, and what to do instead: one message for every place that would. */
export function ownVectorsMessage(id: string): string {
  return (
    `${id} is a collection's own vectors, imported with its rows: no model here turns a text into their space. ` +
    `Search the collection by keyword (mode: "keyword"), or with a vector of the same dimension as its rows'.`
  );
}

function createOwnVectorsModel(id: string): EmbeddingModel {
  const name = id.slice(ID_PREFIX.length);
  if (!NAME.test(name)) {
    throw new AppError("bad_request:model", `"${id.slice(0, 100)}" is not an own-vectors model id: write own:<name>, with 1–64 letters, digits, "_", "." or "-" (e.g. own:papers-2024).`);
  }
  return {
    info: () => ({
      id,
      dims: null,
      kind: "own",
      local: true,
      available: true,
      description: `Vectors imported with the collection's rows (${name}), from a model this server does not have.`,
      reads: null,
    }),
    embed: async () => {
      throw new AppError("bad_request:model", ownVectorsMessage(id));
    },
  };
}

export const ownVectorsFamily: ModelFamily = {
  prefix: ID_PREFIX,
  usage: "own:<name> for a collection of vectors imported with its rows",
  create: createOwnVectorsModel,
  listed: () => [],
  unlisted: true,
};
