// The sign-in session: a signed, HttpOnly cookie holding only the Last.fm name and an expiry. No account
// table; the signature key is derived from LASTFM_API_SECRET, so it never needs its own configuration.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const SESSION_COOKIE = "lyfm_session";
export const SESSION_TTL_S = 30 * 24 * 3600;

export type Session = { name: string; expiresAt: number };

const PayloadSchema = z.object({ name: z.string().min(1).max(64), exp: z.number().int() });

function signingKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("lastyear.fm session cookie v1").digest();
}

function signature(secret: string, payload: string): string {
  return createHmac("sha256", signingKey(secret)).update(payload).digest("base64url");
}

export function signSession(secret: string, name: string, now = new Date()): string {
  const payload = Buffer.from(JSON.stringify({ name, exp: Math.floor(now.getTime() / 1000) + SESSION_TTL_S })).toString(
    "base64url",
  );
  return `${payload}.${signature(secret, payload)}`;
}

/** The session in a cookie value, or null when it is missing, tampered with or expired. */
export function verifySession(secret: string, value: string | undefined, now = new Date()): Session | null {
  if (!value) return null;
  const [payload, mac, ...rest] = value.split(".");
  if (!payload || !mac || rest.length > 0) return null;
  const expected = Buffer.from(signature(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed: z.infer<typeof PayloadSchema>;
  try {
    parsed = PayloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  if (parsed.exp * 1000 <= now.getTime()) return null;
  return { name: parsed.name, expiresAt: parsed.exp };
}
