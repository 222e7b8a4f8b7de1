// Route parameters, validated once for every handler and page.
import { z } from "zod";
import { UsernameSchema, YearSchema } from "@/lib/lastfm/users";

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
