// The one place that turns "a year" into a time window. UTC today; a per-request zone would change only this.

export type YearWindow = { from: Date; to: Date };

/** [1 Jan YEAR 00:00, 1 Jan YEAR+1 00:00) in UTC. */
export function yearWindow(year: number): YearWindow {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

/** The window an import pins for its whole run: a running year ends "now", so new plays cannot shift pages. */
export function pinnedYearWindow(year: number, now = new Date()): YearWindow {
  const window = yearWindow(year);
  return { from: window.from, to: now < window.to ? new Date(Math.floor(now.getTime() / 1000) * 1000) : window.to };
}

export function currentYear(now = new Date()): number {
  return now.getUTCFullYear();
}

export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Last.fm accepts scrobbles up to 14 days old, so a refresh re-reads that far back. */
export const BACKFILL_WINDOW_MS = 14 * 24 * 3600 * 1000;
