// Playwright's web server: the app exactly as `npm start` runs it (build, migrate, standalone server,
// worker, demo simulators), but on a throwaway database and Redis prefix that are removed afterwards.
import { spawn } from "node:child_process";
import { createDatabase, deleteRedisPrefix, dropDatabase, TEST_REDIS_URL, uniqueName } from "./databases";
import { TEST_ADMIN, TEST_IMPORT_RATE_LIMIT, TEST_LOOKUP_DEPLOYMENT_LIMIT, TEST_LOOKUP_RATE_LIMIT } from "./limits";
import { ensureTestMirror } from "./mirror";

// A caller that inspects the database (the chaos suite) may choose its name.
const database = process.env.E2E_DATABASE ?? uniqueName("lyfm_e2e");
const prefix = uniqueName("lyfme2e").replaceAll("_", "-");

async function main(): Promise<void> {
  const databaseUrl = await createDatabase(database);
  const mirrorUrl = await ensureTestMirror();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      MUSICBRAINZ_DATABASE_URL: mirrorUrl,
      LASTFM_API_KEY: "",
      LASTFM_SIM_PORT: process.env.E2E_LASTFM_SIM_PORT ?? "3911",
      LASTFM_SIM_LATENCY_MS: "20",
      LASTFM_SIM_RATE_LIMIT: "30",
      LASTFM_RATE_LIMIT: "20",
      IMPORT_RATE_LIMIT: process.env.IMPORT_RATE_LIMIT ?? String(TEST_IMPORT_RATE_LIMIT),
      LOOKUP_RATE_LIMIT: process.env.LOOKUP_RATE_LIMIT ?? String(TEST_LOOKUP_RATE_LIMIT),
      // The specs and the chaos suite test the per-IP limit from many addresses within a minute; the
      // deployment-wide one has its own test (tests/integration/abuse.test.ts) and bench (lookups).
      LOOKUP_DEPLOYMENT_LIMIT: process.env.LOOKUP_DEPLOYMENT_LIMIT ?? String(TEST_LOOKUP_DEPLOYMENT_LIMIT),
      // The specs play the proxy: the x-forwarded-for entry they append is the client.
      TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS ?? "1",
      ADMIN_USER: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      PORT: process.env.E2E_PORT ?? "3107",
      HOSTNAME: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
  });
  const cleanup = async () => {
    await deleteRedisPrefix(prefix).catch(() => undefined);
    await dropDatabase(database).catch(() => undefined);
  };
  const stop = () => child.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.on("exit", async (code) => {
    await cleanup();
    process.exit(code ?? 0);
  });
}

main().catch(async (error: unknown) => {
  console.error(error);
  await dropDatabase(database).catch(() => undefined);
  process.exit(1);
});
