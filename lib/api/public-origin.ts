/**
 * The origin links in API replies point at: how the client reached the app, not the address the
 * server is bound to (a save answered through a reverse proxy with http://localhost:3901/s/… gave
 * every user a dead link).
 *
 * `PUBLIC_URL` wins when set. Otherwise the request's `Host` header, and, behind trusted reverse
 * proxies (TRUSTED_PROXY_HOPS > 0, as for client addresses), the `X-Forwarded-Host` and
 * `X-Forwarded-Proto` the nearest proxy wrote. A client can send any Host, but a link is only ever
 * handed back to the client that asked, in a reply nobody caches (`no-store`): it can only
 * mislead itself. A header that is not a plain host[:port] is ignored.
 */
export function publicOrigin(request: Request, { publicUrl, trustedProxyHops }: { publicUrl?: string; trustedProxyHops: number }): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const url = new URL(request.url);
  let protocol = url.protocol.replace(":", "");
  let host = validHost(request.headers.get("host")) ?? url.host;
  if (trustedProxyHops > 0) {
    host = validHost(nearest(request.headers.get("x-forwarded-host"))) ?? host;
    const forwardedProto = nearest(request.headers.get("x-forwarded-proto"))?.toLowerCase();
    if (forwardedProto === "http" || forwardedProto === "https") protocol = forwardedProto;
  }
  return `${protocol}://${host}`;
}

/** The entry the nearest proxy appended (the last of a comma-separated list). */
function nearest(header: string | null): string | undefined {
  return header?.split(",").pop()?.trim() || undefined;
}

const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function validHost(value: string | null | undefined): string | undefined {
  const host = value?.trim();
  return host && host.length <= 255 && hostPattern.test(host) ? host.toLowerCase() : undefined;
}
