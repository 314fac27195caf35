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
