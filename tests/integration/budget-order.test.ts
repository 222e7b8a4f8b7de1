// The one Last.fm budget is handed out in a fair order: calls a visitor waits on before bulk pages,
// and among imports the least served first, so a light import is not stuck behind a heavy one.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Stack, startStack } from "@/tests/support/stack";

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("interactive calls overtake queued bulk pages; a newly started import takes turns before a heavy one's backlog", async () => {
  const { createRateBudget } = await import("@/lib/lastfm/budget");
  const budget = createRateBudget("order-test", 5, 0);
  const granted: string[] = [];
  const ask = (name: string, lane: Parameters<typeof budget.acquire>[1]) =>
    budget.acquire(undefined, lane).then(() => void granted.push(name));

  // A heavy import queues ten pages at once.
  const heavy = Array.from({ length: 10 }, (_, served) => ask(`heavy${served}`, { lane: "bulk", served }));
  await sleep(60);
  // Then a visitor's preview (two calls) and a light import's first three pages arrive.
  const later = [
    ask("preview0", { lane: "interactive" }),
    ask("preview1", { lane: "interactive" }),
    ...Array.from({ length: 3 }, (_, served) => ask(`light${served}`, { lane: "bulk", served })),
  ];
  await Promise.all([...heavy, ...later]);

  // The first slots were handed out (at most `lookahead` ahead) before the others arrived.
  const handedOut = granted.findIndex((name) => !name.startsWith("heavy"));
  assert.ok(handedOut >= 1 && handedOut <= 3, `order: ${granted.join(" ")}`);
  assert.deepEqual(
    granted.slice(handedOut),
    [
      "preview0",
      "preview1",
      "light0",
      "light1",
      "light2",
      ...Array.from({ length: 10 - handedOut }, (_, i) => `heavy${handedOut + i}`),
    ],
    `order: ${granted.join(" ")}`,
  );
});

test("a ticket whose process died is dropped from the head of the line", async () => {
  const { createRateBudget } = await import("@/lib/lastfm/budget");
  const { redis, redisKey } = await import("@/lib/server/redis");
  const budget = createRateBudget("stale-test", 5, 0);
  // A ticket at the very front, never polled again.
  const seen = Date.now() - 10_000;
  await redis().zadd(redisKey("budget", "stale-test", "waiting"), 0, "000000000000000|dead");
  await redis().hset(redisKey("budget", "stale-test", "seen"), "000000000000000|dead", String(seen));
  const started = performance.now();
  await budget.acquire();
  assert.ok(performance.now() - started < 500, "the live caller got the slot");
  assert.equal(await budget.waiting(), 0);
});
