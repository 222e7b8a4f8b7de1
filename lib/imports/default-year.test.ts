import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultFormYear } from "./default-year";

test("on 1 January the form offers the year that just ended", () => {
  assert.equal(defaultFormYear(new Date("2027-01-01T00:00:00Z")), 2026);
});

test("through the first three weeks of January it still offers last year", () => {
  assert.equal(defaultFormYear(new Date("2027-01-21T23:59:59Z")), 2026);
});

test("from 22 January on it offers the running year", () => {
  assert.equal(defaultFormYear(new Date("2027-01-22T00:00:00Z")), 2027);
  assert.equal(defaultFormYear(new Date("2027-06-15T12:00:00Z")), 2027);
});

test("on 31 December it offers the running year", () => {
  assert.equal(defaultFormYear(new Date("2026-12-31T23:59:59Z")), 2026);
});
