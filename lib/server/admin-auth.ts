// HTTP basic auth for the admin surfaces. Without ADMIN_USER and ADMIN_PASSWORD they do not exist (404).
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "./env";
import { errorResponse } from "./errors";

/** Hashing first makes both sides the same length, so the comparison takes constant time. */
function isSame(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

function isAdminEnabled(): boolean {
  const { ADMIN_USER, ADMIN_PASSWORD } = env();
  return Boolean(ADMIN_USER && ADMIN_PASSWORD);
}

/** Whether the request carries the admin credentials (false when admin is off). */
export function hasAdminCredentials(headers: Pick<Headers, "get">): boolean {
  const { ADMIN_USER, ADMIN_PASSWORD } = env();
  if (!ADMIN_USER || !ADMIN_PASSWORD) return false;
  const [scheme, encoded] = (headers.get("authorization") ?? "").split(" ");
  const [user, ...rest] =
    scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8").split(":") : [];
  return user !== undefined && isSame(user, ADMIN_USER) && isSame(rest.join(":"), ADMIN_PASSWORD);
}

/** null when the request may pass; otherwise the response to send (404 when admin is off, 401 without valid credentials). */
export function checkAdmin(request: Pick<Request, "headers">): Response | null {
  if (!isAdminEnabled()) return errorResponse("not_found", "Not found.");
  if (hasAdminCredentials(request.headers)) return null;
  return errorResponse("unauthorized", "Admin credentials required.", {
    "WWW-Authenticate": 'Basic realm="LastYear.fm admin", charset="UTF-8"',
  });
}
