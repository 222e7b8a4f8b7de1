// Two years side by side: two years of one listener, or two listeners in one year. Each side is a year
// as the year page shows it (imported on demand), plus its story numbers.
import { assertNotOptedOut } from "@/lib/account/choices";
import { assertImportable, listActiveYears, resolveUser } from "@/lib/lastfm/users";
import { AppError } from "@/lib/server/http";
import { getYearDistribution, type YearDistribution } from "./distribution";
import { failedImportError, requestImport } from "./requests";
import { type Story, tellStory } from "./story";

export type CompareSide = Pick<
  YearDistribution,
  "username" | "year" | "status" | "progress" | "totals" | "distribution"
> & {
  story: Story;
};

export type Comparison = {
  kind: "years" | "listeners";
  /** Both sides finished (complete or partial): the numbers will not change. */
  isReady: boolean;
  sides: [CompareSide, CompareSide];
};

const FINISHED = new Set(["complete", "partial"]);

/** Errors name the side they are about: in a comparison "no such user" alone does not say which. */
async function loadSide(username: string, year: number, clientIp?: string): Promise<CompareSide> {
  await assertNotOptedOut(username);
  // A name we do not know counts against the caller's lookups, as on the year page.
  const user = await resolveUser(username, new Date(), { clientIp });
  if (user.state === "not_found") throw new AppError("user_not_found", `No Last.fm user is called ${username}.`);
  if (user.state === "private")
    throw new AppError("private_profile", `${user.name} keeps their listening private, so it cannot be compared.`);
  assertImportable(user);
  const noPlays = () => new AppError("no_plays", `${user.name} has no plays in ${year}: pick another year.`);
  if (!(await listActiveYears(user)).includes(year)) throw noPlays();
  await requestImport(user.name, year, { clientIp });
  const result = await getYearDistribution(user, year);
  if (result.status === "failed") throw failedImportError(result.error);
  if (FINISHED.has(result.status) && result.totals.scrobbles === 0) throw noPlays();
  const { username: name, status, progress, totals, distribution } = result;
  return { username: name, year, status, progress, totals, distribution, story: tellStory(result) };
}

async function compare(
  kind: Comparison["kind"],
  left: [string, number],
  right: [string, number],
  clientIp?: string,
): Promise<Comparison> {
  const sides: [CompareSide, CompareSide] = [
    await loadSide(left[0], left[1], clientIp),
    await loadSide(right[0], right[1], clientIp),
  ];
  return { kind, isReady: sides.every((side) => FINISHED.has(side.status)), sides };
}

export async function compareYears(username: string, year: number, other: number, options: { clientIp?: string } = {}) {
  if (year === other) throw new AppError("invalid_input", "other: pick two different years to compare");
  return compare("years", [username, year], [username, other], options.clientIp);
}

export async function compareListeners(
  username: string,
  other: string,
  year: number,
  options: { clientIp?: string } = {},
) {
  if (username.toLowerCase() === other.toLowerCase())
    throw new AppError("invalid_input", "other: pick another listener to compare with");
  return compare("listeners", [username, year], [other, year], options.clientIp);
}
