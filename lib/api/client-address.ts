import { isIPv4, isIPv6 } from "node:net";

/**
 * Which client a request comes from, for per-client rate limits.
 *
 * The production server (`npm start`, scripts/serve.mjs) writes the TCP peer's address into
 * `x-notebook-socket-address`, replacing anything a client sent under that name. With no proxy in
 * front (TRUSTED_PROXY_HOPS=0) that address is the client, and X-Forwarded-For, which anyone can
 * send, is ignored. Behind N trusted proxies, each appending to X-Forwarded-For, the client is the
 * address N steps to the left of the socket's in the chain: entries further left were written by
 * the client itself and prove nothing. Without the header (`next dev`) the first X-Forwarded-For
 * entry, which Next.js fills from the socket when absent, is the best there is.
 */
export const socketAddressHeader = "x-notebook-socket-address";

export function clientAddress(request: Request, { trustedProxyHops }: { trustedProxyHops: number }): string {
  const socket = request.headers.get(socketAddressHeader)?.trim();
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!socket) return forwarded[0] || "unknown";
  const chain = [...forwarded, socket];
  return chain[Math.max(0, chain.length - 1 - trustedProxyHops)];
}

/**
 * The rate-limit bucket of an address. An IPv6 client is usually handed a whole /64, so keying by
 * the full address would let it rotate through 2^64 buckets: it is keyed by its /64 instead. An
 * IPv4 address seen on a dual-stack socket (`::ffff:203.0.113.7`) is its IPv4 address; anything
 * else ("unknown", a malformed header) is its own bucket.
 */
export function rateLimitKey(address: string): string {
  const bare = address.split("%")[0]; // a zone (fe80::1%eth0) names the interface, not the client
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(bare)) return address;
  const [head, tail = ""] = bare.toLowerCase().split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const given = [...groups(head), ...groups(tail)];
  const full = bare.includes("::")
    ? [...groups(head), ...Array(8 - given.length).fill("0"), ...groups(tail)]
    : given;
  return `${full.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
