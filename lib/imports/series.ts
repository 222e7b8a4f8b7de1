// A distribution as chart series on a continuous time axis: every year (or decade) from the first to the
// last is a point, so a stretch without plays shows as a gap instead of two eras drawn side by side.

export type DistributionRow = { releaseYear: number; scrobbles: number; albums: number };
export type SeriesPoint = { key: number; label: string; scrobbles: number; albums: number };

export function decadeOf(year: number): number {
  return Math.floor(year / 10) * 10;
}

function fill(
  byKey: Map<number, SeriesPoint>,
  first: number,
  last: number,
  step: number,
  label: (key: number) => string,
) {
  const points: SeriesPoint[] = [];
  for (let key = first; key <= last; key += step) {
    points.push(byKey.get(key) ?? { key, label: label(key), scrobbles: 0, albums: 0 });
  }
  return points;
}

/** One point per release year from the earliest to the latest played, zeros included. */
export function toYearSeries(rows: DistributionRow[]): SeriesPoint[] {
  if (rows.length === 0) return [];
  const years = rows.map((row) => row.releaseYear);
  const byKey = new Map(
    rows.map((row) => [
      row.releaseYear,
      { key: row.releaseYear, label: String(row.releaseYear), scrobbles: row.scrobbles, albums: row.albums },
    ]),
  );
  return fill(byKey, Math.min(...years), Math.max(...years), 1, String);
}

/** One point per decade from the earliest to the latest played, zeros included. Albums are summed per year. */
export function toDecadeSeries(rows: DistributionRow[]): SeriesPoint[] {
  if (rows.length === 0) return [];
  const byKey = new Map<number, SeriesPoint>();
  for (const row of rows) {
    const key = decadeOf(row.releaseYear);
    const point = byKey.get(key) ?? { key, label: `${key}s`, scrobbles: 0, albums: 0 };
    point.scrobbles += row.scrobbles;
    point.albums += row.albums;
    byKey.set(key, point);
  }
  const keys = [...byKey.keys()];
  return fill(byKey, Math.min(...keys), Math.max(...keys), 10, (key) => `${key}s`);
}

/** Each point's share of the dated plays, 0..1. */
export function shareOf(point: { scrobbles: number }, total: number): number {
  return total === 0 ? 0 : point.scrobbles / total;
}
