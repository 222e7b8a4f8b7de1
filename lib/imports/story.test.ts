import assert from "node:assert/strict";
import { test } from "node:test";
import { tellStory } from "./story";

test("the median age is the age of the record the middle play came from, weighted by plays", () => {
  const story = tellStory({
    year: 2024,
    distribution: [
      { releaseYear: 1973, scrobbles: 10, albums: 1 },
      { releaseYear: 1994, scrobbles: 5, albums: 1 },
      { releaseYear: 2024, scrobbles: 4, albums: 2 },
    ],
  });
  assert.deepEqual(story, { medianAge: 51, oldestYear: 1973, newestYear: 2024, sameYearShare: 0.211, peakYear: 1973 });
});

test("a year with nothing dated tells no story rather than a wrong one", () => {
  assert.deepEqual(tellStory({ year: 2024, distribution: [] }), {
    medianAge: null,
    oldestYear: null,
    newestYear: null,
    sameYearShare: null,
    peakYear: null,
  });
});
