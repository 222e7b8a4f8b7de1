import { randomBytes } from "node:crypto";
import { siteOrigin, stateCookie } from "@/lib/account/current";
import { authorizeUrl, isSignInConfigured } from "@/lib/account/lastfm-auth";

export const dynamic = "force-dynamic";

// GET /auth/login – off to Last.fm's authorisation page; a state cookie ties the way back to this browser
export async function GET(request: Request): Promise<Response> {
  const origin = siteOrigin(request);
  if (!isSignInConfigured()) return Response.redirect(`${origin}/account?error=signin_unavailable`, 303);
  const state = randomBytes(16).toString("hex");
  const callback = `${origin}/auth/callback?state=${state}`;
  return new Response(null, {
    status: 303,
    headers: { Location: authorizeUrl(callback), "Set-Cookie": stateCookie(state), "Cache-Control": "no-store" },
  });
}
