// One request budget shared by every process of the deployment, kept in Redis.
// Requests are paced, not bursted: slots lie on one schedule (GCRA: a "theoretical arrival time"
// advanced by a fixed interval), measured on Redis' clock, and go to callers in the order of one
// deployment-wide line (TAKE below), so a visitor's call is not stuck behind an import's pages. BullMQ's own
// limiter is a fixed window that lets up to 2x the limit through at window edges; a sliding log lets
// a full burst leave at once, and a burst on cold connections arrives unevenly.
// Pacing plans; a second check admits: right before it is sent, each request is entered in a log of
// actual send times, so one that woke late (a starved process, a busy event loop) cannot crowd the
// requests that went on time; and when it really leaves, its entry moves to that moment (LEAVE).
import { randomUUID } from "node:crypto";
import { sleep } from "@/lib/server/concurrency";
import { redis, redisKey } from "@/lib/server/redis";

// The waiting room: every caller holds a ticket in one sorted set, ordered by lane (interactive calls
// before bulk pages), then by the import's attained service (least served first), then by arrival
// (the member starts with a zero-padded sequence number). Only the head may take a slot, and only
// once it is at most `lookahead` ms ahead of now: a later, more urgent ticket can still overtake
// everything but the slots already handed out. A ticket not polled for `staleMs` belonged to a
// process that died and is dropped. Returns {1, ms until the slot} or {0, ms until the next poll}.
const TAKE = `
local waitKey, seenKey, tatKey, penaltyKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local member, score = ARGV[1], tonumber(ARGV[2])
local interval, lookahead, staleMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('EXISTS', penaltyKey) == 1 then interval = interval * 2 end
redis.call('HSET', seenKey, member, now)
if not redis.call('ZSCORE', waitKey, member) then redis.call('ZADD', waitKey, score, member) end
redis.call('PEXPIRE', waitKey, 60000)
redis.call('PEXPIRE', seenKey, 60000)
for _ = 1, 20 do
  local head = redis.call('ZRANGE', waitKey, 0, 0)[1]
  if head == member then break end
  if tonumber(redis.call('HGET', seenKey, head) or '0') >= now - staleMs then break end
  redis.call('ZREM', waitKey, head)
  redis.call('HDEL', seenKey, head)
end
local rank = redis.call('ZRANK', waitKey, member)
if rank > 0 then return {0, math.min(1000, math.max(15, rank * interval - lookahead))} end
local tat = tonumber(redis.call('GET', tatKey) or '0')
if tat < now then tat = now end
if tat - now > lookahead then return {0, math.max(5, tat - now - lookahead)} end
redis.call('SET', tatKey, tat + interval, 'PX', math.floor(tat + interval - now) + 60000)
redis.call('ZREM', waitKey, member)
redis.call('HDEL', seenKey, member)
return {1, tat - now}
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

// The request of an admission is leaving now: its entry in the send log moves to Redis' time of now (or
// comes back, if it had already left the window).
const LEAVE = `
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`;

/**
 * Who is asking. `interactive`: a visitor waits on the answer (profile checks, previews). `bulk`: a page
 * of a full import; `served` is how many requests that import has had, so a light import is not stuck
 * behind a heavy one (least attained service: a newcomer goes first, running imports take turns).
 */
export type BudgetLane = { lane: "interactive" } | { lane: "bulk"; served: number };

const INTERACTIVE: BudgetLane = { lane: "interactive" };
const STALE_TICKET_MS = 3_000;
/** An admission answered later than this (or the margin, if larger) is stale: see acquire(). */
const MIN_ADMIT_DELAY_MS = 50;

export type RateBudget = {
  /**
   * Waits in the deployment-wide line (by lane, then attained service, then arrival) for a slot. Returns
   * `leaving`, to call right before the request is sent: see acquire().
   */
  acquire: (signal?: AbortSignal, lane?: BudgetLane) => Promise<() => void>;
  /** The upstream said "too many requests": halve the budget for a while, for every process. */
  penalize: (ms: number) => Promise<void>;
  /** Callers waiting in line for a slot. */
  waiting: () => Promise<number>;
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
export function createRateBudget(
  name: string,
  perSecond: number,
  marginMs = 75,
  { isFifo = false }: { isFifo?: boolean } = {},
): RateBudget {
  const key = redisKey("budget", name);
  const penaltyKey = redisKey("budget", name, "penalty");
  const sendsKey = redisKey("budget", name, "sends");
  const waitKey = redisKey("budget", name, "waiting");
  const seenKey = redisKey("budget", name, "seen");
  const seqKey = redisKey("budget", name, "seq");
  const intervalMs = (1000 + marginMs) / perSecond;
  const lookaheadMs = 2 * intervalMs;

  async function takeSlot(lane: BudgetLane, signal?: AbortSignal): Promise<void> {
    const seq = await redis().incr(seqKey);
    const ticket = `${String(seq).padStart(15, "0")}|${randomUUID()}`;
    // FIFO (the design before the line, kept for comparison in the rush bench): arrival order only.
    const score = isFifo || lane.lane === "interactive" ? 0 : 1 + Math.max(0, Math.floor(lane.served));
    try {
      for (;;) {
        const [isGranted, ms] = (await redis().eval(
          TAKE,
          4,
          waitKey,
          seenKey,
          key,
          penaltyKey,
          ticket,
          score,
          intervalMs,
          lookaheadMs,
          STALE_TICKET_MS,
        )) as [number, number];
        if (isGranted === 1) {
          if (ms > 0) await sleep(ms, signal);
          return;
        }
        await sleep(ms, signal);
      }
    } catch (error) {
      // An abandoned ticket must not hold the head of the line until it goes stale.
      await redis()
        .zrem(waitKey, ticket)
        .catch(() => undefined);
      throw error;
    }
  }

  return {
    async acquire(signal, lane = INTERACTIVE) {
      signal?.throwIfAborted();
      await takeSlot(lane, signal);
      const member = randomUUID();
      for (;;) {
        const askedAt = performance.now();
        const admitIn = Number(await redis().eval(ADMIT, 1, sendsKey, 1000 + marginMs, perSecond, member));
        if (admitIn <= 0) {
          // The log holds the time Redis admitted us. If this process only heard back much later (its
          // event loop was busy: a preview dating a thousand albums, say), the request would leave late
          // and crowd the ones after it: give the entry back and be admitted again, at the real time.
          // Even heard in time, the request may leave later (other callbacks of this process run first):
          // `leaving` moves the log's entry to the moment it really goes, so a window counts it from
          // there and the margin only has to cover the way from the socket to the upstream.
          if (performance.now() - askedAt <= Math.max(marginMs, MIN_ADMIT_DELAY_MS)) {
            return () =>
              void redis()
                .eval(LEAVE, 1, sendsKey, member, 2 * (1000 + marginMs))
                .catch(() => undefined);
          }
          await redis().zrem(sendsKey, member);
          continue;
        }
        await sleep(admitIn, signal);
      }
    },
    async penalize(ms) {
      await redis().set(penaltyKey, "1", "PX", ms);
    },
    async waiting() {
      return redis().zcard(waitKey);
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
