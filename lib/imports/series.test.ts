import assert from "node:assert/strict";
import { test } from "node:test";
import { toDecadeSeries, toYearSeries } from "./series";

const rows = [
  { releaseYear: 1969, scrobbles: 5, albums: 1 },
  { releaseYear: 1972, scrobbles: 3, albums: 2 },
  { releaseYear: 1995, scrobbles: 7, albums: 1 },
];

test("the year axis is continuous: years without plays are zero points, not skipped", () => {
  const series = toYearSeries(rows);
  assert.equal(series.length, 1995 - 1969 + 1);
  assert.deepEqual(series[0], { key: 1969, label: "1969", scrobbles: 5, albums: 1 });
  assert.deepEqual(series[1], { key: 1970, label: "1970", scrobbles: 0, albums: 0 });
  assert.equal(series.at(-1)?.scrobbles, 7);
  assert.equal(
    series.reduce((sum, point) => sum + point.scrobbles, 0),
    15,
  );
});

test("decades are continuous too: the 1980s without plays stay between the 1970s and the 1990s", () => {
  assert.deepEqual(
    toDecadeSeries(rows).map((point) => [point.label, point.scrobbles]),
    [
      ["1960s", 5],
      ["1970s", 3],
      ["1980s", 0],
      ["1990s", 7],
    ],
  );
});

test("an empty distribution has no points", () => {
  assert.deepEqual(toYearSeries([]), []);
  assert.deepEqual(toDecadeSeries([]), []);
});
