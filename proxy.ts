// Security headers for pages: a fresh nonce per request, so scripts run only when Next put them there.
// Next reads the nonce from the request's Content-Security-Policy and stamps its own scripts with it;
// the layout is dynamic (force-dynamic), so every page is rendered with the nonce of its request.
// Finished years' pages and share images are answered here from the page cache (PAGE_CACHE).
import { type NextRequest, NextResponse } from "next/server";
import { serveFromCache } from "@/lib/imports/page-cache";
import { checkAdmin } from "@/lib/server/admin-auth";
import { env } from "@/lib/server/env";
import { errorResponse } from "@/lib/server/errors";
import { log } from "@/lib/server/log";

function contentSecurityPolicy(nonce: string, isDev = process.env.NODE_ENV !== "production"): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // chart.js sizes its canvas with inline styles: styles may be inline, scripts may not.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Next cannot route a path that is not valid percent-encoding (it answers a bare 500): refuse it here. */
function isValidEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

async function serveCached(request: NextRequest): Promise<Response | null> {
  if (!env().PAGE_CACHE) return null;
  try {
    return await serveFromCache(request, (nonce) => contentSecurityPolicy(nonce));
  } catch (error) {
    // The cache is an optimisation: when Redis or the database fails here, the page renders as usual.
    log.warn({ err: error }, "page cache unavailable");
    return null;
  }
}

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname } = request.nextUrl;
  if (!isValidEncoding(pathname)) {
    return NextResponse.json(
      { error: { code: "invalid_input", message: "The address is not valid percent-encoding." } },
      { status: 400 },
    );
  }
  if (pathname === "/admin") {
    // A page cannot answer 401 with the challenge browsers need, so the gate stands here.
    const denied = checkAdmin(request);
    if (denied) return denied;
    if (request.method !== "GET" && request.method !== "HEAD") {
      return errorResponse("method_not_allowed", "This address answers GET, HEAD.", { Allow: "GET, HEAD" });
    }
  }
  // API answers are JSON, and Bull Board (behind basic auth) ships its own inline bootstrap.
  if (pathname.startsWith("/api/") || pathname.startsWith("/admin/queues")) return NextResponse.next();
  const cached = await serveCached(request);
  if (cached) return cached;
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Everything but the build's static files, which carry no scripts of ours.
  matcher: ["/((?!_next/static|_next/image|favicon|robots\\.txt).*)"],
};
