import { getHistory, requestHistoryImports } from "@/lib/imports/history";
import { getClientIp } from "@/lib/server/client-ip";
import { otherMethods, route } from "@/lib/server/http";
import { parseUserParams } from "@/lib/server/params";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ username: string }> };

// GET /api/user/[username]/history – every played year: release decades, median age, trend (read-only)
export const GET = route(async (request, { params }: Context) => {
  const { username } = await parseUserParams(params);
  const history = await getHistory(username, { clientIp: getClientIp(request.headers) });
  return Response.json(history, { headers: { "Cache-Control": "no-store" } });
});

// POST /api/user/[username]/history – queue every played year not imported yet (one import start for the IP)
export const POST = route(async (request, { params }: Context) => {
  const { username } = await parseUserParams(params);
  const history = await requestHistoryImports(username, { clientIp: getClientIp(request.headers) });
  return Response.json(history, { status: history.queued > 0 ? 202 : 200, headers: { "Cache-Control": "no-store" } });
});

// PUT, PATCH, DELETE – 405 in the JSON error shape
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
