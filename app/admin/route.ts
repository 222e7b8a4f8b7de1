import { checkAdmin } from "@/lib/server/admin-auth";
import { otherMethods, route } from "@/lib/server/http";
import { getOpsStats } from "@/lib/ops/stats";
import { renderAdminPage } from "./admin-page";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// GET /admin – the operations page: Last.fm budget and requests per minute, imports, queues, MusicBrainz coverage
// A route handler, not a page: only a handler can answer 401 with the WWW-Authenticate challenge browsers need.
export const GET = route(async (request) => {
  const denied = checkAdmin(request);
  if (denied) return denied;
  const html = renderAdminPage(await getOpsStats({ minutes: 15 }));
  return new Response(html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
