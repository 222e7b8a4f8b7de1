import { expect, test } from "@playwright/test";

// The test app's Last.fm simulator (tests/support/serve-app.ts); its control endpoint switches faults on.
const SIMULATOR = `http://127.0.0.1:${process.env.E2E_LASTFM_SIM_PORT ?? "3911"}`;

test("GET /api/user/[username]/[year] – Last.fm down (every call error 8 / HTTP 503) is 503 upstream_unavailable", async ({
  request,
}) => {
  await request.post(`${SIMULATOR}/__config`, { data: { faultRate: 1, faultWeights: { "error8-503": 1 } } });
  try {
    const response = await request.get("/api/user/OneScrobbleOlga/2022");

    expect(response.status()).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: "upstream_unavailable", message: expect.stringContaining("Last.fm") },
    });
  } finally {
    await request.post(`${SIMULATOR}/__config`, { data: { faultRate: 0 } });
  }
  // …and the same year imports normally once Last.fm answers again.
  const recovered = await request.get("/api/user/OneScrobbleOlga/2022");
  expect([200, 202]).toContain(recovered.status());
});
