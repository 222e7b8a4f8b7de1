import assert from "node:assert/strict";
import { test } from "node:test";
import { otherMethods } from "./http";

test("a method a route does not serve answers 405 in the JSON error shape, with Allow", async () => {
  const { POST, DELETE } = otherMethods("GET");
  for (const handler of [POST, DELETE]) {
    const response = await handler();
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "GET, HEAD, OPTIONS");
    assert.deepEqual(await response.json(), {
      error: { code: "method_not_allowed", message: "This address answers GET, HEAD, OPTIONS." },
    });
  }
  assert.equal((await otherMethods("POST").GET()).headers.get("allow"), "POST, OPTIONS");
});
