import assert from "node:assert/strict";
import { test } from "node:test";
import { describePath, otherMethods } from "./http";

test("a request path becomes a template for metric labels, with the user and year kept for the log", () => {
  assert.deepEqual(describePath("/api/user/LightLeo/2024/events"), {
    route: "/api/user/[username]/[year]/events",
    username: "lightleo",
    year: 2024,
  });
  assert.deepEqual(describePath("/api/user/Some%20One"), {
    route: "/api/user/[username]",
    username: "some one",
    year: undefined,
  });
  assert.deepEqual(describePath("/api/user/x/20x4"), {
    route: "/api/user/[username]/[year]",
    username: "x",
    year: undefined,
  });
  assert.deepEqual(describePath("/api/health"), { route: "/api/health" });
  assert.deepEqual(describePath("/api/metrics"), { route: "/api/metrics" });
});

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

test("describePath keeps the second listener of a comparison out of the route label", () => {
  assert.deepEqual(describePath("/api/user/LightLeo/2024/vs/DadRockDan"), {
    route: "/api/user/[username]/[year]/vs/[other]",
    username: "lightleo",
    year: 2024,
  });
  assert.deepEqual(describePath("/api/user/LightLeo/compare/2016/2024"), {
    route: "/api/user/[username]/compare/[year]/[other]",
    username: "lightleo",
    year: 2016,
  });
  assert.deepEqual(describePath("/api/user/LightLeo/history"), {
    route: "/api/user/[username]/history",
    username: "lightleo",
  });
});
