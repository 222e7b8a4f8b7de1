import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEnv } from "./env";

const minimal = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/app" };

test("defaults fill every optional variable", () => {
  const env = parseEnv(minimal);
  assert.equal(env.REDIS_URL, "redis://127.0.0.1:6379");
  assert.equal(env.LASTFM_API_URL, "https://ws.audioscrobbler.com/2.0/");
  assert.equal(env.LASTFM_WEB_URL, "https://www.last.fm");
  assert.equal(env.LASTFM_RATE_LIMIT, 4);
  assert.equal(env.MUSICBRAINZ_API_URL, "https://musicbrainz.org/ws/2");
  assert.equal(env.MUSICBRAINZ_DATABASE_URL, undefined);
  assert.equal(env.LASTFM_API_KEY, undefined);
  assert.equal(env.PORT, 3000);
  assert.equal(env.DEMO_MODE, false);
  assert.equal(env.IMPORT_RATE_LIMIT, 10);
  assert.equal(env.IMPORT_RATE_WINDOW_S, 600);
  assert.equal(env.IMPORT_QUEUE_CAP, 200);
});

test("a missing DATABASE_URL stops start-up with one line naming it", () => {
  assert.throws(
    () => parseEnv({}),
    (error: Error) => {
      assert.match(error.message, /DATABASE_URL/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
});

test("a malformed Last.fm key is rejected and named, without echoing its value", () => {
  assert.throws(
    () => parseEnv({ ...minimal, LASTFM_API_KEY: "not-a-key-secretvalue" }),
    (error: Error) => {
      assert.match(error.message, /LASTFM_API_KEY/);
      assert.doesNotMatch(error.message, /secretvalue/);
      return true;
    },
  );
});

test("numbers are coerced and bounded", () => {
  assert.equal(parseEnv({ ...minimal, PORT: "8080", LASTFM_RATE_LIMIT: "2.5" }).PORT, 8080);
  assert.equal(parseEnv({ ...minimal, LASTFM_RATE_LIMIT: "2.5" }).LASTFM_RATE_LIMIT, 2.5);
  assert.throws(() => parseEnv({ ...minimal, PORT: "70000" }), /PORT/);
  assert.throws(() => parseEnv({ ...minimal, LASTFM_RATE_LIMIT: "0" }), /LASTFM_RATE_LIMIT/);
});

test("empty optional values count as unset", () => {
  const env = parseEnv({ ...minimal, LASTFM_API_KEY: "", MUSICBRAINZ_DATABASE_URL: "", ADMIN_USER: "" });
  assert.equal(env.LASTFM_API_KEY, undefined);
  assert.equal(env.MUSICBRAINZ_DATABASE_URL, undefined);
  assert.equal(env.ADMIN_USER, undefined);
});
