import assert from "node:assert/strict";
import { test } from "node:test";
import { getClientIp } from "./client-ip";

test("the client IP is the first x-forwarded-for entry", () => {
  assert.equal(
    getClientIp(new Headers({ "x-forwarded-for": " 203.0.113.7 , 10.0.0.1", "x-real-ip": "10.0.0.2" })),
    "203.0.113.7",
  );
});

test("without x-forwarded-for the client IP is x-real-ip, else unknown", () => {
  assert.equal(getClientIp(new Headers({ "x-real-ip": "198.51.100.4" })), "198.51.100.4");
  assert.equal(getClientIp(new Headers({ "x-forwarded-for": "" })), "unknown");
  assert.equal(getClientIp(new Headers()), "unknown");
});
