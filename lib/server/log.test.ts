import assert from "node:assert/strict";
import { test } from "node:test";
import { isPrettyLogging, scrubSecrets } from "./log";

test("an api_key in any logged text (a URL in an error message, say) is redacted", () => {
  const line =
    '{"msg":"GET https://ws.audioscrobbler.com/2.0/?method=x&api_key=0123456789abcdef0123456789abcdef&format=json"}';
  assert.equal(
    scrubSecrets(line),
    '{"msg":"GET https://ws.audioscrobbler.com/2.0/?method=x&api_key=[redacted]&format=json"}',
  );
});

test("the configured secrets never appear in a line, wherever they are", () => {
  const key = "fedcba9876543210fedcba9876543210";
  assert.equal(scrubSecrets(`{"err":"bad key ${key}"}`, [key, undefined]), '{"err":"bad key [redacted]"}');
});

test("pretty output only for a terminal outside production and tests, or when LOG_PRETTY asks for it", () => {
  assert.equal(isPrettyLogging({ NODE_ENV: "development" }, true), true);
  assert.equal(isPrettyLogging({ NODE_ENV: "development" }, false), false);
  assert.equal(isPrettyLogging({ NODE_ENV: "production" }, true), false);
  assert.equal(isPrettyLogging({ NODE_ENV: "test" }, true), false);
  assert.equal(isPrettyLogging({ NODE_ENV: "production", LOG_PRETTY: "1" }, false), true);
  assert.equal(isPrettyLogging({ NODE_ENV: "development", LOG_PRETTY: "0" }, true), false);
});
