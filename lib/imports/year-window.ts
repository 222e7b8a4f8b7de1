// The one place that turns "a year" into time windows, all pure functions of the year, the zone and `now`.
// A year runs from local midnight to local midnight in the listener's IANA zone (UTC unless one is asked
// for). An import fetches the widest window any zone needs once and stores plays in UTC, so a zone never
// costs another import: each zone's year is a slice of what is stored.

export type YearWindow = { from: Date; to: Date };

export const UTC = "UTC";

/** Last.fm accepts scrobbles up to 14 days old, so a refresh re-reads that far back. */
export const BACKFILL_WINDOW_MS = 14 * 24 * 3600 * 1000;

/** A year that is not final yet is re-read from Last.fm at most this often. */
export const REFRESH_AFTER_MS = 3600 * 1000;

/** The extreme UTC offsets of any IANA zone (Pacific/Kiritimati +14, Etc/GMT+12 −12). */
const EARLIEST_START_MS = 14 * 3600 * 1000;
const LATEST_END_MS = 12 * 3600 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The zone's canonical IANA name ("utc" → "UTC"), or null when Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.length === 0 || timeZone.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Local wall-clock time minus UTC at `at`, in milliseconds (−10 h in Honolulu, +14 h in Kiritimati). */
export function zoneOffsetMs(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the zone's clocks show 1 January YEAR, 00:00:00. */
export function newYearInstant(year: number, timeZone: string): Date {
  const wall = Date.UTC(year, 0, 1);
  const guess = wall - zoneOffsetMs(timeZone, new Date(wall));
  // The offset at the guess can differ from the offset at the naive instant (a change near midnight).
  return new Date(wall - zoneOffsetMs(timeZone, new Date(guess)));
}

/** [local midnight 1 Jan YEAR, local midnight 1 Jan YEAR+1) in the zone. */
export function yearWindow(year: number, timeZone = UTC): YearWindow {
  return { from: newYearInstant(year, timeZone), to: newYearInstant(year + 1, timeZone) };
}

/** The widest year any zone has: what an import fetches, once, for every zone. */
export function fetchWindow(year: number): YearWindow {
  const utc = yearWindow(year);
  return { from: new Date(utc.from.getTime() - EARLIEST_START_MS), to: new Date(utc.to.getTime() + LATEST_END_MS) };
}

function floorToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** The window an import pins for its whole run: a running year ends "now", so new plays cannot shift pages. */
export function pinnedYearWindow(year: number, now = new Date()): YearWindow {
  const window = fetchWindow(year);
  return { from: window.from, to: now < window.to ? floorToSecond(now) : window.to };
}

/** The year on the zone's calendar at `now`. */
export function currentYear(now = new Date(), timeZone = UTC): number {
  return new Date(now.getTime() + zoneOffsetMs(timeZone, now)).getUTCFullYear();
}

/** The newest year that has begun somewhere on Earth. */
export function latestStartedYear(now = new Date()): number {
  return new Date(now.getTime() + EARLIEST_START_MS).getUTCFullYear();
}

export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** What an import has read: its window and when Last.fm was read for it (`syncedAt`). */
export type FetchedWindow = { year: number; windowFrom: Date; windowTo: Date; syncedAt: Date };

/**
 * Final: the window covers every zone's year, and was read at least 14 days after the year ended
 * everywhere, so no late scrobble can still arrive in it. Until then a visit refreshes its tail.
 */
export function isYearFinal(job: FetchedWindow): boolean {
  const wide = fetchWindow(job.year);
  return (
    job.windowFrom <= wide.from &&
    job.windowTo >= wide.to &&
    job.syncedAt.getTime() >= wide.to.getTime() + BACKFILL_WINDOW_MS
  );
}

/**
 * The windows a refresh must read now, oldest first; empty when the year is final or was read within
 * REFRESH_AFTER_MS. The head is what an older, narrower window lacks; the tail starts 14 days before the
 * last read (late scrobbles) or where the window stops, whichever is earlier, and ends now or at the
 * year's end. A failed refresh moves nothing, so the next attempt asks for the same windows.
 */
export function listRefreshWindows(job: FetchedWindow, now: Date): YearWindow[] {
  if (isYearFinal(job)) return [];
  const wide = fetchWindow(job.year);
  const windows: YearWindow[] = [];
  if (job.windowFrom > wide.from) windows.push({ from: wide.from, to: job.windowFrom });
  if (now.getTime() - job.syncedAt.getTime() >= REFRESH_AFTER_MS) {
    const lateFrom = Math.min(job.windowTo.getTime(), job.syncedAt.getTime() - BACKFILL_WINDOW_MS);
    const from = new Date(Math.max(job.windowFrom.getTime(), lateFrom));
    const to = now < wide.to ? floorToSecond(now) : wide.to;
    if (from < to) windows.push({ from, to });
  }
  return windows;
}

/** `count` consecutive slices of equal length that together are exactly `window` (for checking stored plays per slice). */
export function sliceWindow(window: YearWindow, count: number): YearWindow[] {
  const from = toUnixSeconds(window.from);
  const to = toUnixSeconds(window.to);
  const bounds = Array.from({ length: count + 1 }, (_, i) => from + Math.floor(((to - from) * i) / count));
  return bounds.slice(0, -1).map((start, i) => ({ from: new Date(start * 1000), to: new Date(bounds[i + 1] * 1000) }));
}
