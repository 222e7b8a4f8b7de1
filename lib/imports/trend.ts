// A least-squares line through (listening year, median age): is the music getting older or younger?

export type Trend = { slope: number; intercept: number };

/** null below two points (a line through one point says nothing). */
export function fitTrend(points: { x: number; y: number }[]): Trend | null {
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  if (sxx === 0) return null;
  const sxy = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const slope = sxy / sxx;
  return { slope: Math.round(slope * 1000) / 1000, intercept: Math.round((meanY - slope * meanX) * 1000) / 1000 };
}

export function trendAt(trend: Trend, x: number): number {
  return trend.slope * x + trend.intercept;
}
