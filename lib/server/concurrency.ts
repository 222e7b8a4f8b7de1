// Small async building blocks: bounded parallelism and backoff delays.

/** Runs `work` over `items` with at most `limit` in flight. Rejects with the first error after in-flight work settles. */
export async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}

/** Exponential backoff with full jitter in [0.5, 1.5) of the base, capped. */
/** `work` over `items` with at most `limit` in flight; the results in the order of `items`. */
export async function mapPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  await runPool([...items.keys()], limit, async (i) => {
    results[i] = await work(items[i]);
  });
  return results;
}

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return Math.round(Math.min(capMs, baseMs * 2 ** attempt) * (0.5 + random()));
}

/** Resolves after `ms`; rejects when `signal` aborts. Its abort listener goes when it resolves: one signal serves a whole import's waits. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(timer), reject(signal?.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
