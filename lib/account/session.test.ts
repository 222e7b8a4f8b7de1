import assert from "node:assert/strict";
import { test } from "node:test";
import { SESSION_TTL_S, signSession, verifySession } from "./session";

const SECRET = "a-test-shared-secret-0123456789";
const NOW = new Date("2026-11-29T10:00:00Z");

test("a signed session verifies and names its listener", () => {
  const cookie = signSession(SECRET, "VinylVera", NOW);
  assert.deepEqual(verifySession(SECRET, cookie, NOW), {
    name: "VinylVera",
    expiresAt: NOW.getTime() / 1000 + SESSION_TTL_S,
  });
});

test("a cookie whose name was changed does not verify", () => {
  const [, mac] = signSession(SECRET, "VinylVera", NOW).split(".");
  const forged = Buffer.from(JSON.stringify({ name: "DadRockDan", exp: NOW.getTime() / 1000 + 60 })).toString(
    "base64url",
  );
  assert.equal(verifySession(SECRET, `${forged}.${mac}`, NOW), null);
});

test("a cookie signed with another secret does not verify", () => {
  assert.equal(verifySession(SECRET, signSession("another-secret-0123456789", "VinylVera", NOW), NOW), null);
});

test("an expired session does not verify", () => {
  const cookie = signSession(SECRET, "VinylVera", NOW);
  assert.equal(verifySession(SECRET, cookie, new Date(NOW.getTime() + SESSION_TTL_S * 1000)), null);
});

test("garbage is no session", () => {
  for (const value of [undefined, "", "abc", "a.b.c", "e30.AAAA"])
    assert.equal(verifySession(SECRET, value, NOW), null);
});
