// The environment, parsed once. Every other module imports `env`, never process.env.
import { z } from "zod";

const optionalUrl = z.preprocess((value) => (value === "" ? undefined : value), z.string().url().optional());
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  /** Prefix for every Redis key and channel, so deployments and test runs never collide. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only")
    .default("lyfm"),
  LASTFM_API_KEY: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^[0-9a-f]{32}$/i, "must be the 32 hex characters Last.fm issues")
      .optional(),
  ),
  LASTFM_API_URL: z.string().url().default("https://ws.audioscrobbler.com/2.0/"),
  LASTFM_WEB_URL: z.string().url().default("https://www.last.fm"),
  /** The shared secret issued with the API key: signs auth.getSession (sign-in) and, derived, the session cookie. Unset: sign-in is off. */
  LASTFM_API_SECRET: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().min(16, "must be the shared secret Last.fm issued with the API key").optional(),
  ),
  /** Requests per second to Last.fm for the whole deployment (all worker processes together). */
  LASTFM_RATE_LIMIT: z.coerce.number().positive().max(50).default(4),
  /**
   * Extra spacing per second of budget, for requests that arrive later than their slot (cold
   * connections, busy processes): 75 ms held the budget in every run here; an internet path may need more.
   */
  LASTFM_RATE_MARGIN_MS: z.coerce.number().int().min(0).max(1000).default(75),
  /** A Last.fm request that has not answered by then is abandoned and retried. */
  LASTFM_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Plays per getRecentTracks request an import starts with; a page that keeps failing falls back to 500, then 200. */
  LASTFM_PAGE_SIZE: z.coerce
    .number()
    .int()
    .refine((value) => [1000, 500, 200].includes(value), "must be 1000, 500 or 200")
    .default(1000),
  /** Who gets the next Last.fm slot: `fair` (visitors' calls first, then the least served import) or `fifo` (arrival order). */
  LASTFM_SCHEDULING: z.enum(["fair", "fifo"]).default("fair"),
  /** 1: a new import first shows a preview from the year's album chart (2 Last.fm calls); 0: only the exact chart. */
  IMPORT_PREVIEW: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((value) => value === "1" || value === "true"),
  /** New imports one client IP may start per window (reading an existing year never counts). */
  IMPORT_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  IMPORT_RATE_WINDOW_S: z.coerce.number().int().min(1).default(600),
  /** Imports waiting or fetching at once, deployment-wide; beyond it new imports are refused (429). */
  IMPORT_QUEUE_CAP: z.coerce.number().int().min(1).default(200),
  /** Names not seen in 24 h one client IP may look up per window (each can cost Last.fm calls from the shared budget). */
  LOOKUP_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  LOOKUP_RATE_WINDOW_S: z.coerce.number().int().min(1).default(600),
  /**
   * New-name lookups per minute for the whole deployment, whatever the IPs (each costs up to two calls
   * from the budget imports share). Unset: LASTFM_RATE_LIMIT × 5, a sixth of the budget at most.
   */
  LOOKUP_DEPLOYMENT_LIMIT: z.coerce.number().int().min(1).optional(),
  /** Seconds between two re-imports (or retries) of one user's year, whoever asks. */
  REIMPORT_COOLDOWN_S: z.coerce.number().int().min(0).default(3600),
  /**
   * Proxies in front of the web server that append to x-forwarded-for: 0 trusts no header (the TCP peer is
   * the client); N takes the Nth entry from the right, the one the outermost trusted proxy saw.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Finished years' pages and share images served from a cache (0: rendered on every view, for comparison). */
  PAGE_CACHE: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((value) => value === "1" || value === "true"),
  MUSICBRAINZ_DATABASE_URL: optionalUrl,
  MUSICBRAINZ_API_URL: z.string().url().default("https://musicbrainz.org/ws/2"),
  /** The MusicBrainz website, for links to release groups. */
  MUSICBRAINZ_WEB_URL: z.string().url().default("https://musicbrainz.org"),
  MUSICBRAINZ_RATE_LIMIT: z.coerce.number().positive().max(50).default(1),
  ADMIN_USER: optionalText,
  ADMIN_PASSWORD: optionalText,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Where visitors reach the app (https://lastyear.example): absolute links in share cards. */
  PUBLIC_URL: optionalUrl,
  /** Human-readable logs (pino-pretty): 1 forces, 0 forbids; unset: only on a terminal outside production. Read by lib/server/log.ts. */
  LOG_PRETTY: z.enum(["", "0", "1", "true", "false"]).optional(),
  /** Set by `npm start` when it runs the bundled simulators instead of Last.fm. */
  DEMO_MODE: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((value) => value === "1" || value === "true"),
  /** Demo mode: the simulator's users offered on the home page, comma-separated. */
  DEMO_USERS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    ),
});

export type Env = z.infer<typeof EnvSchema>;

/** Parses `source`; on failure throws one line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid configuration: ${problems.join("; ")} (see .env.example)`);
}

let cached: Env | undefined;

/** Parsed on first use, not at import: `next build` imports routes without any configuration. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
