import { timingSafeEqual } from "node:crypto";
import { clearedStateCookie, readCookie, STATE_COOKIE, sessionCookie, siteOrigin } from "@/lib/account/current";
import { getSessionName, SignInError, type SignInFailure } from "@/lib/account/lastfm-auth";
import { log } from "@/lib/server/log";

export const dynamic = "force-dynamic";

function sameState(cookie: string | undefined, given: string | null): boolean {
  if (!cookie || !given || cookie.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(given));
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}

// GET /auth/callback – Last.fm sends the visitor back with ?token=…: trade it for a session, set the cookie
export async function GET(request: Request): Promise<Response> {
  const origin = siteOrigin(request);
  const url = new URL(request.url);
  const fail = (code: SignInFailure) => redirect(`${origin}/account?error=${code}`, [clearedStateCookie()]);
  if (!sameState(readCookie(request.headers.get("cookie"), STATE_COOKIE), url.searchParams.get("state"))) {
    return fail("state_mismatch");
  }
  const token = url.searchParams.get("token") ?? "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return fail("invalid_token");
  try {
    const name = await getSessionName(token);
    return redirect(`${origin}/account`, [clearedStateCookie(), sessionCookie(name)]);
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    log.warn({ code: error.code }, "sign-in refused");
    return fail(error.code);
  }
}
