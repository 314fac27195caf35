import { apiHandler } from "@/lib/api/handler";
import { checkReadiness } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";

// GET /api/ready – readiness: database reachable, migrations applied, built-in models available, not
// shutting down. 200 when all hold, else 503 with Retry-After and the checks that failed; never rate-limited.
export const GET = apiHandler(async () => {
  const { ready, checks } = await checkReadiness();
  return Response.json({ ready, checks }, { status: ready ? 200 : 503, headers: ready ? {} : { "Retry-After": "5" } });
});
