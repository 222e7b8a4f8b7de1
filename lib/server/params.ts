// Route parameters, validated once for every handler and page.
import { z } from "zod";
import { UsernameSchema, YearSchema } from "@/lib/lastfm/users";
import { canonicalTimeZone, UTC } from "@/lib/imports/year-window";
import { AppError } from "./errors";

export const UserParamsSchema = z.object({ username: UsernameSchema });
export const UserYearParamsSchema = z.object({ username: UsernameSchema, year: YearSchema });

/** Next passes path segments URL-encoded for non-ASCII input: decode before validating. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function parseUserParams(params: Promise<{ username: string }>) {
  const { username } = await params;
  return UserParamsSchema.parse({ username: decodeSegment(username) });
}

export async function parseUserYearParams(params: Promise<{ username: string; year: string }>) {
  const { username, year } = await params;
  return UserYearParamsSchema.parse({
    username: decodeSegment(username),
    year: /^\d{1,4}$/.test(year) ? year : Number.NaN,
  });
}

/**
 * The `tz` query parameter of the year routes and pages: an IANA zone, canonicalised ("utc" → "UTC");
 * without it, UTC. An unknown zone is `invalid_input`, like any other bad parameter (a page shows 404).
 */
export function parseTimeZone(searchParams: URLSearchParams | Record<string, string | string[] | undefined>): string {
  const raw = searchParams instanceof URLSearchParams ? searchParams.get("tz") : searchParams.tz;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === null || value === undefined) return UTC;
  const zone = canonicalTimeZone(value);
  if (zone === null) throw new AppError("invalid_input", "tz: is not a known IANA time zone");
  return zone;
}

const yearSegment = (year: string) => (/^\d{1,4}$/.test(year) ? year : Number.NaN);

/** `/user/NAME/compare/YEAR/OTHER`: two years of one listener. */
export async function parseCompareYearsParams(params: Promise<{ username: string; year: string; other: string }>) {
  const { username, year, other } = await params;
  return z
    .object({ username: UsernameSchema, year: YearSchema, other: YearSchema })
    .parse({ username: decodeSegment(username), year: yearSegment(year), other: yearSegment(other) });
}

/** `/user/NAME/YEAR/vs/OTHER`: two listeners in one year. */
export async function parseCompareListenersParams(params: Promise<{ username: string; year: string; other: string }>) {
  const { username, year, other } = await params;
  return z
    .object({ username: UsernameSchema, year: YearSchema, other: UsernameSchema })
    .parse({ username: decodeSegment(username), year: yearSegment(year), other: decodeSegment(other) });
}
