import { expect, test } from "@playwright/test";

test("GET /api/me – 401 unauthorized without a session, and with a forged or tampered cookie", async ({ request }) => {
  const forged = `${Buffer.from(JSON.stringify({ name: "VinylVera", exp: 4_102_444_800 })).toString("base64url")}.AAAA`;
  for (const cookie of [undefined, `lyfm_session=${forged}`, "lyfm_session=garbage"]) {
    const response = await request.get("/api/me", { headers: cookie ? { cookie } : {} });
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthorized", message: "Sign in with Last.fm first: this is about your own data." },
    });
  }
});

test("PATCH /api/me and DELETE /api/me/data – refused without a session, and from another site's page", async ({
  request,
}) => {
  const patch = await request.patch("/api/me", { data: { isHidden: true } });
  expect(patch.status()).toBe(401);
  const erase = await request.delete("/api/me/data", { headers: { origin: "https://evil.example" } });
  expect(erase.status()).toBe(403);
  expect((await erase.json()).error.code).toBe("forbidden");
});

test("wrong methods on /api/me and /api/me/data are 405 in the JSON error shape", async ({ request }) => {
  const post = await request.post("/api/me");
  expect(post.status()).toBe(405);
  expect(post.headers().allow).toBe("GET, PATCH, HEAD, OPTIONS");
  const get = await request.get("/api/me/data");
  expect(get.status()).toBe(405);
  expect((await get.json()).error.code).toBe("method_not_allowed");
});

test("GET /api/user/[username]/history – an unknown listener is 404, a bad name 400; POST queues (202) then nothing more (200)", async ({
  request,
}) => {
  expect((await request.get("/api/user/NobodyHere/history")).status()).toBe(404);
  expect((await (await request.get("/api/user/1bad/history")).json()).error.code).toBe("invalid_input");
  const headers = { "x-forwarded-for": "10.17.6.1" };
  const first = await request.post("/api/user/DadRockDan/history", { headers });
  expect([200, 202]).toContain(first.status());
  const body = await first.json();
  expect(body.username).toBe("DadRockDan");
  expect(body.years.map((year: { year: number }) => year.year)).toContain(2016);
  const again = await request.post("/api/user/DadRockDan/history", { headers });
  expect(again.status()).toBe(200);
  expect((await again.json()).queued).toBe(0);
});
