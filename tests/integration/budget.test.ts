// Three worker processes share one Last.fm budget: no sliding second ever holds more requests than it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertImportExact } from "@/tests/support/imports";
import { type Stack, startStack } from "@/tests/support/stack";

const BUDGET = 5;
const USERS = [
  ["VinylVera", 2019],
  ["NightBusNico", 2020],
  ["DadRockDan", 2018],
] as const;
let stack: Stack;

before(async () => {
  // The simulator enforces the same budget (one request too many comes back as error 29), in a
  // process of its own so that its clock sees arrivals when they happen.
  stack = await startStack({ rateLimit: BUDGET, lastfmArgs: ["--rate-limit", String(BUDGET), "--latency", "30"] });
});
after(async () => {
  await stack.stop();
});

test("three worker processes importing at once never exceed LASTFM_RATE_LIMIT in any sliding second", async () => {
  // Pages of 200: enough requests in these small years to keep the budget busy for several seconds.
  const small = { LASTFM_PAGE_SIZE: "200" };
  await Promise.all([stack.startWorker(small), stack.startWorker(small), stack.startWorker(small)]);
  // Profiles are checked, and the simulator builds each year's data, before the measured part: a
  // simulator busy generating would stamp the requests queued meanwhile as arriving all at once.
  const { resolveUser } = await import("@/lib/lastfm/users");
  const { countScrobbles } = await import("@/lib/lastfm/client");
  for (const [username, year] of USERS) {
    await resolveUser(username);
    await countScrobbles(username, Date.UTC(year, 0, 1) / 1000, Date.UTC(year + 1, 0, 1) / 1000);
  }
  await stack.lastfm.resetStats();
  const started = Date.now();
  await Promise.all([
    assertImportExact("VinylVera", 2019),
    assertImportExact("NightBusNico", 2020),
    assertImportExact("DadRockDan", 2018),
  ]);
  const stats = await stack.lastfm.stats();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `budget: ${stats.requests} requests in ${seconds.toFixed(1)} s, busiest second ${stats.maxInAnySecond}, 429s ${stats.rateLimited}`,
  );
  assert.ok(stats.maxInAnySecond <= BUDGET, `busiest second held ${stats.maxInAnySecond} requests`);
  assert.equal(stats.rateLimited, 0);
  // …and the budget is used, not wasted: at least 70 % of the floor rate overall.
  assert.ok(stats.requests / seconds >= BUDGET * 0.7, `only ${(stats.requests / seconds).toFixed(2)} requests/s`);
});
