import { apiHandler } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// GET /api/health – liveness: the process answers. Touches nothing else (see /api/ready); never rate-limited.
export const GET = apiHandler(async () => Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }));
