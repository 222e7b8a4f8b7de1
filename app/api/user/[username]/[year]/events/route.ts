import { getClientIp } from "@/lib/server/client-ip";
import { otherMethods, route } from "@/lib/server/http";
import { requestImport } from "@/lib/imports/requests";
import { parseTimeZone, parseUserYearParams } from "@/lib/server/params";
import { openProgressStream, parseLastEventId, SSE_HEADERS } from "@/lib/imports/sse";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// GET /api/user/[username]/[year]/events?tz=Zone – live import progress as server-sent events
export const GET = route(async (request, { params }: { params: Promise<{ username: string; year: string }> }) => {
  const { username, year } = await parseUserYearParams(params);
  const timeZone = parseTimeZone(new URL(request.url).searchParams);
  // Everything that can fail happens before the stream opens: after that, errors are events.
  const { user } = await requestImport(username, year, { clientIp: getClientIp(request.headers) });
  const lastEventId = parseLastEventId(request.headers.get("last-event-id"));
  const stream = await openProgressStream(user, year, request.signal, lastEventId, timeZone);
  return new Response(stream, { headers: SSE_HEADERS });
});

// POST, PUT, PATCH, DELETE – 405 in the JSON error shape
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
