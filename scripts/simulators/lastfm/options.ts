// Every knob of the simulator. Runtime options can change while it runs (configure(),
// POST /__config); start options (port, host, seed, clock) are fixed at start.
import { z } from "zod";
import { DEFAULT_SEED } from "@/scripts/simulators/catalog";

export const FAULT_KINDS = [
  "error8-500",
  "error8-503",
  "error11",
  "error16",
  "error29",
  "html500",
  "truncated-json",
  "reset",
  "slow",
  "hang",
  "user-not-found",
  "wrong-user",
] as const;

export const FaultKindSchema = z.enum(FAULT_KINDS);
export type FaultKind = z.infer<typeof FaultKindSchema>;

/** A realistic mix: error 8 dominates, as in the issue trackers (LASTFM-API.md §4, §6.5). */
export const DEFAULT_FAULT_WEIGHTS: Record<FaultKind, number> = {
  "error8-500": 4,
  "error8-503": 2,
  error11: 1,
  error16: 1,
  error29: 1,
  html500: 1,
  "truncated-json": 1,
  reset: 0.5,
  slow: 2,
  hang: 0.5,
  "user-not-found": 0.5,
  "wrong-user": 0.5,
};

/** A valid-looking key for tests and demo mode; any 32-hex key is accepted unless suspended. */
export const SIM_API_KEY = "0123456789abcdef0123456789abcdef";
export const SUSPENDED_API_KEY = "deadbeefdeadbeefdeadbeefdeadbeef";
/** The simulator's shared secret unless configured (demo mode makes a fresh one per start). */
export const SIM_API_SECRET = "simulated-shared-secret-0123456789";

export const RuntimeOptionsSchema = z.strictObject({
  /** Base latency of every API answer, plus a uniform jitter in [0, latencyJitterMs]. */
  latencyMs: z.number().min(0),
  latencyJitterMs: z.number().min(0),
  /** Extra latency per returned track, so large pages are slower. */
  latencyPerItemMs: z.number().min(0),
  /** Sliding 1-second window; 0 turns the limiter off. */
  rateLimitPerSecond: z.number().min(0),
  /** "5 per second averaged over 5 minutes" (old ToS 4.4); 0 turns it off. */
  rateLimitAveragePerSecond: z.number().min(0),
  rateLimitAverageWindowMs: z.number().positive(),
  /** Count per client address ("your IP") or per api_key ("this application"). */
  rateLimitScope: z.enum(["ip", "key"]),
  /** Probability that an API request gets a fault. */
  faultRate: z.number().min(0).max(1),
  faultWeights: z.partialRecord(FaultKindSchema, z.number().min(0)),
  faultSeed: z.number().int(),
  /** Fault rate multiplier for limit > 200 (big pages fail more often; capped at 1). */
  largeLimitFaultMultiplier: z.number().min(1),
  /** Accounts for which big pages fail (error 8, HTTP 500): "1000 doesn't work for some accounts" (LASTFM-API.md §1). */
  largePageFailUsers: z.array(z.string()),
  /** A page with a limit above this fails for those accounts. */
  largePageFailAbove: z.number().int().min(1),
  /** The share of such pages that fail. */
  largePageFailRate: z.number().min(0).max(1),
  /** user.getWeeklyAlbumChart without `limit`: undocumented upstream (a 2012 guess says 500), so clients must send it. */
  albumChartDefaultLimit: z.number().int().min(1).max(1000),
  /** Duration of a "slow" fault for limit ≤ 200; scaled by limit/200 above. */
  slowMs: z.number().min(0),
  suspendedApiKeys: z.array(z.string()),
  /** The shared secret auth.getSession signatures are checked against (any api_key shares it). */
  apiSecret: z.string().min(1),
  /** An empty windowed result: `track: []` or no `track` member (UNCERTAIN upstream). */
  emptyWindowTrack: z.enum(["array", "missing"]),
  /** A windowed page with exactly one item carries it as a bare object. */
  windowedSingleItemAsObject: z.boolean(),
  /** Page past the end: empty page with the real totals, or the last page (UNCERTAIN upstream). */
  pagePastEnd: z.enum(["empty", "clamp"]),
  /** Per-user override of "is playing": true/false, or the share of time spent playing. */
  nowPlaying: z.record(z.string(), z.union([z.boolean(), z.number().min(0).max(1)])),
  /** LiveLiam scrobbles every N ms while the simulator runs; 0 stops him. */
  liveScrobbleIntervalMs: z.number().min(0),
  /** Share of live ticks that also insert a back-dated scrobble. */
  liveBackdateProbability: z.number().min(0).max(1),
  liveBackdateMaxDays: z.number().min(0),
  /** Share of live ticks that delete one of his scrobbles from the last liveBackdateMaxDays. */
  liveDeleteProbability: z.number().min(0).max(1),
  /** Website stub: answer normally, or with the blocked (406) / rate-limited (429) interstitial. */
  website: z.enum(["normal", "blocked", "rate-limited"]),
});
export type RuntimeOptions = z.infer<typeof RuntimeOptionsSchema>;

export const RuntimeOptionsPatchSchema = RuntimeOptionsSchema.partial().extend({
  /** Faults for the next API requests, in order, whatever faultRate says. */
  faultQueue: z.array(FaultKindSchema).optional(),
  /** Back to the shared secret the simulator started with (tests that broke it on purpose). */
  restoreApiSecret: z.boolean().optional(),
});
export type RuntimeOptionsPatch = z.infer<typeof RuntimeOptionsPatchSchema>;

export type LastfmSimOptions = RuntimeOptions & {
  port: number;
  host: string;
  /** Seed of the catalog and the users; DEFAULT_SEED from catalog.ts. */
  seed: number;
  /** Milliseconds since the epoch; tests may pin it. */
  clock: () => number;
};

export const DEFAULT_OPTIONS: LastfmSimOptions = {
  port: 0,
  host: "127.0.0.1",
  seed: DEFAULT_SEED,
  clock: Date.now,
  latencyMs: 0,
  latencyJitterMs: 0,
  latencyPerItemMs: 0,
  rateLimitPerSecond: 5,
  rateLimitAveragePerSecond: 0,
  rateLimitAverageWindowMs: 300_000,
  rateLimitScope: "ip",
  faultRate: 0,
  faultWeights: DEFAULT_FAULT_WEIGHTS,
  faultSeed: 1,
  largeLimitFaultMultiplier: 2,
  largePageFailUsers: [],
  largePageFailAbove: 500,
  largePageFailRate: 1,
  albumChartDefaultLimit: 50,
  slowMs: 3000,
  suspendedApiKeys: [SUSPENDED_API_KEY],
  apiSecret: SIM_API_SECRET,
  emptyWindowTrack: "array",
  windowedSingleItemAsObject: true,
  pagePastEnd: "empty",
  nowPlaying: {},
  liveScrobbleIntervalMs: 500,
  liveBackdateProbability: 0.2,
  liveBackdateMaxDays: 14,
  liveDeleteProbability: 0,
  website: "normal",
};

const FAULT_ALIASES: Record<string, FaultKind[]> = {
  "8": ["error8-500", "error8-503"],
  "8/500": ["error8-500"],
  "8/503": ["error8-503"],
  "11": ["error11"],
  "16": ["error16"],
  "29": ["error29"],
  "6": ["user-not-found"],
  html: ["html500"],
  truncated: ["truncated-json"],
};

/** "8:2,11:1,hang:0.5" → weights; "8" splits its weight between 500 and 503. */
export function parseFaultSpec(spec: string): Partial<Record<FaultKind, number>> {
  const weights: Partial<Record<FaultKind, number>> = {};
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, weightText = "1"] = part.split(":");
    const weight = Number(weightText);
    const known = FaultKindSchema.safeParse(name);
    const kinds = FAULT_ALIASES[name] ?? (known.success ? [known.data] : undefined);
    if (!kinds)
      throw new Error(`unknown fault "${name}"; use ${[...Object.keys(FAULT_ALIASES), ...FAULT_KINDS].join(", ")}`);
    if (!Number.isFinite(weight) || weight < 0) throw new Error(`bad fault weight in "${part}"`);
    for (const kind of kinds) weights[kind] = (weights[kind] ?? 0) + weight / kinds.length;
  }
  return weights;
}
