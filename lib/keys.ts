import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Public ids (exploration slugs, collection ids) and secret keys (edit, read and write keys) come
 * from the OS CSPRNG. An id carries 96 random bits (16 base64url characters): unguessable, so a
 * share link is as private as the person who holds it keeps it. A key carries 192 bits and is
 * stored only as its SHA-256 hash.
 */

export function createSlug(): string {
  return randomBytes(12).toString("base64url");
}

export function createSecretKey(): string {
  return randomBytes(24).toString("base64url");
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Compares a presented key with a stored hash in constant time (hashes have equal length). */
export function keyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashKey(key), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Slugs this app makes: anything else is answered 404 without touching the database. */
export function isWellFormedSlug(slug: string): boolean {
  return /^[A-Za-z0-9_-]{16}$/.test(slug);
}
