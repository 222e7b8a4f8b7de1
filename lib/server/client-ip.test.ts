import assert from "node:assert/strict";
import { test } from "node:test";
import { getClientIp, PEER_HEADER } from "./client-ip";

const spoofed = { "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.0.0.1", [PEER_HEADER]: "10.0.0.2" };

test("TRUSTED_PROXY_HOPS 0: the TCP peer, whatever x-forwarded-for says", () => {
  assert.equal(getClientIp(new Headers(spoofed), 0, true), "10.0.0.2");
  assert.equal(getClientIp(new Headers({ [PEER_HEADER]: "::1" }), 0, true), "::1");
});

test("TRUSTED_PROXY_HOPS N: the Nth x-forwarded-for entry from the right, never a client-written one", () => {
  assert.equal(getClientIp(new Headers(spoofed), 1, true), "10.0.0.1");
  assert.equal(getClientIp(new Headers(spoofed), 2, true), "203.0.113.7");
  // Fewer entries than trusted proxies: the request did not come through them, so the peer it is.
  assert.equal(getClientIp(new Headers(spoofed), 4, true), "10.0.0.2");
});

test("a peer header is ignored unless the peer-address preload stamped it", () => {
  assert.equal(getClientIp(new Headers({ ...spoofed, "x-forwarded-for": "9.9.9.9, 8.8.8.8" }), 0, false), "8.8.8.8");
  assert.equal(getClientIp(new Headers({ [PEER_HEADER]: "10.0.0.2" }), 0, false), "unknown");
  assert.equal(getClientIp(new Headers(), 0, true), "unknown");
});
