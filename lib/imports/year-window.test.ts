import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BACKFILL_WINDOW_MS,
  canonicalTimeZone,
  currentYear,
  fetchWindow,
  isYearFinal,
  latestStartedYear,
  listRefreshWindows,
  pinnedYearWindow,
  REFRESH_AFTER_MS,
  yearWindow,
  zoneOffsetMs,
} from "./year-window";

const at = (iso: string) => new Date(iso);
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

function contains(window: { from: Date; to: Date }, instant: Date): boolean {
  return instant >= window.from && instant < window.to;
}

test("without a zone a year runs from UTC midnight to UTC midnight, as before", () => {
  assert.deepEqual(yearWindow(2024), { from: at("2024-01-01T00:00:00Z"), to: at("2025-01-01T00:00:00Z") });
});

test("a year runs from local midnight to local midnight in the zone", () => {
  assert.deepEqual(yearWindow(2024, "America/Los_Angeles"), {
    from: at("2024-01-01T08:00:00Z"),
    to: at("2025-01-01T08:00:00Z"),
  });
  assert.deepEqual(yearWindow(2024, "Asia/Kolkata"), {
    from: at("2023-12-31T18:30:00Z"),
    to: at("2024-12-31T18:30:00Z"),
  });
});

test("8 pm on New Year's Eve in Los Angeles counts in the old year there and in the new year in UTC", () => {
  const play = at("2025-01-01T04:00:00Z"); // 2024-12-31 20:00 PST
  assert.ok(contains(yearWindow(2024, "America/Los_Angeles"), play));
  assert.ok(!contains(yearWindow(2024), play));
  assert.ok(contains(yearWindow(2025), play));
});

test("UTC−10 (Honolulu) New Year's Eve: 23:59:59 local is the old year, 00:00:00 local the new one", () => {
  const window = yearWindow(2024, "Pacific/Honolulu");
  assert.deepEqual(window.to, at("2025-01-01T10:00:00Z"));
  assert.ok(contains(window, at("2025-01-01T09:59:59Z")));
  assert.ok(!contains(window, at("2025-01-01T10:00:00Z")));
  assert.ok(contains(yearWindow(2025, "Pacific/Honolulu"), at("2025-01-01T10:00:00Z")));
});

test("UTC+14 (Kiritimati) New Year's Eve: the year ends at 10:00 UTC on 31 December", () => {
  const window = yearWindow(2024, "Pacific/Kiritimati");
  assert.deepEqual(window, { from: at("2023-12-31T10:00:00Z"), to: at("2024-12-31T10:00:00Z") });
  assert.equal(zoneOffsetMs("Pacific/Kiritimati", at("2024-06-01T00:00:00Z")), 14 * HOUR);
});

test("a play at exactly local midnight belongs to the year that starts then, never to both", () => {
  const midnight = at("2024-01-01T08:00:00Z"); // 00:00:00 PST
  assert.ok(contains(yearWindow(2024, "America/Los_Angeles"), midnight));
  assert.ok(!contains(yearWindow(2023, "America/Los_Angeles"), midnight));
});

test("daylight saving changes inside the year do not move its edges; a southern summer zone keeps its offset", () => {
  // New York and Sydney both change clocks twice during 2024; the year still starts at local midnight.
  assert.deepEqual(yearWindow(2024, "America/New_York"), {
    from: at("2024-01-01T05:00:00Z"),
    to: at("2025-01-01T05:00:00Z"),
  });
  assert.deepEqual(yearWindow(2024, "Australia/Sydney"), {
    from: at("2023-12-31T13:00:00Z"), // AEDT, +11 in January
    to: at("2024-12-31T13:00:00Z"),
  });
  assert.equal(zoneOffsetMs("America/New_York", at("2024-03-10T06:59:59Z")), -5 * HOUR);
  assert.equal(zoneOffsetMs("America/New_York", at("2024-03-10T07:00:00Z")), -4 * HOUR);
  assert.equal(zoneOffsetMs("Australia/Sydney", at("2024-07-01T00:00:00Z")), 10 * HOUR);
});

test("a zone whose offset changed at the turn of the year (Samoa skipped 30 December 2011)", () => {
  // Samoa moved from −10 to +14 at the end of 29 December 2011: 2012 began at +14.
  assert.deepEqual(yearWindow(2012, "Pacific/Apia").from, at("2011-12-31T10:00:00Z"));
  assert.deepEqual(yearWindow(2011, "Pacific/Apia").from, at("2011-01-01T10:00:00Z"));
});

test("leap day belongs to its year in every zone; 2024 in UTC lasts 366 days", () => {
  const window = yearWindow(2024);
  assert.equal(window.to.getTime() - window.from.getTime(), 366 * DAY);
  assert.ok(contains(yearWindow(2024, "Pacific/Honolulu"), at("2024-02-29T23:59:59-10:00")));
  assert.ok(contains(yearWindow(2024, "Pacific/Kiritimati"), at("2024-02-29T00:00:00+14:00")));
  assert.equal(yearWindow(2023).to.getTime() - yearWindow(2023).from.getTime(), 365 * DAY);
});

test("the fetch window holds the year of every zone, from UTC+14 to UTC−12", () => {
  const wide = fetchWindow(2024);
  assert.deepEqual(wide, { from: at("2023-12-31T10:00:00Z"), to: at("2025-01-01T12:00:00Z") });
  for (const zone of ["Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Honolulu", "America/Los_Angeles", "Asia/Tokyo"]) {
    const window = yearWindow(2024, zone);
    assert.ok(wide.from <= window.from && window.to <= wide.to, zone);
  }
});

test("a running year is pinned at now; a past one at the end of the widest window", () => {
  assert.deepEqual(pinnedYearWindow(2024, at("2024-12-20T12:00:00.700Z")).to, at("2024-12-20T12:00:00Z"));
  assert.deepEqual(pinnedYearWindow(2024, at("2025-03-01T00:00:00Z")).to, at("2025-01-01T12:00:00Z"));
});

test("the current year depends on the zone; a year begun anywhere is already askable", () => {
  const now = at("2024-12-31T20:00:00Z");
  assert.equal(currentYear(now), 2024);
  assert.equal(currentYear(now, "Pacific/Kiritimati"), 2025);
  assert.equal(currentYear(now, "America/Los_Angeles"), 2024);
  assert.equal(latestStartedYear(now), 2025);
  assert.equal(latestStartedYear(at("2024-12-31T09:59:59Z")), 2024);
});

test("unknown zones are refused; known ones come back canonical", () => {
  assert.equal(canonicalTimeZone("Mars/Olympus_Mons"), null);
  assert.equal(canonicalTimeZone(""), null);
  assert.equal(canonicalTimeZone("utc"), "UTC");
  assert.equal(canonicalTimeZone("America/Los_Angeles"), "America/Los_Angeles");
});

// An import of 2024 started 20 December 2024, then viewed on 5 January and 20 January 2025.
const startedDec20 = { year: 2024, ...pinned(at("2024-12-20T12:00:00Z")) };
function pinned(now: Date) {
  const window = pinnedYearWindow(2024, now);
  return { windowFrom: window.from, windowTo: window.to, syncedAt: now };
}

test("imported 20 December: not final; its tail is read again on 5 January up to the end of the widest year", () => {
  assert.equal(isYearFinal(startedDec20), false);
  const jan5 = at("2025-01-05T09:00:00Z");
  assert.deepEqual(listRefreshWindows(startedDec20, jan5), [
    { from: at("2024-12-06T12:00:00Z"), to: at("2025-01-01T12:00:00Z") },
  ]);
});

test("refreshed 5 January: still not final (late scrobbles); 20 January reads the 14 days before 5 January, then it is final", () => {
  const jan5 = at("2025-01-05T09:00:00Z");
  const afterJan5 = { ...startedDec20, windowTo: at("2025-01-01T12:00:00Z"), syncedAt: jan5 };
  assert.equal(isYearFinal(afterJan5), false);
  assert.deepEqual(listRefreshWindows(afterJan5, at("2025-01-05T09:30:00Z")), [], "read within the hour");
  const jan20 = at("2025-01-20T09:00:00Z");
  assert.deepEqual(listRefreshWindows(afterJan5, jan20), [
    { from: new Date(jan5.getTime() - BACKFILL_WINDOW_MS), to: at("2025-01-01T12:00:00Z") },
  ]);
  const afterJan20 = { ...afterJan5, syncedAt: jan20 };
  assert.equal(isYearFinal(afterJan20), true);
  assert.deepEqual(listRefreshWindows(afterJan20, at("2025-06-01T00:00:00Z")), []);
});

test("final only 14 days after the year ended in every zone, to the second", () => {
  const end = fetchWindow(2024).to.getTime() + BACKFILL_WINDOW_MS;
  const full = { year: 2024, ...pinned(at("2025-02-01T00:00:00Z")) };
  assert.equal(isYearFinal({ ...full, syncedAt: new Date(end - 1000) }), false);
  assert.equal(isYearFinal({ ...full, syncedAt: new Date(end) }), true);
});

test("a window from before zones (1 January UTC) gets its missing head read, even when its tail is fresh", () => {
  const legacy = {
    year: 2023,
    windowFrom: at("2023-01-01T00:00:00Z"),
    windowTo: at("2024-01-01T00:00:00Z"),
    syncedAt: at("2024-06-01T00:00:00Z"),
  };
  assert.deepEqual(listRefreshWindows(legacy, new Date(legacy.syncedAt.getTime() + 60_000)), [
    { from: at("2022-12-31T10:00:00Z"), to: at("2023-01-01T00:00:00Z") },
  ]);
  // An hour later its end is read too: from where the old window stopped, not 14 days before the last read.
  assert.deepEqual(listRefreshWindows(legacy, new Date(legacy.syncedAt.getTime() + REFRESH_AFTER_MS)), [
    { from: at("2022-12-31T10:00:00Z"), to: at("2023-01-01T00:00:00Z") },
    { from: at("2024-01-01T00:00:00Z"), to: at("2024-01-01T12:00:00Z") },
  ]);
});
