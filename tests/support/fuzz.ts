import fc from "fast-check";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites } from "@/lib/db/queries";

/**
 * Building blocks for property-based tests of the API: arbitraries for hostile inputs (strings,
 * JSON, almost-valid bodies, path segments, Authorization headers), the checks every reply must
 * pass, and a snapshot of the database to prove that a rejected request wrote nothing.
 */

// ——— strings ————————————————————————————————————————————————————————————————————

/** Characters that break naive code: controls, NUL, lone surrogates, BOM, line separators, RTL, combining marks. */
const nastyCharacters = [
  "\u0000", "\u0001", "\u0008", "\t", "\n", "\r", "\u000b", "\u001f", "\u007f", "\u0085", "\u00a0",
  "\ud800", "\udbff", "\udc00", "\udfff", "\ufeff", "\ufffd", "\uffff", "\u2028", "\u2029", "\u202e",
  "\u200b", "e\u0301", "\u0301", "\u{1f600}", "\u{10ffff}", "猫", "ß", "İ", "\\", '"', "'", "%00", "../",
];

/** One unit of a hostile string: mostly any code point, often one of the characters above or a lone surrogate. */
export const nastyUnit: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 4 },
  { arbitrary: fc.constantFrom(...nastyCharacters), weight: 3 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), weight: 1 },
  { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }), weight: 4 },
);

export const nastyString = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit: nastyUnit, maxLength });

/** Any JSON value, with hostile strings in keys and values and nesting up to `maxDepth`. */
export const anyJson = (maxDepth = 6): fc.Arbitrary<unknown> => fc.jsonValue({ maxDepth, stringUnit: nastyUnit });

/** One string from 10,001 to 300,000 characters: past every text limit, some past a document's. */
export const hugeString: fc.Arbitrary<string> = fc
  .record({ length: fc.integer({ min: 10_001, max: 300_000 }), unit: fc.constantFrom("a", "é", "猫", " ", "a b ", "\u0000", "\ud800", "\u{1f600}") })
  .map(({ length, unit }) => unit.repeat(Math.ceil(length / unit.length)));

/** A body nested `depth` levels deep: `[[[…]]]` or `{"a":{"a":…}}`, as text (far deeper than a stack-friendly object). */
export const deeplyNestedBody: fc.Arbitrary<string> = fc
  .record({ depth: fc.integer({ min: 64, max: 20_000 }), kind: fc.constantFrom("array", "object", "in-field") })
  .map(({ depth, kind }) => {
    if (kind === "array") return "[".repeat(depth) + "]".repeat(depth);
    const nested = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    return kind === "object" ? nested : `{"texts":["cat"],"metadata":${nested}}`;
  });

/** Text that JSON.parse rejects: random characters, truncated or broken JSON, JavaScript-isms. */
export const notJson = (validBodies: unknown[]): fc.Arbitrary<string> => {
  const texts = validBodies.map((body) => JSON.stringify(body));
  return fc
    .oneof(
      nastyString(200),
      fc.string({ unit: "binary-ascii", maxLength: 200 }),
      fc.record({ text: fc.constantFrom(...texts), cut: fc.nat() }).map(({ text, cut }) => text.slice(0, cut % text.length)),
      fc.record({ text: fc.constantFrom(...texts), at: fc.nat(), junk: nastyString(3) }).map(
        ({ text, at, junk }) => text.slice(0, at % text.length) + junk + text.slice(at % text.length),
      ),
      fc.constantFrom("{texts: ['cat']}", "{'texts': ['cat']}", '{"texts": ["cat"],}', '{"k": NaN}', '{"k": Infinity}', '{"k": 0x10}',
        '{"k": 1e}', '{"a":1}{"a":2}', "undefined", "\ufeff{}", "{", '"\\ud800', "/* */ {}", "\u0000"),
    )
    .filter((text) => !parsesAsJson(text));
};

/** Whether the server will read `text` as JSON (UTF-8 decoding drops a leading byte-order mark). */
export function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\ufeff/, ""));
    return true;
  } catch {
    return false;
  }
}

// ——— almost-valid bodies ————————————————————————————————————————————————————————

/**
 * Values that are wrong almost everywhere: other types, NaN-like and numeric strings, bounds ± 1,
 * numbers JSON cannot carry exactly, blank and over-long strings, deep nesting, prototype keys.
 */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 0.1, 1e-320, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308), weight: 2 },
  { arbitrary: fc.constantFrom("", " ", "\t\n", "NaN", "Infinity", "-Infinity", "1e309", "-1", "0", "1", "0x10", "true", "null", "[]", "{}", "__proto__"), weight: 2 },
  // Strings of a valid type and length that a database or a renderer may still choke on.
  { arbitrary: fc.constantFrom("\u0000", "a\u0000b", "cat\u0007", "\u001b[31mred", "\ud800", "a\udfffb", "\ufeffcat", "cafe\u0301", "\u202egnp.exe", "' OR 1=1 --", "<script>alert(1)</script>", "{{context}}"), weight: 3 },
  { arbitrary: nastyString(20), weight: 4 },
  { arbitrary: fc.constantFrom([], {}, [null], [[]], [""], [1, 2], { "": 1 }, { constructor: "x" }, { toString: 1 }), weight: 1 },
  { arbitrary: fc.constantFrom("x".repeat(10_001), "y".repeat(20_001), " ".repeat(10_001), "é".repeat(201), "a".repeat(65)), weight: 1 },
  { arbitrary: fc.constant(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`key${i}`, i]))), weight: 1 },
  { arbitrary: fc.integer({ min: -1000, max: 100_000 }), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 60 }).map((depth) => nest(depth)), weight: 1 },
  { arbitrary: anyJson(3), weight: 1 },
);

function nest(depth: number): unknown {
  let value: unknown = "deep";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

type Path = (string | number)[];

/** Every path into `value` (containers and leaves); long arrays contribute only their first elements. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

export type Mutation =
  | { kind: "replace"; path: Path; value: unknown }
  | { kind: "remove"; path: Path }
  | { kind: "add"; path: Path; key: string; value: unknown }
  | { kind: "grow"; path: Path; count: number };

/**
 * One field of a valid body changed: replaced by a bad value, removed, joined by an extra field,
 * or (arrays) grown by copies of its first element to `oversize[path]`, e.g. just over a limit.
 */
export function mutation(valid: unknown, oversize: Record<string, number> = {}): fc.Arbitrary<Mutation> {
  const paths = pathsOf(valid);
  const containers = [[] as Path, ...paths.filter((path) => isObject(get(valid, path)))];
  const growable = paths.filter((path) => Array.isArray(get(valid, path)) && oversize[path.join(".")]);
  const extraKey = fc.oneof(nastyString(12), fc.constantFrom("__proto__", "constructor", "toString", "text", "k", "id", "", "a".repeat(200)));
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("add" as const), path: fc.constantFrom(...containers), key: extraKey, value: badValue }), weight: 2 },
    ...(paths.length > 0
      ? [
          { arbitrary: fc.record({ kind: fc.constant("replace" as const), path: fc.constantFrom(...paths), value: badValue }), weight: 6 },
          { arbitrary: fc.record({ kind: fc.constant("remove" as const), path: fc.constantFrom(...paths) }), weight: 1 },
        ]
      : []),
    ...(growable.length > 0
      ? [{ arbitrary: fc.constantFrom(...growable).map((path) => ({ kind: "grow" as const, path, count: oversize[path.join(".")] })), weight: 2 }]
      : []),
  );
}

/** `valid` with `change` applied (a deep copy; `valid` is untouched). */
export function applyMutation(valid: unknown, change: Mutation): unknown {
  const copy = structuredClone(valid) as Record<string | number, unknown>;
  if (change.kind === "add") {
    defineOwn(change.path.length === 0 ? copy : (get(copy, change.path) as Record<string, unknown>), change.key, change.value);
    return copy;
  }
  const parent = (change.path.length === 1 ? copy : get(copy, change.path.slice(0, -1))) as Record<string | number, unknown>;
  const key = change.path[change.path.length - 1];
  if (change.kind === "replace") defineOwn(parent, key, change.value);
  else if (change.kind === "remove") Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
  else {
    const array = parent[key] as unknown[];
    parent[key] = Array.from({ length: change.count }, (_, i) => (i < array.length ? array[i] : distinctCopy(array[0], i)));
  }
  return copy;
}

// A fresh string per copy, so "too many" is what fails, not "duplicates".
function distinctCopy(first: unknown, i: number): unknown {
  if (typeof first === "string") return `${first} ${i}`;
  if (isObject(first) && typeof (first as { text?: unknown }).text === "string") return { ...first, text: `${(first as { text: string }).text} ${i}` };
  return structuredClone(first);
}

// `__proto__` must become an own key (as JSON.parse makes it), not the prototype.
function defineOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function get(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<string | number, unknown>)?.[key], value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ——— path segments and Authorization headers ———————————————————————————————————————

/** Ids and slugs that are not there: traversal, encoded NUL, injection, very long, unicode, almost-right. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("../", "..%2F..%2Fetc%2Fpasswd", "../../package.json", "%00", "\u0000", "a%00b", ".", "..", "", " ", "%",
    "' OR 1=1 --", '"; DROP TABLE embeddings; --', "${jndi:x}", "__proto__", "constructor", "null", "undefined", "0", "-1",
    "1e3", "0x1F", "99999999999999999999", "9223372036854775808", "AAAAAAAAAAAAAAAA", "aaaaaaaaaaaaaaa_", "exa mple", "EXAMPLE", "example/"),
  fc.string({ unit: fc.constantFrom(..."ABCxyz0189_-"), minLength: 16, maxLength: 16 }),
  fc.string({ unit: fc.constantFrom(..."ABCxyz0189_-"), minLength: 1, maxLength: 70 }),
  fc.integer({ min: 1, max: 20_000 }).map((length) => "a".repeat(length)),
  nastyString(30),
);

/** Authorization header values that are not a valid key: absent, malformed, random keys, other schemes. */
export const badAuthorization = (wrongKeys: string[]): fc.Arbitrary<string | undefined> =>
  fc
    .oneof(
      fc.constant(undefined),
      fc.constantFrom("", "Bearer", "Bearer ", "bearer", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b", "Bearer\tkey key", "BearerX abc", "Bearer null"),
      fc.string({ unit: fc.constantFrom(..."ABCxyz0189_-"), minLength: 1, maxLength: 64 }).map((key) => `Bearer ${key}`),
      fc.string({ unit: "binary-ascii", maxLength: 60 }),
      ...(wrongKeys.length > 0
        ? [
            fc.constantFrom(...wrongKeys).map((key) => `Bearer ${key}`),
            fc.constantFrom(...wrongKeys).map((key) => key),
            fc.constantFrom(...wrongKeys).map((key) => `Bearer ${key.slice(0, -1)}`),
            fc.constantFrom(...wrongKeys).map((key) => `Bearer ${key}x`),
          ]
        : []),
    )
    .filter((value) => value === undefined || isValidHeaderValue(value));

function isValidHeaderValue(value: string): boolean {
  try {
    new Headers({ authorization: value });
    return true;
  } catch {
    return false;
  }
}

// ——— what every reply must be ————————————————————————————————————————————————————

/** 5xx replies the API documents: a remote model or generation not configured, the vocabulary still loading. */
export const allowedServerErrors = new Set(["unavailable:model", "unavailable:vocabulary", "unavailable:generation"]);

const statusOfType: Record<string, number> = {
  bad_request: 400, unreadable: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, payload_too_large: 413,
  rate_limited: 429, internal: 500, bad_gateway: 502, unavailable: 503, gateway_timeout: 504,
};

/** Signs of internals in a message: stack frames, source paths, SQL and database errors, Prisma. */
export const leakPatterns: RegExp[] = [
  /\n\s*at\s/, /\bat\s+\S+\s+\([^)]*:\d+:\d+\)/, /\bat\s+\/\S+:\d+/, /\.(?:ts|tsx|js|mjs|cjs):\d+/, /node_modules/, new RegExp(escapeRegExp(process.cwd())),
  /\bSELECT\b/, /\bINSERT\b/, /\bUPDATE\b.*\bSET\b/, /\bDELETE FROM\b/, /relation "/, /syntax error at or near/, /duplicate key value/,
  /violates .* constraint/, /invalid byte sequence/, /unsupported Unicode escape/, /\b(?:22P05|22021|23505|42P01|P20\d\d)\b/,
  /prisma/i, /Invalid `/, /DriverAdapterError/, /PGlite/i, /TypeError|ReferenceError|RangeError|undefined is not|Cannot read propert/,
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface SentRequest {
  /** Everything the caller sent, as text: a pattern found here may be echoed back legitimately. */
  text: string;
}

export interface Reply {
  status: number;
  raw: string;
  json: unknown;
  code?: string;
  message?: string;
}

/**
 * Reads a reply and lists what is wrong with it: a 5xx outside `allowedServerErrors`, a body that
 * is not JSON, an error not shaped exactly `{ error: { code, message } }`, a code whose type does
 * not match the status, a message with internals the request did not contain, or a secret.
 */
export async function inspectReply(response: Response, sent: SentRequest, secrets: string[]): Promise<{ reply: Reply; problems: string[] }> {
  const problems: string[] = [];
  const raw = await response.text();
  const reply: Reply = { status: response.status, raw, json: undefined };
  for (const secret of secrets) if (raw.includes(secret)) problems.push(`reply contains the secret ${secret.slice(0, 6)}…`);
  if (response.status === 204) {
    if (raw !== "") problems.push("204 with a body");
    return { reply, problems };
  }
  // A binary answer (a map's points) is a success only; an error is JSON like any other.
  if (response.status < 400 && response.headers.get("content-type") === "application/octet-stream") return { reply, problems };
  if (!/^application\/json/.test(response.headers.get("content-type") ?? "")) problems.push(`content-type ${response.headers.get("content-type")}`);
  try {
    reply.json = JSON.parse(raw);
  } catch {
    problems.push("body is not JSON");
    return { reply, problems };
  }
  if (response.status < 400) return { reply, problems };

  const error = (reply.json as { error?: Record<string, unknown> }).error;
  const fields = isObject(error) ? Object.keys(error).sort().join() : "";
  const shapeOk = fields === "code,message" || (fields === "code,details,message" && isObject(error?.details));
  if (!isObject(reply.json) || Object.keys(reply.json).join() !== "error" || !isObject(error) || !shapeOk) {
    problems.push("error reply is not exactly { error: { code, message, details? } }");
    return { reply, problems };
  }
  const { code, message } = error;
  if (typeof code !== "string" || typeof message !== "string" || message.trim() === "") {
    problems.push("error code or message is not a non-empty string");
    return { reply, problems };
  }
  Object.assign(reply, { code, message });
  if (!/^[a-z_]+:[A-Za-z0-9_.-]+$/.test(code)) problems.push(`malformed code ${JSON.stringify(code)}`);
  if (statusOfType[code.split(":")[0]] !== response.status) problems.push(`code ${code} with status ${response.status}`);
  if (response.status >= 500 && !(response.status === 503 && allowedServerErrors.has(code))) problems.push(`server error ${response.status} ${code}`);
  for (const pattern of leakPatterns) {
    if (pattern.test(message) && !pattern.test(sent.text)) problems.push(`message leaks ${pattern}: ${message.slice(0, 200)}`);
  }
  return { reply, problems };
}

// ——— the database, before and after —————————————————————————————————————————————————

export type Snapshot = Record<string, number>;

/** The tables a request may write, as named in the database. */
export const tables = [
  "embeddings", "explorations", "exploration_items", "collections", "collection_documents", "collection_chunks",
  "vocabulary_words", "vocabulary_loads",
] as const;

/**
 * Row counts of every table, plus the sum of exploration versions (an edit bumps it without
 * changing any count). Equal snapshots before and after a request mean it wrote nothing. One
 * query, not one per table: each of the thousands of requests takes a snapshot.
 */
export async function snapshotDatabase(db: Database): Promise<Snapshot> {
  await flushEmbeddingWrites(db); // cache rows an earlier request wrote after its reply
  const counts = tables.map((table) => `(SELECT count(*) FROM "${table}") AS "${table}"`).join(", ");
  const [row] = await db.prisma.$queryRawUnsafe<Record<string, bigint | null>[]>(
    `SELECT ${counts}, (SELECT coalesce(sum("version"), 0) FROM "explorations") AS "exploration_versions"`,
  );
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, Number(value)]));
}

/** Tables whose counts differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(before).filter((table) => before[table] !== after[table]);
}
