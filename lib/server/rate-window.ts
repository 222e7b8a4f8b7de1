// A sliding-window allowance in Redis, shared by every web process: per-IP limits on new imports and lookups.
import { randomUUID } from "node:crypto";
import { redis } from "./redis";

// Sliding log on Redis' clock: records one use and returns 0, or returns the ms until the oldest use in
// the window expires. Atomic, so concurrent requests from one IP never exceed the limit.
const RECORD_USE = `
local key, windowMs, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowMs)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + windowMs - now)
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, windowMs)
return 0
`;

/** Takes one use from the allowance under `key`: 0 when granted, else the ms to wait. */
export async function takeFromWindow(key: string, limit: number, windowS: number): Promise<number> {
  return Number(await redis().eval(RECORD_USE, 1, key, windowS * 1000, limit, randomUUID()));
}
