import { NextResponse, type NextRequest } from "next/server";
import { probeDatabase } from "@/lib/db/probe";
import { databaseRetryAfterSeconds, databaseUnavailablePage } from "@/lib/pages/database-unavailable";

/**
 * Share and edit pages (/s/<slug>) while PostgreSQL is unreachable: 503 with Retry-After and a page
 * that says so, as the API answers. A page cannot answer that itself: Next.js renders a page's
 * thrown error with status 500 (only notFound, forbidden and unauthorized pick a status: 404, 403,
 * 401), and a page cannot set response headers. So the proxy, which runs before the page, asks the
 * database first (lib/db/probe.ts): one `SELECT 1` on the pool the server already has. Should the
 * database fail between that and the page's own query, the page still answers 500, and says the
 * database is unavailable once the browser has run its script (app/error.tsx).
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if ((await probeDatabase()) !== "down") return NextResponse.next();
  return new NextResponse(request.method === "HEAD" ? null : databaseUnavailablePage(), {
    status: 503,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "retry-after": String(databaseRetryAfterSeconds),
    },
  });
}

export const config = { matcher: ["/s/:path*"] };
