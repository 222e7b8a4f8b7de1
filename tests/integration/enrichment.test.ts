// Enrichment survives MusicBrainz going away: the year ends partial with its coverage, then complete
// when the mirror answers again, and nothing already dated is looked up again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertImportExact, getJob } from "@/tests/support/imports";
import { type Stack, startStack, waitFor } from "@/tests/support/stack";
import { startTcpProxy, type TcpProxy } from "@/tests/support/tcp-proxy";

let stack: Stack;
let proxy: TcpProxy;

before(async () => {
  proxy = await startTcpProxy(5432);
  stack = await startStack({
    mirrorUrl: (url) => {
      const viaProxy = new URL(url);
      viaProxy.port = String(proxy.port);
      return viaProxy.toString();
    },
  });
  await stack.startWorker();
});
after(async () => {
  await stack.stop();
  await proxy.close();
});

test("mirror down mid-import: partial with coverage and fetched data intact, then complete and exact when it returns", async () => {
  const { db } = await import("@/lib/server/db");
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  const { requestImport } = await import("@/lib/imports/requests");
  await assertImportExact("LightLeo", 2023); // fills the shared cache with LightLeo's favourite albums
  const cachedBefore = new Map(
    (await db().albumYearCache.findMany()).map((row) => [row.albumMbid, row.lookedUpAt.getTime()]),
  );

  proxy.setUp(false);
  const { user } = await requestImport("LightLeo", 2022);
  const partial = await waitFor(async () => {
    const job = await getJob("LightLeo", 2022);
    return job?.status === "partial" ? job : undefined;
  }, 60_000);
  assert.equal(partial.errorCode, "musicbrainz_unavailable");
  const during = await getYearDistribution(user, 2022);
  assert.equal(during.status, "partial");
  assert.equal(during.totals.scrobbles, partial.scrobblesFetched, "the fetched year is kept whole");
  assert.ok(during.totals.dated > 0, "albums another import already dated count at once");
  assert.ok(during.totals.coverage < 1);

  proxy.setUp(true);
  await waitFor(async () => (await getJob("LightLeo", 2022))?.status === "complete", 90_000);
  await assertImportExact("LightLeo", 2022);
  const cachedAfter = await db().albumYearCache.findMany({ where: { albumMbid: { in: [...cachedBefore.keys()] } } });
  for (const row of cachedAfter)
    assert.equal(row.lookedUpAt.getTime(), cachedBefore.get(row.albumMbid), "nothing already dated is looked up again");
});
