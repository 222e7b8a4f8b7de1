import assert from "node:assert/strict";
import { test } from "node:test";
import { createRestartPolicy } from "./restart-policy";

test("a worker crashing right after each start waits 1, 2, 4 … s, capped at 30 s", () => {
  const policy = createRestartPolicy();
  const delays = Array.from({ length: 7 }, () => policy.nextDelay(500));
  assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});

test("a worker that ran for a minute before crashing is restarted after the shortest pause again", () => {
  const policy = createRestartPolicy();
  for (let i = 0; i < 5; i++) policy.nextDelay(100);
  assert.equal(policy.nextDelay(60_000), 1_000);
  assert.equal(policy.nextDelay(100), 2_000);
});
