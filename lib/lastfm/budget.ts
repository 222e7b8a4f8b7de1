// One request budget shared by every process of the deployment, kept in Redis.
// Requests are paced, not bursted: each caller reserves the next free slot on one schedule (GCRA:
// a "theoretical arrival time" advanced by a fixed interval), measured on Redis' clock. BullMQ's own
// limiter is a fixed window that lets up to 2x the limit through at window edges; a sliding log lets
// a full burst leave at once, and a burst on cold connections arrives unevenly.
// Pacing plans; a second check admits: right before it is sent, each request is entered in a log of
// actual send times, so one that woke late (a starved process, a busy event loop) cannot crowd the
// requests that went on time.
import { randomUUID } from "node:crypto";
import { sleep } from "@/lib/server/concurrency";
import { redis, redisKey } from "@/lib/server/redis";

const RESERVE = `
local key, penaltyKey = KEYS[1], KEYS[2]
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('EXISTS', penaltyKey) == 1 then interval = interval * 2 end
local tat = tonumber(redis.call('GET', key) or '0')
if tat < now then tat = now end
redis.call('SET', key, tat + interval, 'PX', math.floor(tat + interval - now) + 60000)
return tat - now
`;

// A sliding log of the sends of the last window (sorted set scored by Redis' clock). Returns 0 and
// records the send when fewer than `limit` went within the window, else how long until one leaves it.
const ADMIT = `
local key = KEYS[1]
local window, limit, member = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
`;

export type RateBudget = {
  /** Reserves the next free slot for the whole deployment and waits for it. */
  acquire: (signal?: AbortSignal) => Promise<void>;
  /** The upstream said "too many requests": halve the budget for a while, for every process. */
  penalize: (ms: number) => Promise<void>;
  /** How many slots are already reserved ahead of now (for the admin page). */
  backlog: () => Promise<number>;
  /** Whether a "too many requests" penalty is halving the budget right now (for the admin page). */
  isPenalized: () => Promise<boolean>;
};

/**
 * `perSecond` requests per sliding second, as the upstream counts them. Slots are spaced by
 * (1000 + marginMs) / perSecond, so perSecond+1 consecutive requests span more than a second even
 * when one arrives up to `marginMs` late relative to the others (a cold connection, a busy event
 * loop). Measured with three workers on 2 cores and the simulator in its own process: a 25 ms margin
 * let 6 of 5 into one simulator second in 2 of 3 runs; 75 ms never did (7 % of throughput). The send
 * log holds any (1000 + marginMs) window to `perSecond` actual sends, whatever the timers did, so the
 * margin only has to cover the way from our socket to the upstream's clock.
 */
export function createRateBudget(name: string, perSecond: number, marginMs = 75): RateBudget {
  const key = redisKey("budget", name);
  const penaltyKey = redisKey("budget", name, "penalty");
  const sendsKey = redisKey("budget", name, "sends");
  const intervalMs = (1000 + marginMs) / perSecond;
  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const waitMs = Number(await redis().eval(RESERVE, 2, key, penaltyKey, intervalMs));
      if (waitMs > 0) await sleep(waitMs, signal);
      const member = randomUUID();
      for (;;) {
        const admitIn = Number(await redis().eval(ADMIT, 1, sendsKey, 1000 + marginMs, perSecond, member));
        if (admitIn <= 0) return;
        await sleep(admitIn, signal);
      }
    },
    async penalize(ms) {
      await redis().set(penaltyKey, "1", "PX", ms);
    },
    async backlog() {
      const [seconds, micros] = await redis().time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const tat = Number((await redis().get(key)) ?? 0);
      return Math.max(0, Math.ceil((tat - now) / intervalMs));
    },
    async isPenalized() {
      return (await redis().exists(penaltyKey)) === 1;
    },
  };
}
