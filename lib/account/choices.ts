// What a signed-in listener chose: hidden from "Recently charted", opted out of imports. Keyed by the
// lowercase name, so the choice holds whether or not anything else is stored about them.
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/http";
import { bumpListenerVersions } from "@/lib/imports/year-version";
import { nameKey } from "@/lib/lastfm/users";

export type Choices = { isHidden: boolean; isOptedOut: boolean };

export async function getChoices(username: string): Promise<Choices> {
  const row = await db().listenerChoice.findUnique({ where: { nameKey: nameKey(username) } });
  return { isHidden: row?.isHidden ?? false, isOptedOut: row?.isOptedOut ?? false };
}

/** Saves the choices; a listener back to the defaults leaves no row behind. */
export async function saveChoices(username: string, changes: Partial<Choices>): Promise<Choices> {
  const key = nameKey(username);
  const next = { ...(await getChoices(username)), ...changes };
  if (!next.isHidden && !next.isOptedOut) {
    await db().listenerChoice.deleteMany({ where: { nameKey: key } });
  } else {
    await db().listenerChoice.upsert({ where: { nameKey: key }, create: { nameKey: key, ...next }, update: next });
  }
  // Cached pages of finished years are served only while their version holds: an opt-out takes them down.
  await bumpListenerVersions(
    await db().fetchJob.findMany({ where: { user: { nameKey: key } }, select: { userId: true, year: true } }),
  );
  return next;
}

export async function isOptedOut(username: string): Promise<boolean> {
  return (await getChoices(username)).isOptedOut;
}

/** Names nobody else should see listed: hidden or opted out. */
export async function listUnlistedNameKeys(): Promise<string[]> {
  const rows = await db().listenerChoice.findMany({
    where: { OR: [{ isHidden: true }, { isOptedOut: true }] },
    select: { nameKey: true },
  });
  return rows.map((row) => row.nameKey);
}

/** Throws `opted_out` (403) for a listener who asked not to be imported. Costs no Last.fm call. */
export async function assertNotOptedOut(username: string): Promise<void> {
  if (await isOptedOut(username)) {
    throw new AppError(
      "opted_out",
      `${username} has opted out of LastYear.fm: their listening is not imported or shown here.`,
    );
  }
}
