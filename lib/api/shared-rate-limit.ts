import type { Database } from "../db/database";
import { pruneRateLimitBuckets, takeRateLimitToken } from "../db/rate-limit-queries";

/**
 * Rate limits shared by every server on one PostgreSQL database: the same token buckets as the
 * in-memory RateLimiter (a minute's allowance as burst, refilled continuously), kept in the table
 * "rate_limit_buckets" and updated with one atomic statement per request, so a client gets its
 * allowance once however many servers it spreads its requests over.
 *
 * When the table cannot be reached the request is not refused for it: the caller falls back to
 * this process's own buckets (see enforceRateLimit), so what needs no database keeps working.
 */
export const sharedRateLimitPolicy = {
  /** How often a server deletes buckets idle for a minute (full again, the same as absent). */
  pruneEveryMs: 60_000,
};

let lastPruneAt = 0;

export class SharedRateLimiter {
  constructor(
    /** The limit's name in the table ("compute", "write"). */
    readonly kind: string,
    /** Requests allowed per minute; 0 means unlimited (and no query). */
    readonly perMinute: number,
    private readonly database: () => Promise<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from `client`'s bucket; the seconds to wait when it is empty, else 0. */
  async take(client: string): Promise<number> {
    if (this.perMinute === 0) return 0;
    const db = await this.database();
    const { granted, tokens } = await takeRateLimitToken(db, { kind: this.kind, client, perMinute: this.perMinute });
    this.pruneNowAndThen(db);
    return granted ? 0 : Math.ceil(((1 - tokens) * 60) / this.perMinute);
  }

  /** In the background, at most once per `pruneEveryMs` per process; a failure only waits for the next turn. */
  private pruneNowAndThen(db: Database): void {
    const now = this.now();
    if (now - lastPruneAt < sharedRateLimitPolicy.pruneEveryMs) return;
    lastPruneAt = now;
    pruneRateLimitBuckets(db).catch((error) => console.error("[rate-limit] could not delete idle buckets:", error));
  }
}

/** What a limiter must do: take one request from a client's bucket, giving the seconds to wait (0: go ahead). */
export interface TokenBuckets {
  take(client: string): number | Promise<number>;
}

/**
 * The shared buckets, or this process's own while the shared ones fail: a database outage must
 * not refuse what needs no database (tokenizers, next tokens, vectors in memory), and what does
 * need it answers 503 anyway. For `retryAfterMs` after a failure the shared table is not asked at
 * all, so a database that hangs instead of refusing delays one request, not each. Meanwhile a
 * client may get its allowance once per server, as before buckets were shared.
 */
export class SharedRateLimiterWithFallback implements TokenBuckets {
  private failedAt = -Infinity;

  constructor(
    private readonly shared: SharedRateLimiter,
    private readonly local: TokenBuckets,
    private readonly retryAfterMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async take(client: string): Promise<number> {
    if (this.now() - this.failedAt < this.retryAfterMs) return this.local.take(client);
    try {
      return await this.shared.take(client);
    } catch (error) {
      this.failedAt = this.now();
      console.error(`[rate-limit] shared ${this.shared.kind} buckets unreachable; this server counts alone for ${this.retryAfterMs / 1000} s:`, error);
      return this.local.take(client);
    }
  }
}
