import { checkHealth } from "@/lib/server/health";
import { otherMethods } from "@/lib/server/http";

export const dynamic = "force-dynamic";

// GET /api/health – 200 when Postgres and Redis answer, 503 naming what is down
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  const isHealthy = health.db === "ok" && health.redis === "ok";
  return Response.json(health, { status: isHealthy ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

// POST, PUT, PATCH, DELETE – 405 in the JSON error shape
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
