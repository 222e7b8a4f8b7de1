// Demo mode: the bundled Last.fm simulator and a seeded MusicBrainz test mirror stand in for the real services.
import { randomBytes } from "node:crypto";
import { createNameIndexes, withMirrorClient } from "@/lib/musicbrainz/matching/mirror-index";
import { seedMirror } from "@/scripts/simulators/musicbrainz/seed";
import { DEMO_USERS } from "@/scripts/simulators/lastfm/profiles";
import { startLastfmSimulator } from "@/scripts/simulators/lastfm/server";
import { ensureDatabase } from "./embedded-postgres";
import { assertPortFree } from "./ports";

/** The simulator accepts any well-formed key; this one is not a secret. */
export const DEMO_API_KEY = "00000000000000000000000000000de0";

export type DemoServices = { env: Record<string, string>; users: string[]; stop: () => Promise<void> };

export async function startDemoServices(env: Record<string, string | undefined>): Promise<DemoServices> {
  const port = Number(env.LASTFM_SIM_PORT ?? 3901);
  await assertPortFree(port, "127.0.0.1", "LASTFM_SIM_PORT");
  // A fresh shared secret per start: it signs sign-in sessions too, so a published one would let anyone forge them.
  const apiSecret = randomBytes(24).toString("hex");
  const lastfm = await startLastfmSimulator({
    apiSecret,
    port,
    latencyMs: Number(env.LASTFM_SIM_LATENCY_MS ?? 120),
    rateLimitPerSecond: Number(env.LASTFM_SIM_RATE_LIMIT ?? 5),
  });
  const demoEnv: Record<string, string> = {
    DEMO_MODE: "1",
    DEMO_USERS: DEMO_USERS.join(","),
    LASTFM_API_KEY: DEMO_API_KEY,
    LASTFM_API_SECRET: apiSecret,
    LASTFM_API_URL: lastfm.apiUrl,
    LASTFM_WEB_URL: lastfm.webUrl,
  };
  if (!env.MUSICBRAINZ_DATABASE_URL) {
    const mirror = new URL(env.DATABASE_URL as string);
    mirror.pathname = "/lastyear_musicbrainz";
    await ensureDatabase(env.DATABASE_URL as string, "lastyear_musicbrainz");
    // A mirror seeded by an older version (another catalog, no recordings) is seeded again.
    await seedMirror({ databaseUrl: mirror.toString(), ifCurrent: true });
    await withMirrorClient(mirror.toString(), (client) => createNameIndexes(client));
    demoEnv.MUSICBRAINZ_DATABASE_URL = mirror.toString();
  }
  return { env: demoEnv, users: [...DEMO_USERS], stop: () => lastfm.close() };
}
