import { compareListeners } from "@/lib/imports/compare";
import { getClientIp } from "@/lib/server/client-ip";
import { otherMethods, route } from "@/lib/server/http";
import { parseCompareListenersParams } from "@/lib/server/params";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ username: string; year: string; other: string }> };

// GET /api/user/[username]/[year]/vs/[other] – two listeners in one year side by side (imports them if needed)
export const GET = route(async (request, { params }: Context) => {
  const { username, year, other } = await parseCompareListenersParams(params);
  const comparison = await compareListeners(username, other, year, { clientIp: getClientIp(request.headers) });
  return Response.json(comparison, {
    status: comparison.isReady ? 200 : 202,
    headers: { "Cache-Control": "no-store" },
  });
});

// POST, PUT, PATCH, DELETE – 405 in the JSON error shape
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
