import { readConfig } from "../config";
import { getDatabase } from "../db/client";
import { clientAddress, rateLimitKey } from "./client-address";
import { AppError } from "./errors";
import { SharedRateLimiter, SharedRateLimiterWithFallback, type TokenBuckets } from "./shared-rate-limit";

/**
 * Per-client rate limits, as token buckets: each client may burst up to a minute's allowance,
 * which refills continuously. Reads (share pages, GET endpoints) are not limited, so the cheap
 * path is never starved by the expensive one.
 *
 * On PostgreSQL (DATABASE_URL set) the buckets live in the database, shared by every server on it
 * (shared-rate-limit.ts); on the embedded database, which one process owns, in this process's
 * memory (RateLimiter below).
 *
 * Clients are told apart by their address (see client-address.ts and TRUSTED_PROXY_HOPS).
 */
export type RateLimitKind = "compute" | "write";

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const maxTrackedClients = 10_000;

export class RateLimiter implements TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Requests allowed per minute; 0 means unlimited. */
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from `client`'s bucket; the seconds to wait when it is empty, else 0. */
  take(client: string): number {
    if (this.perMinute === 0) return 0;
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = now;
    this.buckets.delete(client); // re-insert: the map stays in least-recently-used order
    this.buckets.set(client, bucket);
    if (this.buckets.size > maxTrackedClients) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs / 1000);
  }
}

let limiters: (Record<RateLimitKind, TokenBuckets> & { trustedProxyHops: number }) | undefined;

function getLimiters(): NonNullable<typeof limiters> {
  if (!limiters) {
    const config = readConfig();
    const limiter = (kind: RateLimitKind, perMinute: number): TokenBuckets =>
      config.DATABASE_URL
        ? new SharedRateLimiterWithFallback(new SharedRateLimiter(kind, perMinute, getDatabase), new RateLimiter(perMinute))
        : new RateLimiter(perMinute);
    limiters = {
      compute: limiter("compute", config.RATE_LIMIT_COMPUTE_PER_MINUTE),
      write: limiter("write", config.RATE_LIMIT_WRITE_PER_MINUTE),
      trustedProxyHops: config.TRUSTED_PROXY_HOPS,
    };
  }
  return limiters;
}

/** Throws 429 with Retry-After when this client has used up its allowance for `kind`. */
export async function enforceRateLimit(request: Request, kind: RateLimitKind): Promise<void> {
  const settings = getLimiters();
  const wait = await settings[kind].take(rateLimitKey(clientAddress(request, settings)));
  if (wait > 0) {
    throw new AppError(`rate_limited:${kind}`, `Too many requests from this client; try again in ${wait} s.`, {
      headers: { "Retry-After": String(wait) },
    });
  }
}
