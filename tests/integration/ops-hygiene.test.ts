// SSE streams never leak a subscription (failure before the stream opens, a client gone before it
// starts, the maximum life), and the metrics' scan of every scrobble runs only when an import changed.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { LastfmUser } from "@/generated/prisma/client";
import { type Stack, startStack } from "@/tests/support/stack";

let stack: Stack;

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack.stop();
});

async function seedQueuedYear(): Promise<LastfmUser> {
  const { db } = await import("@/lib/server/db");
  const { getOrCreateFetchJob } = await import("@/lib/imports/store");
  const name = `Sse${randomBytes(5).toString("hex")}`;
  const user = await db().lastfmUser.create({
    data: { name, nameKey: name.toLowerCase(), registeredAt: new Date("2015-01-01T00:00:00Z") },
  });
  await getOrCreateFetchJob({ userId: user.id, year: 2020 });
  return user;
}

/** Channels this process is subscribed to, with their listeners. */
function subscribedChannels(): string[] {
  const hub = (globalThis as { progressHub?: { listeners: Map<string, Set<unknown>> } }).progressHub;
  return [...(hub?.listeners.keys() ?? [])];
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) text += decoder.decode(chunk);
  return text;
}

test("a failure after subscribing and before the stream opens leaves no subscription behind", async () => {
  const { openProgressStream } = await import("@/lib/imports/sse");
  const { redis, redisKey } = await import("@/lib/server/redis");
  const user = await seedQueuedYear();
  const broken = { ...user, id: Number.NaN }; // the snapshot query fails
  await assert.rejects(openProgressStream(broken, 2020, new AbortController().signal));
  assert.deepEqual(subscribedChannels(), []);
  // A Redis error right after subscribing (reading the current event id: WRONGTYPE here).
  await redis().hset(redisKey("progress-seq", user.name.toLowerCase(), 2020), "not", "a counter");
  await assert.rejects(openProgressStream(user, 2020, new AbortController().signal), /WRONGTYPE/);
  assert.deepEqual(subscribedChannels(), []);
});

test("a stream ends after its maximum life with a reconnect hint, and unsubscribes; so does one aborted before it starts", async () => {
  const { openProgressStream } = await import("@/lib/imports/sse");
  const user = await seedQueuedYear();
  const stream = await openProgressStream(user, 2020, new AbortController().signal, null, "UTC", { maxLifeMs: 300 });
  assert.equal(subscribedChannels().length, 1);
  const text = await readAll(stream);
  assert.match(text, /^retry: 3000\n/);
  assert.match(text, /event: snapshot\n/);
  assert.match(text, /retry: 3000\n: stream renewed, reconnect\n\n$/);
  assert.deepEqual(subscribedChannels(), []);

  const gone = new AbortController();
  gone.abort();
  assert.equal(await readAll(await openProgressStream(user, 2020, gone.signal)), "");
  assert.deepEqual(subscribedChannels(), []);

  const leaving = new AbortController();
  const open = await openProgressStream(user, 2020, leaving.signal);
  leaving.abort();
  assert.match(await readAll(open), /event: snapshot\n/);
  assert.deepEqual(subscribedChannels(), []);
});

test("streams of one import share its distribution queries: 100 opening together run one, their final event one more", async () => {
  const { openProgressStream, streamQueries } = await import("@/lib/imports/sse");
  const { publishProgress } = await import("@/lib/imports/progress");
  const user = await seedQueuedYear();
  await publishProgress(user.name, 2020, {
    type: "status",
    status: "fetching",
    pagesFetched: 0,
    totalPages: 3,
    scrobblesFetched: 0,
    albumsDated: 0,
    albumsTotal: 0,
  });
  const before = streamQueries.distributions;
  const streams = await Promise.all(
    Array.from({ length: 100 }, () => openProgressStream(user, 2020, new AbortController().signal)),
  );
  assert.equal(streamQueries.distributions - before, 1, "one snapshot query for 100 streams at one progress id");
  const texts = streams.map(readAll);
  await publishProgress(user.name, 2020, {
    type: "status",
    status: "complete",
    pagesFetched: 3,
    totalPages: 3,
    scrobblesFetched: 0,
    albumsDated: 0,
    albumsTotal: 0,
  });
  for (const text of await Promise.all(texts)) assert.match(text, /event: complete\nid: |id: \d+\nevent: complete\n/);
  assert.equal(streamQueries.distributions - before, 2, "one final query for 100 streams");
  assert.deepEqual(subscribedChannels(), []);
});

test("the metrics' scan of every scrobble runs again only when an import changed", async () => {
  const { countEnrichmentCached } = await import("@/lib/ops/stats");
  const { storePage, getOrCreateFetchJob } = await import("@/lib/imports/store");
  const { db } = await import("@/lib/server/db");
  const user = await seedQueuedYear();
  const job = await getOrCreateFetchJob({ userId: user.id, year: 2020 });
  const total = (counts: Awaited<ReturnType<typeof countEnrichmentCached>>) =>
    Object.values(counts.scrobbles).reduce((sum, n) => sum + n, 0);
  const before = total(await countEnrichmentCached());
  // A row written behind the imports' back is not seen: the scan was not run again.
  await db().$executeRaw`
    INSERT INTO scrobbles (user_id, scrobbled_at, track, artist) VALUES (${user.id}, '2020-02-01T00:00:00Z', 'X', 'Y')`;
  assert.equal(total(await countEnrichmentCached()), before);
  // A stored page changes its import, so the next scrape counts again (both rows).
  const at = Date.UTC(2020, 3, 1) / 1000;
  await storePage(job, { page: 1, pageSize: 200 }, [
    { uts: at, track: "T", artist: "A", album: "B", trackMbid: null, albumMbid: null, artistMbid: null },
  ]);
  assert.equal(total(await countEnrichmentCached()), before + 2);
});
