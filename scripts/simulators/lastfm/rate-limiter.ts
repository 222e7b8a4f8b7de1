// Sliding-window rate limiting: at most N accepted calls in any 1-second window, and
// optionally an average over a longer window (the old "5 per second over 5 minutes").
export type RateLimit = { perSecond: number; averagePerSecond: number; averageWindowMs: number };

export type RateLimiter = {
  /** Records the call and returns true if it is within the limits; a refused call is not counted. */
  tryAcquire(key: string, nowMs: number, limit: RateLimit): boolean;
};

export function createRateLimiter(): RateLimiter {
  const logs = new Map<string, number[]>();
  return {
    tryAcquire(key, nowMs, { perSecond, averagePerSecond, averageWindowMs }) {
      if (perSecond <= 0 && averagePerSecond <= 0) return true;
      const horizon = Math.max(1000, averagePerSecond > 0 ? averageWindowMs : 0);
      const log = logs.get(key) ?? [];
      let expired = 0;
      while (expired < log.length && log[expired] <= nowMs - horizon) expired++;
      log.splice(0, expired);
      logs.set(key, log);
      if (perSecond > 0) {
        let inLastSecond = 0;
        for (let i = log.length - 1; i >= 0 && log[i] > nowMs - 1000; i--) inLastSecond++;
        if (inLastSecond >= perSecond) return false;
      }
      if (averagePerSecond > 0 && log.length >= (averagePerSecond * averageWindowMs) / 1000) return false;
      log.push(nowMs);
      return true;
    },
  };
}
