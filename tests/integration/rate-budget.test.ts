// The shared budget's last check: whatever the pacing schedule says, no window of 1000 ms + margin
// admits more than the limit of actual sends (a process that woke late, or whose schedule was lost).
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

test("the send log holds the limit even when the pacing schedule is lost between requests", async () => {
  const { createRateBudget } = await import("@/lib/lastfm/budget");
  const { redis, redisKey } = await import("@/lib/server/redis");
  const budget = createRateBudget("send-log-test", 2, 50);
  const sendTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    // Forget the schedule before every request, as if each came from a process that never saw the others.
    await redis().del(redisKey("budget", "send-log-test"));
    await budget.acquire();
    sendTimes.push(performance.now());
  }
  // Two sends may leave at once; the third waits until the first has left the 1,050 ms window.
  assert.ok(sendTimes[1] - sendTimes[0] < 100, "the second send is within the limit");
  assert.ok(sendTimes[2] - sendTimes[0] >= 1_000, `third send after ${Math.round(sendTimes[2] - sendTimes[0])} ms`);
});

test("a request that leaves late after its admission is counted from when it leaves", async () => {
  const { createRateBudget } = await import("@/lib/lastfm/budget");
  const { redis, redisKey } = await import("@/lib/server/redis");
  const budget = createRateBudget("late-leave-test", 1, 50);
  const leaving = await budget.acquire();
  // Admitted, then held up (a busy event loop in a real process) before the request goes.
  await new Promise((resolve) => setTimeout(resolve, 400));
  leaving();
  const sentAt = performance.now();
  await redis().del(redisKey("budget", "late-leave-test"));
  await budget.acquire();
  // Counted from the admission, the next one would be let through 650 ms after this send.
  const gap = performance.now() - sentAt;
  assert.ok(gap >= 1_000, `next admission ${Math.round(gap)} ms after the late send`);
});
