// Re-import and retry need no login, so each (user, year) may be re-imported, or retried, once per
// REIMPORT_COOLDOWN_S whoever asks: nobody can keep deleting and refetching someone else's year.
import type { LastfmUser } from "@/generated/prisma/client";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/server/http";
import { redis, redisKey } from "@/lib/server/redis";
import { nameKey } from "@/lib/lastfm/users";

export type YearAction = "reimport" | "retry";
/** When each action is possible again (ISO time), or null when it is possible now. */
export type Cooldowns = Record<YearAction, string | null>;

const ACTIONS: YearAction[] = ["reimport", "retry"];
const WORDS: Record<YearAction, string> = { reimport: "re-imported", retry: "retried" };

function cooldownKey(action: YearAction, user: LastfmUser, year: number): string {
  return redisKey("cooldown", action, nameKey(user.name), year);
}

/**
 * Runs `work` (which checks the caller's own limit, then acts) holding the (user, year) cooldown. The
 * claim is one SET NX, so two visitors at once cannot both pass; a refused `work` gives the claim back.
 */
export async function withCooldown<T>(
  action: YearAction,
  user: LastfmUser,
  year: number,
  work: () => Promise<T>,
  now = new Date(),
): Promise<T> {
  const seconds = env().REIMPORT_COOLDOWN_S;
  if (seconds === 0) return work();
  const key = cooldownKey(action, user, year);
  const until = new Date(now.getTime() + seconds * 1000);
  if ((await redis().set(key, until.toISOString(), "EX", seconds, "NX")) !== "OK") {
    const held = (await redis().get(key)) ?? until.toISOString();
    const waitS = Math.max(1, Math.ceil((Date.parse(held) - now.getTime()) / 1000));
    throw new AppError(
      "rate_limited",
      `${user.name}'s ${year} was ${WORDS[action]} recently; it can be ${WORDS[action]} again at ${held.slice(11, 16)} UTC.`,
      { "Retry-After": String(waitS) },
    );
  }
  try {
    return await work();
  } catch (error) {
    await redis().del(key);
    throw error;
  }
}

export async function getCooldowns(user: LastfmUser, year: number): Promise<Cooldowns> {
  const values = await redis().mget(...ACTIONS.map((action) => cooldownKey(action, user, year)));
  return { reimport: values[0] ?? null, retry: values[1] ?? null };
}
