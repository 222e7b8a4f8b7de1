// How long to wait before restarting a crashed process: doubling pauses while it keeps crashing soon after
// starting (a crash loop must not spin a core), back to the shortest once it has run for a while.
export type RestartPolicy = { nextDelay: (ranForMs: number) => number };

export function createRestartPolicy({ firstMs = 1_000, maxMs = 30_000, stableAfterMs = 60_000 } = {}): RestartPolicy {
  let delayMs = firstMs;
  return {
    nextDelay(ranForMs) {
      if (ranForMs >= stableAfterMs) delayMs = firstMs;
      const current = delayMs;
      delayMs = Math.min(delayMs * 2, maxMs);
      return current;
    },
  };
}
