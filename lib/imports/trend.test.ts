import assert from "node:assert/strict";
import { test } from "node:test";
import { fitTrend, trendAt } from "./trend";

test("a listener whose median age grows two years every year has a slope of 2", () => {
  const trend = fitTrend([
    { x: 2020, y: 10 },
    { x: 2021, y: 12 },
    { x: 2022, y: 14 },
  ]);
  assert.deepEqual(trend, { slope: 2, intercept: -4030 });
  assert.equal(trend && trendAt(trend, 2023), 16);
});

test("scattered years get the least-squares line, a gap in the years included", () => {
  const trend = fitTrend([
    { x: 2010, y: 20 },
    { x: 2012, y: 18 },
    { x: 2019, y: 12 },
  ]);
  // By hand: mean x 2013.667, mean y 16.667, Sxy -39.333, Sxx 44.667 → slope -0.881
  assert.equal(trend?.slope, -0.881);
});

test("one year, or one listening year twice, has no trend", () => {
  assert.equal(fitTrend([{ x: 2020, y: 5 }]), null);
  assert.equal(
    fitTrend([
      { x: 2020, y: 5 },
      { x: 2020, y: 9 },
    ]),
    null,
  );
});
