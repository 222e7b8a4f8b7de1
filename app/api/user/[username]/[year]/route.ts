import { getYearDistribution } from "@/lib/imports/distribution";
import { getClientIp } from "@/lib/server/client-ip";
import { otherMethods, route } from "@/lib/server/http";
import { failedImportError, requestImport } from "@/lib/imports/requests";
import { parseTimeZone, parseUserYearParams } from "@/lib/server/params";

export const dynamic = "force-dynamic";

// GET /api/user/[username]/[year]?tz=Zone – a year's release-year distribution (starts the import if needed)
export const GET = route(async (request, { params }: { params: Promise<{ username: string; year: string }> }) => {
  const { username, year } = await parseUserYearParams(params);
  const timeZone = parseTimeZone(new URL(request.url).searchParams);
  const { user } = await requestImport(username, year, { clientIp: getClientIp(request.headers) });
  const result = await getYearDistribution(user, year, timeZone);
  if (result.status === "failed") throw failedImportError(result.error);
  const isDone = result.status === "complete" || result.status === "partial";
  return Response.json(result, { status: isDone ? 200 : 202, headers: { "Cache-Control": "no-store" } });
});

// POST, PUT, PATCH, DELETE – 405 in the JSON error shape
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
