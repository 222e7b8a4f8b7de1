import { trueDistribution } from "@/scripts/simulators/lastfm/users";
import { expect, test } from "@playwright/test";

test("GET /api/user/[username] – canonical casing, Last.fm link, registration year and the years with their state", async ({
  request,
}) => {
  const response = await request.get("/api/user/vinylvera");

  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toEqual({
    username: "VinylVera",
    url: expect.stringMatching(/\/user\/VinylVera$/),
    registeredYear: 2015,
    years: expect.arrayContaining([{ year: 2016, status: expect.any(String) }]),
  });
  expect(body.years.map((y: { year: number }) => y.year)).toEqual(
    [...body.years.map((y: { year: number }) => y.year)].sort((a, b) => b - a),
  );
});

test("GET /api/user/[username] – a syntactically bad name is 400 invalid_input", async ({ request }) => {
  const response = await request.get(`/api/user/${encodeURIComponent("no spaces allowed")}`);

  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({
    error: { code: "invalid_input", message: expect.stringContaining("username") },
  });
});

test("GET /api/user/[username] – an unknown user is 404 user_not_found", async ({ request }) => {
  const response = await request.get("/api/user/NobodyHere");

  expect(response.status()).toBe(404);
  expect(await response.json()).toEqual({ error: { code: "user_not_found", message: expect.any(String) } });
});

test("GET /api/user/[username]/[year] – a private profile is 403 private_profile", async ({ request }) => {
  const response = await request.get("/api/user/PrivatePat/2023");

  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({ error: { code: "private_profile", message: expect.any(String) } });
});

test("GET /api/user/[username]/[year] – a year outside registration..now is 400", async ({ request }) => {
  for (const year of ["2003", String(new Date().getUTCFullYear() + 1), "20x4", "-1"]) {
    const response = await request.get(`/api/user/LightLeo/${year}`);
    expect(response.status(), year).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_input");
  }
});

test("GET /api/user/[username]/[year] – 202 while importing, then 200 with the distribution", async ({ request }) => {
  const first = await request.get("/api/user/LightLeo/2021");
  expect([200, 202]).toContain(first.status());

  let body = await first.json();
  for (let i = 0; i < 100 && body.status !== "complete"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    body = await (await request.get("/api/user/LightLeo/2021")).json();
  }
  expect(body).toEqual({
    username: "LightLeo",
    year: 2021,
    status: "complete",
    progress: {
      pagesFetched: expect.any(Number),
      totalPages: expect.any(Number),
      scrobblesFetched: expect.any(Number),
      albumsDated: expect.any(Number),
      albumsTotal: expect.any(Number),
    },
    totals: {
      scrobbles: expect.any(Number),
      dated: expect.any(Number),
      coverage: expect.any(Number),
      byMethod: {
        mbid: expect.any(Number),
        fuzzy: expect.any(Number),
        recording: expect.any(Number),
        none: expect.any(Number),
      },
      byView: {
        album: { dated: expect.any(Number), coverage: expect.any(Number) },
        song: { dated: expect.any(Number), coverage: expect.any(Number) },
      },
    },
    distribution: expect.any(Array),
    views: { album: expect.any(Array), song: expect.any(Array) },
    error: null,
    basis: "scrobbles",
    albumChart: null,
    queue: null,
  });
  expect(body.totals.scrobbles).toBe(body.progress.scrobblesFetched);
  // The simulator's truth for LightLeo 2021, by MBID, by name and by song (the demo simulator runs the same catalog).
  const [from, to] = [Date.UTC(2021, 0, 1) / 1000, Date.UTC(2022, 0, 1) / 1000];
  const truth = trueDistribution("LightLeo", from, to);
  expect(body.totals.byMethod.mbid).toBe(truth.byMethod.mbid);
  expect(body.totals.byMethod.fuzzy).toBe(truth.byMethod.name);
  expect(body.totals.byMethod.recording).toBe(truth.byMethod.recording);
  expect(truth.byMethod.name).toBeGreaterThan(0);
  expect(body.distribution.reduce((sum: number, row: { scrobbles: number }) => sum + row.scrobbles, 0)).toBe(
    body.totals.dated,
  );
});

test("GET /api/user/[username]/[year]/events – a snapshot first, then the final event", async ({ request }) => {
  const response = await request.get("/api/user/LightLeo/2020/events", { timeout: 30_000 });

  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/event-stream");
  const text = await response.text();
  expect(text).toMatch(/^retry: 3000/);
  expect(text).toMatch(/event: snapshot\ndata: \{"username":"LightLeo","year":2020/);
  expect(text).toMatch(/event: complete\ndata: /);
});

test("GET /api/user/[username]/[year]/events – bad input is refused before the stream opens", async ({ request }) => {
  const response = await request.get("/api/user/NobodyHere/2020/events");

  expect(response.status()).toBe(404);
  expect(response.headers()["content-type"]).toContain("application/json");
});

test("GET /api/user/[username]/[year]?tz= – an unknown zone is 400 invalid_input, before any import", async ({
  request,
}) => {
  const response = await request.get("/api/user/LightLeo/2021?tz=Mars%2FOlympus_Mons");

  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({
    error: { code: "invalid_input", message: expect.stringContaining("tz") },
  });
  const events = await request.get("/api/user/LightLeo/2021/events?tz=nowhere");
  expect(events.status()).toBe(400);
  expect((await events.json()).error.code).toBe("invalid_input");
});

test("GET /api/user/[username]/[year]?tz= – the year runs midnight to midnight in the zone; no zone is UTC", async ({
  request,
}) => {
  const inZone = async (query: string) => {
    for (let i = 0; i < 150; i++) {
      const response = await request.get(`/api/user/NewYearNoor/2024${query}`);
      const body = await response.json();
      if (body.status === "complete") return body;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("the import did not finish");
  };
  const utc = await inZone("");
  const la = await inZone("?tz=America/Los_Angeles");
  const kiritimati = await inZone("?tz=Pacific/Kiritimati");
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  for (const [body, from, to] of [
    [utc, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"],
    [la, "2024-01-01T08:00:00Z", "2025-01-01T08:00:00Z"],
    [kiritimati, "2023-12-31T10:00:00Z", "2024-12-31T10:00:00Z"],
  ] as const) {
    const truth = trueDistribution("NewYearNoor", seconds(from), seconds(to));
    expect(body.totals.scrobbles).toBe(truth.total);
    expect(
      body.distribution.map((row: { releaseYear: number; scrobbles: number }) => [row.releaseYear, row.scrobbles]),
    ).toEqual(
      [...truth.byYear.entries()].filter(([year]) => year !== null).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
  }
});
