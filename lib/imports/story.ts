// The few numbers that tell a year's story, from its distribution.
import type { YearDistribution } from "./distribution";

export type Story = {
  medianAge: number | null;
  oldestYear: number | null;
  newestYear: number | null;
  sameYearShare: number | null;
  peakYear: number | null;
};

export function tellStory(result: Pick<YearDistribution, "year" | "distribution">): Story {
  const rows = result.distribution;
  const dated = rows.reduce((sum, row) => sum + row.scrobbles, 0);
  if (dated === 0) return { medianAge: null, oldestYear: null, newestYear: null, sameYearShare: null, peakYear: null };
  // Weighted median over plays: the age of the record the middle play came from.
  let seen = 0;
  let medianYear = rows[0].releaseYear;
  for (const row of rows) {
    seen += row.scrobbles;
    if (seen * 2 >= dated) {
      medianYear = row.releaseYear;
      break;
    }
  }
  const sameYear = rows.find((row) => row.releaseYear === result.year)?.scrobbles ?? 0;
  const peak = rows.reduce((best, row) => (row.scrobbles > best.scrobbles ? row : best), rows[0]);
  return {
    medianAge: Math.max(0, result.year - medianYear),
    oldestYear: rows[0].releaseYear,
    newestYear: rows[rows.length - 1].releaseYear,
    sameYearShare: Math.round((sameYear / dated) * 1000) / 1000,
    peakYear: peak.releaseYear,
  };
}
