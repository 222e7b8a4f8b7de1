// Last.fm web authentication: send the visitor to Last.fm's authorisation page, then trade the token it
// returns for a session with auth.getSession, signed with the shared secret. Only the name is kept.
import { createHash } from "node:crypto";
import { z } from "zod";
import { lastfmBudget } from "@/lib/lastfm/client";
import { recordLastfmRequest } from "@/lib/lastfm/request-counters";
import { env } from "@/lib/server/env";
import { fetchSent } from "@/lib/server/fetch-sent";

/** Why a sign-in failed, as the account page explains it. */
export const SIGN_IN_FAILURES = {
  invalid_token: "Last.fm did not recognise that sign-in token. Please sign in again.",
  token_expired: "That sign-in link has expired (Last.fm tokens last an hour and work once). Please sign in again.",
  token_not_authorized: "Access was not granted on Last.fm. Please sign in again and allow access.",
  signature_mismatch:
    "Last.fm refused this server's signature: its LASTFM_API_SECRET does not belong to its API key. Nothing was changed.",
  state_mismatch: "This sign-in did not start here (or took too long). Please sign in again.",
  signin_unavailable: "Sign-in is not configured on this server (LASTFM_API_SECRET is not set).",
  upstream_unavailable: "Last.fm is not answering right now. Please try again in a minute.",
} as const;

export type SignInFailure = keyof typeof SIGN_IN_FAILURES;

export class SignInError extends Error {
  constructor(readonly code: SignInFailure) {
    super(SIGN_IN_FAILURES[code]);
    this.name = "SignInError";
  }
}

/** Last.fm's api_sig: md5 of every parameter but format and callback, sorted by name as name+value, then the secret. */
export function apiSignature(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .filter((name) => name !== "format" && name !== "callback")
    .sort()
    .map((name) => `${name}${params[name]}`)
    .join("");
  return createHash("md5").update(`${text}${secret}`, "utf8").digest("hex");
}

export function isSignInConfigured(): boolean {
  const { LASTFM_API_KEY, LASTFM_API_SECRET } = env();
  return Boolean(LASTFM_API_KEY && LASTFM_API_SECRET);
}

export function authorizeUrl(callbackUrl: string): string {
  const { LASTFM_API_KEY, LASTFM_WEB_URL } = env();
  const url = new URL("/api/auth/", LASTFM_WEB_URL);
  url.searchParams.set("api_key", LASTFM_API_KEY ?? "");
  url.searchParams.set("cb", callbackUrl);
  return url.toString();
}

const SessionSchema = z.object({ session: z.object({ name: z.string().min(1), key: z.string() }) });
const ErrorSchema = z.object({ error: z.number(), message: z.string().default("") });

const FAILURE_BY_CODE: Record<number, SignInFailure> = {
  4: "invalid_token",
  13: "signature_mismatch",
  14: "token_not_authorized",
  15: "token_expired",
};

/** The Last.fm name the token was granted for. The session key is dropped: we never act for the listener. */
export async function getSessionName(token: string): Promise<string> {
  const { LASTFM_API_KEY, LASTFM_API_SECRET, LASTFM_API_URL, LASTFM_TIMEOUT_MS } = env();
  if (!LASTFM_API_KEY || !LASTFM_API_SECRET) throw new SignInError("signin_unavailable");
  const params: Record<string, string> = { method: "auth.getSession", api_key: LASTFM_API_KEY, token };
  const url = new URL(LASTFM_API_URL);
  for (const [name, value] of Object.entries({
    ...params,
    api_sig: apiSignature(params, LASTFM_API_SECRET),
    format: "json",
  })) {
    url.searchParams.set(name, value);
  }
  const leaving = await lastfmBudget().acquire();
  let body: unknown;
  try {
    const response = await fetchSent(leaving, url, { signal: AbortSignal.timeout(LASTFM_TIMEOUT_MS) });
    body = await response.json();
  } catch {
    void recordLastfmRequest("network_error");
    throw new SignInError("upstream_unavailable");
  }
  const session = SessionSchema.safeParse(body);
  if (session.success) {
    void recordLastfmRequest("ok");
    return session.data.session.name;
  }
  void recordLastfmRequest("api_error");
  const failure = ErrorSchema.safeParse(body);
  throw new SignInError((failure.success && FAILURE_BY_CODE[failure.data.error]) || "upstream_unavailable");
}
