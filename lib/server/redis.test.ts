import assert from "node:assert/strict";
import { test } from "node:test";
import { Redis } from "ioredis";
import { toErrorResponse } from "./http";
import { redisOptions } from "./redis";

test("a web-side Redis command fails within seconds while Redis is down, and answers the JSON 503 shape", async () => {
  process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/unused";
  // Nothing listens on this port: Redis is "down".
  const client = new Redis("redis://127.0.0.1:3403", { ...redisOptions("test", true), retryStrategy: () => 200 });
  client.on("error", () => undefined);
  const started = performance.now();
  const error = await client.get("any").then(
    () => assert.fail("a command against a dead Redis succeeded"),
    (reason: unknown) => reason,
  );
  const ms = performance.now() - started;
  client.disconnect();

  assert.ok(ms < 5_000, `failed after ${Math.round(ms)} ms`);
  const response = toErrorResponse(error);
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "30");
  assert.deepEqual(await response.json(), {
    error: {
      code: "service_unavailable",
      message: "We cannot reach our own services right now. Please try again in a minute.",
    },
  });
});

test("the worker's connections wait for Redis instead (BullMQ needs maxRetriesPerRequest null)", () => {
  process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/unused";
  assert.equal(redisOptions("worker", false).maxRetriesPerRequest, null);
  assert.equal(redisOptions("web", true).maxRetriesPerRequest, 1);
});
