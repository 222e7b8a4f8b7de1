import { getClientIp } from "@/lib/server/client-ip";
import { otherMethods, route } from "@/lib/server/http";
import { requestReimport } from "@/lib/imports/requests";
import { parseTimeZone, parseUserYearParams } from "@/lib/server/params";

export const dynamic = "force-dynamic";

// POST /api/user/[username]/[year]/reimport – delete the year's scrobbles and import it again
export const POST = route(async (request, { params }: { params: Promise<{ username: string; year: string }> }) => {
  const { username, year } = await parseUserYearParams(params);
  parseTimeZone(new URL(request.url).searchParams); // the year is the same in every zone; a bad one is still a 400
  const { user, job } = await requestReimport(username, year, { clientIp: getClientIp(request.headers) });
  return Response.json({ username: user.name, year, status: job.status }, { status: 202 });
});

// GET, PUT, PATCH, DELETE – 405 in the JSON error shape
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
