import assert from "node:assert/strict";
import { test } from "node:test";
import { apiSignature } from "./lastfm-auth";

test("api_sig is the md5 of the parameters sorted by name as name+value, then the secret (format excluded)", () => {
  // md5("api_keyxxxmethodauth.getSessiontokenyyyzzz"), computed independently with Python's hashlib.
  const signature = apiSignature({ token: "yyy", method: "auth.getSession", api_key: "xxx", format: "json" }, "zzz");
  assert.equal(signature, "75df1fdb6b738160924a52b1732fdde7");
});
