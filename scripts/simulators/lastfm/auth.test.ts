// The simulator's web authentication against what Last.fm documents (last.fm/api/webauth, /api/authspec,
// auth.getSession): the authorisation page redirects to cb with a token; auth.getSession checks api_sig
// (md5 of the sorted parameters + secret), grants one session per token, refuses old and unknown tokens.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { type LastfmSimulator, SIM_API_KEY, SIM_API_SECRET, startLastfmSimulator } from "./server";

let sim: LastfmSimulator;

before(async () => {
  sim = await startLastfmSimulator({ rateLimitPerSecond: 0, liveScrobbleIntervalMs: 0 });
});

after(async () => {
  await sim.close();
});

/** Written out by hand, as Last.fm's spec says, independently of the app's signer. */
function sign(token: string, secret = SIM_API_SECRET): string {
  const text = `api_key${SIM_API_KEY}methodauth.getSessiontoken${token}${secret}`;
  return createHash("md5").update(text).digest("hex");
}

async function getSession(token: string, signature = sign(token)) {
  const url = new URL(sim.apiUrl);
  for (const [name, value] of Object.entries({
    method: "auth.getSession",
    api_key: SIM_API_KEY,
    token,
    api_sig: signature,
    format: "json",
  }))
    url.searchParams.set(name, value);
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

async function mint(user: string, ageMs = 0): Promise<string> {
  const response = await fetch(`${sim.url}/__auth/token`, { method: "POST", body: JSON.stringify({ user, ageMs }) });
  return (await response.json()).token;
}

test("the authorisation page asks to allow access, then redirects to cb with a token appended", async () => {
  const cb = "http://app.example/auth/callback?state=abc";
  const query = new URLSearchParams({ api_key: SIM_API_KEY, cb });
  const shown = await fetch(`${sim.url}/api/auth/?${query}`);
  assert.equal(shown.status, 200);
  assert.match(await shown.text(), /Yes, allow access/);

  query.set("user", "vinylvera");
  query.set("allow", "1");
  const allowed = await fetch(`${sim.url}/api/auth/?${query}`, { redirect: "manual" });
  assert.equal(allowed.status, 302);
  const location = new URL(allowed.headers.get("location") ?? "");
  assert.equal(`${location.origin}${location.pathname}`, "http://app.example/auth/callback");
  assert.equal(location.searchParams.get("state"), "abc");
  const token = location.searchParams.get("token") ?? "";
  assert.match(token, /^[0-9a-f]{32}$/);

  const session = await getSession(token);
  assert.equal(session.status, 200);
  assert.deepEqual(session.body, {
    session: { name: "VinylVera", key: session.body.session.key, subscriber: "0" },
  });
  assert.match(session.body.session.key, /^[0-9a-f]{32}$/);
});

test("the authorisation page refuses a bad api_key and a missing cb", async () => {
  const bad = await fetch(`${sim.url}/api/auth/?api_key=nope&cb=http://app.example/`);
  assert.equal(bad.status, 400);
  const noCb = await fetch(`${sim.url}/api/auth/?api_key=${SIM_API_KEY}`);
  assert.equal(noCb.status, 400);
});

test("auth.getSession: a token works once; the second use is error 4", async () => {
  const token = await mint("LightLeo");
  assert.equal((await getSession(token)).body.session.name, "LightLeo");
  assert.deepEqual(await getSession(token), {
    status: 403,
    body: { error: 4, message: "Invalid authentication token supplied" },
  });
});

test("auth.getSession: a signature made with another secret is error 13, and the token stays usable", async () => {
  const token = await mint("LightLeo");
  assert.deepEqual(await getSession(token, sign(token, "not-the-secret")), {
    status: 403,
    body: { error: 13, message: "Invalid method signature supplied" },
  });
  assert.equal((await getSession(token)).status, 200);
});

test("auth.getSession: a forged token is error 4, a token older than an hour is error 15", async () => {
  assert.equal((await getSession("0123456789abcdef0123456789abcdef")).body.error, 4);
  const old = await mint("LightLeo", 61 * 60 * 1000);
  assert.deepEqual(await getSession(old), { status: 403, body: { error: 15, message: "This token has expired" } });
});

test("the shared secret is a runtime option, so a test can make the app's signature wrong", async () => {
  const token = await mint("LightLeo");
  sim.configure({ apiSecret: "rotated-secret-0123456789" });
  try {
    assert.equal((await getSession(token)).body.error, 13);
    assert.equal((await getSession(token, sign(token, "rotated-secret-0123456789"))).status, 200);
  } finally {
    sim.configure({ restoreApiSecret: true });
  }
  assert.equal((await getSession(await mint("LightLeo"))).status, 200);
});

test("POST /__config never shows the shared secret", async () => {
  const response = await fetch(`${sim.url}/__config`, { method: "POST", body: JSON.stringify({ latencyMs: 0 }) });
  const text = await response.text();
  assert.equal(response.status, 200);
  assert.doesNotMatch(text, new RegExp(SIM_API_SECRET));
  assert.doesNotMatch(text, /apiSecret/);
});
