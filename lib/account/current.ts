// Who is signed in, for route handlers (a Request) and pages (next/headers cookies).
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/server/http";
import { SESSION_COOKIE, SESSION_TTL_S, type Session, signSession, verifySession } from "./session";

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

export function sessionFromCookie(value: string | undefined): Session | null {
  const secret = env().LASTFM_API_SECRET;
  return secret ? verifySession(secret, value) : null;
}

/** The signed-in listener of a request, or 401. */
export function requireSession(request: Request): Session {
  const session = sessionFromCookie(readCookie(request.headers.get("cookie"), SESSION_COOKIE));
  if (!session) throw new AppError("unauthorized", "Sign in with Last.fm first: this is about your own data.");
  return session;
}

/** A browser sends Origin with every fetch that changes something; one from another site is refused. */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host === null || new URL(origin).host !== host) {
    throw new AppError("forbidden", "This change must come from this site's own pages.");
  }
}

/** Secure when the site is served over https (PUBLIC_URL says so), so local http still works. */
function cookieFlags(maxAge: number, path = "/"): string {
  const isSecure = env().PUBLIC_URL?.startsWith("https:") ?? false;
  return `Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${isSecure ? "; Secure" : ""}`;
}

export function sessionCookie(name: string): string {
  return `${SESSION_COOKIE}=${signSession(env().LASTFM_API_SECRET ?? "", name)}; ${cookieFlags(SESSION_TTL_S)}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; ${cookieFlags(0)}`;
}

export const STATE_COOKIE = "lyfm_auth_state";
export const STATE_TTL_S = 15 * 60;

export function stateCookie(state: string): string {
  return `${STATE_COOKIE}=${state}; ${cookieFlags(STATE_TTL_S, "/auth")}`;
}

export function clearedStateCookie(): string {
  return `${STATE_COOKIE}=; ${cookieFlags(0, "/auth")}`;
}

/** Where Last.fm sends the visitor back: the public address, or the host they used. */
export function siteOrigin(request: Request): string {
  const configured = env().PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, "");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? `localhost:${env().PORT}`;
  const proto = request.headers.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
