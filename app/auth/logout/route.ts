import { assertSameOrigin, clearedSessionCookie, siteOrigin } from "@/lib/account/current";
import { toErrorResponse } from "@/lib/server/http";

export const dynamic = "force-dynamic";

// POST /auth/logout – forgets the session cookie (there is nothing else to forget)
export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request);
  } catch (error) {
    return toErrorResponse(error);
  }
  return new Response(null, {
    status: 303,
    headers: { Location: `${siteOrigin(request)}/account`, "Set-Cookie": clearedSessionCookie() },
  });
}
