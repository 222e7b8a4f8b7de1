import { checkAdmin } from "@/lib/server/admin-auth";
import { otherMethods, route } from "@/lib/server/http";
import { renderMetrics } from "@/lib/ops/metrics";
import { getOpsStats } from "@/lib/ops/stats";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// GET /api/metrics – Prometheus exposition, behind the admin's basic auth (404 when admin is off)
export const GET = route(async (request) => {
  const denied = checkAdmin(request);
  if (denied) return denied;
  const { contentType, body } = await renderMetrics(await getOpsStats({ minutes: 1 }));
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
