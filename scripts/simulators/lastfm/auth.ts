// Last.fm web authentication, simulated: the authorisation page (www.last.fm/api/auth/?api_key=…&cb=…)
// grants a token for a user and sends the browser back to cb with ?token=…; auth.getSession trades the
// token for a session, once, within an hour, and only with a valid api_sig (md5 of the parameters
// sorted by name as name+value, format and callback left out, then the shared secret: last.fm/api/authspec).
import { createHash, randomBytes } from "node:crypto";
import { type Body, errorBody, okBody } from "./responses";

/** Last.fm's web auth tokens are good for 60 minutes and one session. */
export const TOKEN_TTL_MS = 60 * 60 * 1000;

export const AUTH_ERRORS = {
  4: "Invalid authentication token supplied",
  13: "Invalid method signature supplied",
  14: "Unauthorized Token - This token has not been authorized",
  15: "This token has expired",
} as const;

type Grant = { username: string; issuedAt: number; isUsed: boolean };

export type TokenStore = {
  /** A token granted for `username`, as if issued `ageMs` ago (tests mint expired ones this way). */
  grant(username: string, nowMs: number, ageMs?: number): string;
  take(token: string): Grant | undefined;
};

export function createTokenStore(): TokenStore {
  const grants = new Map<string, Grant>();
  return {
    grant(username, nowMs, ageMs = 0) {
      const token = randomBytes(16).toString("hex");
      grants.set(token, { username, issuedAt: nowMs - ageMs, isUsed: false });
      return token;
    },
    take: (token) => grants.get(token),
  };
}

export function apiSignature(params: URLSearchParams, secret: string): string {
  const names = [...new Set(params.keys())].filter((n) => n !== "format" && n !== "callback" && n !== "api_sig");
  const text = names
    .sort()
    .map((name) => `${name}${params.get(name)}`)
    .join("");
  return createHash("md5").update(`${text}${secret}`, "utf8").digest("hex");
}

/** auth.getSession: checked in Last.fm's order (token present, signature, token known, fresh, unused). */
export function answerGetSession(
  params: URLSearchParams,
  context: { tokens: TokenStore; secret: string; nowMs: number; format: "json" | "xml" },
): Body {
  const { format } = context;
  const fail = (code: keyof typeof AUTH_ERRORS) => errorBody(403, code, AUTH_ERRORS[code], format);
  const token = params.get("token");
  if (!token) return errorBody(400, 6, "Invalid parameters - Your request is missing a required parameter", format);
  if (params.get("api_sig") !== apiSignature(params, context.secret)) return fail(13);
  const grant = context.tokens.take(token);
  if (!grant || grant.isUsed) return fail(4);
  if (context.nowMs - grant.issuedAt > TOKEN_TTL_MS) return fail(15);
  grant.isUsed = true;
  const key = createHash("md5").update(`session|${grant.username}|${token}`).digest("hex");
  return okBody({ session: { name: grant.username, key, subscriber: "0" } }, format);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string): Body {
  return {
    status,
    contentType: "text/html; charset=utf-8",
    text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} | Last.fm (simulated)</title></head><body style="font-family:sans-serif;max-width:520px;margin:40px auto;padding:0 16px">${body}</body></html>`,
  };
}

/**
 * The authorisation page. GET with api_key and cb shows "Allow access?" with the account to use (the
 * simulator has no logins: the first demo user is filled in); submitting it (user=…&allow=1) grants a
 * token and redirects to cb with token appended.
 */
export function answerAuthPage(
  params: URLSearchParams,
  context: { tokens: TokenStore; nowMs: number; findUser: (name: string) => string | undefined; defaultUser: string },
): { body: Body; location?: string } {
  const apiKey = params.get("api_key") ?? "";
  const cb = params.get("cb") ?? "";
  if (!/^[0-9a-f]{32}$/i.test(apiKey))
    return {
      body: page(400, "Invalid API key", "<h1>Invalid API key</h1><p>This application's API key is not valid.</p>"),
    };
  let callback: URL;
  try {
    callback = new URL(cb);
  } catch {
    return { body: page(400, "Invalid callback", "<h1>Invalid callback</h1><p>No valid cb URL was given.</p>") };
  }
  const user = params.get("user");
  if (params.get("allow") === "1" && user) {
    const name = context.findUser(user);
    if (name) {
      callback.searchParams.set("token", context.tokens.grant(name, context.nowMs));
      return { body: page(302, "Redirecting", "<p>Redirecting…</p>"), location: callback.toString() };
    }
  }
  const unknown = user ? `<p role="alert">No Last.fm user is called ${escapeHtml(user)}.</p>` : "";
  return {
    body: page(
      200,
      "Connect application",
      `<h1>Connect application</h1>
<p>An application would like to connect to your Last.fm account. It will see your profile name.</p>${unknown}
<form method="get" action="/api/auth/">
<input type="hidden" name="api_key" value="${escapeHtml(apiKey)}">
<input type="hidden" name="cb" value="${escapeHtml(cb)}">
<input type="hidden" name="allow" value="1">
<p><label for="user">Signed in to Last.fm as</label><br><input id="user" name="user" value="${escapeHtml(user ?? context.defaultUser)}"></p>
<p><button type="submit">Yes, allow access</button></p>
</form>`,
    ),
  };
}
