import assert from "node:assert/strict";
import { test } from "node:test";
import { summarizePreview } from "./preview";

const album = (name: string, plays: number, year: number | null, method: "mbid" | "fuzzy" | null) => ({
  artist: "A",
  album: name,
  albumMbid: method === "mbid" ? "00000000-0000-0000-0000-000000000001" : null,
  plays,
  year,
  releaseGroup: null,
  method,
});

test("the preview counts the whole year: chart plays by release year, the rest (no album, beyond the chart) undated", () => {
  const preview = summarizePreview(1000, [
    album("X", 300, 1973, "mbid"),
    album("Y", 200, 1973, "fuzzy"),
    album("Z", 150, 2024, "mbid"),
    album("Unknown", 100, null, null),
  ]);
  assert.deepEqual(preview, {
    yearPlays: 1000,
    chartPlays: 750,
    albums: 4,
    rows: [
      { release_year: 1973, scrobbles: 500, albums: 2, mbid: 300, fuzzy: 200 },
      { release_year: 2024, scrobbles: 150, albums: 1, mbid: 150, fuzzy: 0 },
      { release_year: null, scrobbles: 350, albums: 0, mbid: 0, fuzzy: 0 },
    ],
  });
});

test("a chart that counts more than the year's total never makes undated plays negative", () => {
  const preview = summarizePreview(100, [album("X", 120, 1990, "mbid")]);
  assert.deepEqual(preview.rows, [{ release_year: 1990, scrobbles: 120, albums: 1, mbid: 120, fuzzy: 0 }]);
  assert.equal(preview.yearPlays, 120);
});
