// Route parameters, validated once for every handler and page.
import { z } from "zod";
import { UsernameSchema, YearSchema } from "@/lib/lastfm/users";
import { canonicalTimeZone, UTC } from "@/lib/imports/year-window";

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

/** An IANA zone name ("America/Los_Angeles"), canonicalised ("utc" → "UTC"); unknown names are refused. */
export const TimeZoneSchema = z
  .string()
  .max(64, "is not a known IANA time zone")
  .transform((value, context) => {
    const zone = canonicalTimeZone(value);
    if (zone === null) context.addIssue({ code: "custom", message: "is not a known IANA time zone" });
    return zone ?? UTC;
  });

/** The `tz` query parameter of the year routes and pages; without it, UTC. */
export function parseTimeZone(searchParams: URLSearchParams | Record<string, string | string[] | undefined>): string {
  const value = searchParams instanceof URLSearchParams ? searchParams.get("tz") : searchParams.tz;
  if (value === null || value === undefined) return UTC;
  return z.object({ tz: TimeZoneSchema }).parse({ tz: Array.isArray(value) ? value[0] : value }).tz;
}
