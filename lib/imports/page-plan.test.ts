import assert from "node:assert/strict";
import { test } from "node:test";
import { listMissingRanges, planPages, splitPage } from "./page-plan";

test("a fresh window of 2,345 plays is three pages of 1,000", () => {
  assert.deepEqual(planPages([], 2345, 1000), [
    { page: 1, pageSize: 1000 },
    { page: 2, pageSize: 1000 },
    { page: 3, pageSize: 1000 },
  ]);
});

test("a failing page of 1,000 is read as two of 500, a failing 500 as the three 200s that cover it", () => {
  assert.deepEqual(splitPage({ page: 2, pageSize: 1000 }, 5000), [
    { page: 3, pageSize: 500 },
    { page: 4, pageSize: 500 },
  ]);
  assert.deepEqual(splitPage({ page: 4, pageSize: 500 }, 5000), [
    { page: 8, pageSize: 200 },
    { page: 9, pageSize: 200 },
    { page: 10, pageSize: 200 },
  ]);
  assert.deepEqual(splitPage({ page: 3, pageSize: 1000 }, 2100), [{ page: 5, pageSize: 500 }]);
  assert.deepEqual(splitPage({ page: 1, pageSize: 200 }, 5000), []);
});

test("checkpoints of mixed sizes: only what none covers is planned again", () => {
  const checkpoints = [
    { page: 1, pageSize: 1000 }, // 0–1000
    { page: 3, pageSize: 500 }, // 1000–1500
    { page: 9, pageSize: 200 }, // 1600–1800
  ];
  assert.deepEqual(listMissingRanges(checkpoints, 3100), [
    { start: 1500, end: 1600 },
    { start: 1800, end: 3100 },
  ]);
  // At 1,000 a play stored twice is re-read (and stored once); none is left out.
  assert.deepEqual(planPages(checkpoints, 3100, 1000), [
    { page: 2, pageSize: 1000 },
    { page: 3, pageSize: 1000 },
    { page: 4, pageSize: 1000 },
  ]);
  assert.deepEqual(listMissingRanges([...checkpoints, ...planPages(checkpoints, 3100, 1000)], 3100), []);
});

test("an empty window needs no page", () => {
  assert.deepEqual(planPages([], 0, 1000), []);
});
