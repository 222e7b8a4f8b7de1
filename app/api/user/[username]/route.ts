import { getClientIp } from "@/lib/server/client-ip";
import { otherMethods, route } from "@/lib/server/http";
import { parseUserParams } from "@/lib/server/params";
import { getProfile } from "@/lib/lastfm/profiles";

export const dynamic = "force-dynamic";

// GET /api/user/[username] – canonical name, Last.fm link and the years available with their state
export const GET = route(async (request, { params }: { params: Promise<{ username: string }> }) => {
  const { username } = await parseUserParams(params);
  const { profile } = await getProfile(username, new Date(), { clientIp: getClientIp(request.headers) });
  return Response.json(profile);
});

// POST, PUT, PATCH, DELETE – 405 in the JSON error shape
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
