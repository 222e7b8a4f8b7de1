import assert from "node:assert/strict";
import { test } from "node:test";
import { chunk, mapPool, runPool } from "./concurrency";

test("mapPool keeps the order of its items, whatever order the work finishes in, with at most `limit` in flight", async () => {
  let inFlight = 0;
  let most = 0;
  const results = await mapPool([30, 5, 20, 1, 10], 2, async (ms) => {
    most = Math.max(most, ++inFlight);
    await new Promise((done) => setTimeout(done, ms));
    inFlight--;
    return ms * 2;
  });
  assert.deepEqual(results, [60, 10, 40, 2, 20]);
  assert.equal(most, 2);
});

test("runPool rejects with the first error, after the work in flight has settled, and starts nothing new", async () => {
  const started: number[] = [];
  let settled = 0;
  await assert.rejects(
    runPool([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await new Promise((done) => setTimeout(done, n === 1 ? 5 : 20));
      settled++;
      if (n === 1) throw new Error("one");
    }),
    /one/,
  );
  assert.deepEqual(started, [1, 2]);
  assert.equal(settled, 2);
});

test("chunk cuts into pieces of `size`, the last one shorter", () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 3), []);
});
