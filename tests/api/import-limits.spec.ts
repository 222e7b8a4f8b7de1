import { expect, test } from "@playwright/test";
import { TEST_IMPORT_RATE_LIMIT } from "@/tests/support/limits";

/** A documentation-range IP of its own, so this spec never shares an allowance with another. */
function uniqueIp(): string {
  return `203.0.113.${1 + Math.floor(Math.random() * 254)}`;
}

const yearBody = {
  username: "EmptyYearEmma",
  year: expect.any(Number),
  status: expect.any(String),
  progress: expect.any(Object),
  totals: expect.any(Object),
  distribution: expect.any(Array),
  views: { album: expect.any(Array), song: expect.any(Array) },
  error: null,
  basis: expect.stringMatching(/^(none|album_chart|scrobbles)$/),
  albumChart: expect.any(Object),
  queue: expect.any(Object),
};

/** The year's JSON; `albumChart` and `queue` are null or an object, depending on how far the import got. */
async function yearJson(response: { json(): Promise<unknown> }) {
  const body = (await response.json()) as Record<string, unknown>;
  return { ...body, albumChart: body.albumChart ?? {}, queue: body.queue ?? {} };
}

test("GET /api/user/[username]/[year] – new imports from one IP beyond IMPORT_RATE_LIMIT are 429 rate_limited with Retry-After; reading a started year and other IPs still work", async ({
  request,
}) => {
  const ip = uniqueIp();
  let otherIp = uniqueIp();
  while (otherIp === ip) otherIp = uniqueIp();
  // EmptyYearEmma registered in 2018: her years are 2017 to now. No other spec imports them, and her name is
  // not a demo user's, so her finished years on the home page never clash with the home page spec.
  const years = Array.from({ length: TEST_IMPORT_RATE_LIMIT }, (_, i) => 2017 + i);

  for (const year of years) {
    const response = await request.get(`/api/user/EmptyYearEmma/${year}`, { headers: { "x-forwarded-for": ip } });
    expect([200, 202], String(year)).toContain(response.status());
    expect(await yearJson(response)).toEqual({ ...yearBody, year });
  }

  // A client-written first entry changes nothing: the entry the trusted proxy appended is the client.
  const refused = await request.get(`/api/user/EmptyYearEmma/${2017 + TEST_IMPORT_RATE_LIMIT}`, {
    headers: { "x-forwarded-for": `${otherIp}, ${ip}` },
  });
  expect(refused.status()).toBe(429);
  expect(await refused.json()).toEqual({
    error: { code: "rate_limited", message: expect.stringContaining(`${TEST_IMPORT_RATE_LIMIT} imports`) },
  });
  const retryAfter = Number(refused.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(600);

  const started = await request.get(`/api/user/EmptyYearEmma/${years[0]}`, { headers: { "x-forwarded-for": ip } });
  expect([200, 202]).toContain(started.status());
  expect(await yearJson(started)).toEqual({ ...yearBody, year: years[0] });

  const elsewhere = await request.get(`/api/user/EmptyYearEmma/${2017 + TEST_IMPORT_RATE_LIMIT}`, {
    headers: { "x-forwarded-for": otherIp },
  });
  expect([200, 202]).toContain(elsewhere.status());
  expect(await yearJson(elsewhere)).toEqual({ ...yearBody, year: 2017 + TEST_IMPORT_RATE_LIMIT });
});
