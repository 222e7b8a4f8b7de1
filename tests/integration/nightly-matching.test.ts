// The nightly name-matching job: pairs MusicBrainz could not date are asked again once their retry time
// has come (never before), the years that gain dates get a fresh snapshot, and the worker registers
// the job once as a scheduler.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Job } from "bullmq";
import { trueDistribution } from "@/scripts/simulators/lastfm/users";
import { assertImportExact, yearBounds } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack();
  await stack.startWorker();
});
after(async () => {
  const { closeQueues } = await import("@/lib/jobs");
  await closeQueues();
  await stack.stop();
});

/** The processor as BullMQ calls it; the test only needs an id and progress reports. */
function fakeJob(): Job {
  return { id: "nightly-test", updateProgress: async () => {} } as unknown as Job;
}

test("a pair MusicBrainz could not match is asked again only when its retry time has come, then the year is re-dated", async () => {
  const { db } = await import("@/lib/server/db");
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  const { saveDistributionSnapshot } = await import("@/lib/imports/distribution");
  const { matchNamesNightly } = await import("@/worker/match-names");
  const { user, job } = await assertImportExact("LightLeo", 2023);
  const truth = trueDistribution("LightLeo", ...yearBounds(2023));
  assert.ok(truth.byMethod.name > 0, "LightLeo has scrobbles only datable by name");

  // As if MusicBrainz had not known these albums on import day: negative answers, scrobbles undated.
  const forgotten = await db().$executeRaw`
    UPDATE album_name_cache SET original_year = NULL, release_group_mbid = NULL, confidence = NULL,
           retry_after = now() + interval '1 day', attempts = 1`;
  assert.ok(forgotten > 0);
  await db().$executeRaw`
    UPDATE scrobbles SET augmentation_status = 'not_found', release_year = NULL, release_group_mbid = NULL,
           match_method = NULL, match_confidence = NULL
     WHERE user_id = ${user.id} AND augmentation_status = 'fuzzy_matched'`;
  await saveDistributionSnapshot(job);
  assert.equal((await getYearDistribution(user, 2023)).totals.byMethod.fuzzy, 0);

  // Not due yet: the night passes without a MusicBrainz question and without a change.
  const early = await matchNamesNightly(fakeJob());
  assert.equal(early.scrobblesDated, 0);
  assert.equal((await db().albumNameCache.findFirst({ where: { attempts: { gt: 1 } } })) ?? null, null);

  // Due: asked again, found, written back, and the snapshot shows it.
  await db().$executeRaw`UPDATE album_name_cache SET retry_after = now() - interval '1 minute'`;
  const due = await matchNamesNightly(fakeJob());
  assert.ok(due.years >= 1);
  assert.equal(due.scrobblesDated, truth.byMethod.name);
  const after = await getYearDistribution(user, 2023);
  assert.equal(after.totals.byMethod.fuzzy, truth.byMethod.name);
  assert.equal(after.totals.byMethod.mbid, truth.byMethod.mbid);
  const cache = await db().albumNameCache.findMany();
  assert.ok(cache.every((row) => row.attempts === 2));
  assert.ok(
    cache.some((row) => row.originalYear !== null && row.retryAfter === null),
    "a found year is final",
  );
});

test("the worker registers the nightly job once, as a scheduler", async () => {
  const { queue, QUEUE, NIGHTLY_MATCHING_PATTERN } = await import("@/lib/jobs");
  const schedulers = await waitFor(async () => {
    const found = await queue(QUEUE.matchNames).getJobSchedulers();
    return found.length ? found : undefined;
  }, 20_000);
  assert.equal(schedulers.length, 1);
  assert.equal(schedulers[0].key, "nightly-name-matching");
  assert.equal(schedulers[0].pattern, NIGHTLY_MATCHING_PATTERN);
});
