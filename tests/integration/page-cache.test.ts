// The finished-year page cache against real Postgres and Redis: one render per version of the year, a
// fresh nonce per view, and a late match or a re-import changes what is served at once. The app's renderer
// is stood in for by a small server that renders the year from the database, counting its renders.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { after, before, test } from "node:test";
import { type Stack, startStack } from "@/tests/support/stack";

const RENDER_PORT = 3402;
let stack: Stack;
let renderer: Server;
let renders = 0;

before(async () => {
  stack = await startStack();
  process.env.PORT = String(RENDER_PORT);
  process.env.HOSTNAME = "127.0.0.1";
  const { getYearDistribution } = await import("@/lib/imports/distribution");
  const { findUser } = await import("@/lib/lastfm/users");
  renderer = createServer(async (request, response) => {
    renders++;
    const [, , name, year] = (request.url ?? "").split("/");
    const user = await findUser(decodeURIComponent(name));
    const result = user && (await getYearDistribution(user, Number(year)));
    const nonce = randomBytes(16).toString("base64");
    response.writeHead(200, {
      "content-type": "text/html",
      "content-security-policy": `script-src 'nonce-${nonce}'`,
    });
    response.end(`<script nonce="${nonce}"></script><pre>${JSON.stringify(result?.distribution)}</pre>`);
  });
  await new Promise<void>((resolve) => renderer.listen(RENDER_PORT, "127.0.0.1", resolve));
});
after(async () => {
  renderer.close();
  await stack.stop();
});

/** A finished 2020 of a fresh user: two plays dated 1991 by MBID, one undated, snapshot saved. */
async function seedFinishedYear() {
  const { db } = await import("@/lib/server/db");
  const { getOrCreateFetchJob, storePage, updateFetchJob } = await import("@/lib/imports/store");
  const { saveDistributionSnapshot } = await import("@/lib/imports/distribution");
  const name = `Pc${randomBytes(5).toString("hex")}`;
  const user = await db().lastfmUser.create({
    data: { name, nameKey: name.toLowerCase(), registeredAt: new Date("2015-01-01T00:00:00Z") },
  });
  let job = await getOrCreateFetchJob({ userId: user.id, year: 2020 }, new Date("2024-01-01T00:00:00Z"));
  const at = Date.UTC(2020, 5, 1) / 1000;
  const plays = ["One", "Two", "Three"].map((track, i) => ({
    uts: at + i,
    track,
    artist: "Band",
    album: i < 2 ? "Known" : "Obscure",
    trackMbid: null,
    albumMbid: null,
    artistMbid: null,
  }));
  job = await storePage(job, { page: 1, pageSize: 200 }, plays);
  await db().scrobble.updateMany({
    where: { userId: user.id, album: "Known" },
    data: { releaseYear: 1991, augmentationStatus: "matched" },
  });
  await db().scrobble.updateMany({
    where: { userId: user.id, album: "Obscure" },
    data: { augmentationStatus: "not_found" },
  });
  await saveDistributionSnapshot(job);
  job = await updateFetchJob(job, name, { status: "complete" });
  return { user, job };
}

function view(name: string) {
  return new Request(`http://visitor.example/user/${name}/2020`);
}
const policy = (nonce: string) => `script-src 'nonce-${nonce}'`;

async function serve(name: string): Promise<{ body: string; nonce: string } | null> {
  const { serveFromCache } = await import("@/lib/imports/page-cache");
  const response = await serveFromCache(view(name), policy);
  if (!response) return null;
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1] ?? "";
  return { body: await response.text(), nonce };
}

test("a finished year is rendered once for many views, each with its own nonce in the page and the policy", async () => {
  const { user } = await seedFinishedYear();
  const before = renders;
  const views = await Promise.all(Array.from({ length: 20 }, () => serve(user.name)));
  views.push(await serve(user.name.toUpperCase()));
  assert.equal(renders - before, 2, "one render per address (the casing is part of the page's title)");
  const nonces = new Set(views.map((v) => v?.nonce));
  assert.equal(nonces.size, views.length);
  for (const v of views) {
    assert.ok(v?.body.includes(`nonce="${v.nonce}"`));
    assert.ok(v?.body.includes('[{"releaseYear":1991,"scrobbles":2,"albums":0}]'), v?.body);
  }
});

test("a late match by name changes the served page at once; an unversioned write does not", async () => {
  const { db } = await import("@/lib/server/db");
  const { saveDistributionSnapshot } = await import("@/lib/imports/distribution");
  const { user, job } = await seedFinishedYear();
  assert.ok((await serve(user.name))?.body.includes('"scrobbles":2'));
  const rendersBefore = renders;

  await db().scrobble.updateMany({
    where: { userId: user.id, album: "Obscure" },
    data: { releaseYear: 1977, augmentationStatus: "fuzzy_matched" },
  });
  // The snapshot is what the page reads: until it is saved, the year has not changed.
  assert.ok((await serve(user.name))?.body.includes('[{"releaseYear":1991,"scrobbles":2,"albums":0}]'));
  assert.equal(renders, rendersBefore);

  await saveDistributionSnapshot(job);
  const late = await serve(user.name);
  assert.equal(renders, rendersBefore + 1);
  assert.ok(late?.body.includes('{"releaseYear":1977,"scrobbles":1,"albums":0}'), late?.body);
});

test("a re-import takes the year out of the cache at once: the app renders it live again", async () => {
  const { requestReimport } = await import("@/lib/imports/requests");
  const { user } = await seedFinishedYear();
  assert.ok(await serve(user.name));
  const rendersBefore = renders;
  await requestReimport(user.name, 2020);
  assert.equal(await serve(user.name), null);
  assert.equal(renders, rendersBefore);
});

test("a listener who opts out is taken out of the cache at once, and is not cached again", async () => {
  const { saveChoices } = await import("@/lib/account/choices");
  const { user } = await seedFinishedYear();
  assert.ok(await serve(user.name));
  await saveChoices(user.name, { isOptedOut: true });
  assert.equal(await serve(user.name), null);
  assert.equal(await serve(user.name), null);
});
