import { AppError } from "./errors";

/** A whole-number query parameter within [min, max], `fallback` when absent; 400 `bad_request:<name>` otherwise. */
export function integerParam(search: URLSearchParams, name: string, { fallback, min, max }: { fallback: number; min: number; max: number }): number {
  const value = search.get(name);
  if (value === null) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new AppError(`bad_request:${name}`, `${name} must be a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}.`);
  }
  return number;
}
