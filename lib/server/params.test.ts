import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTimeZone } from "./params";

test("tz: absent is UTC; a known zone comes back canonical, from a URL or a page's search params", () => {
  assert.equal(parseTimeZone(new URLSearchParams("")), "UTC");
  assert.equal(parseTimeZone({}), "UTC");
  assert.equal(parseTimeZone(new URLSearchParams("tz=America%2FLos_Angeles")), "America/Los_Angeles");
  assert.equal(parseTimeZone({ tz: ["utc", "Europe/Paris"] }), "UTC");
});

test("tz: an unknown, empty or oversized zone is invalid_input naming the parameter", () => {
  for (const tz of ["Mars/Olympus_Mons", "", "<script>", "A".repeat(200)]) {
    assert.throws(() => parseTimeZone({ tz }), { code: "invalid_input", message: /^tz: / }, tz);
  }
});
